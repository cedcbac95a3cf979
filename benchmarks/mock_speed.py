"""moto-ivschat against moto's own ``ivs`` mock, in one process and one run.

Run from a checkout, with the project's virtualenv::

    .venv/bin/python benchmarks/mock_speed.py            # about a minute on 2 cores
    .venv/bin/python benchmarks/mock_speed.py --quick    # fewer repeats: a smoke run, not figures

Figures come in two kinds:

- **mock-side**: time spent inside moto's request processing for the call, i.e. in
  moto's botocore ``before-send`` hook (``moto.core.models.botocore_stubber``):
  routing, the service's handler, validation, serialization. What a mock controls.
- **end-to-end**: the whole boto3 call, with the client's own signing and parsing
  (ivschat rooms carry timestamps, which botocore parses slowly; ivs channels
  carry none).

Ratios are ours / moto ivs's: below 1 means moto-ivschat is faster. The calls of
the two services are interleaved in alternating rounds and medians are reported,
so that load from other processes falls on both alike. Collections are filled
through the backends directly; only the measured calls go through boto3.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import boto3
import moto
from moto import mock_aws
from moto.core.models import botocore_stubber
from moto.ivs.models import ivs_backends

from moto_ivschat import ivschat_backends

#: moto's default account.
ACCOUNT = "123456789012"
REGION = "us-east-1"
#: Where the 1,000 rooms live, apart from the 10,000.
SMALL_REGION = "us-west-2"
PAGE_SIZE = 50
LARGE = 10_000
SMALL = 1_000
RECORDING_ARN = f"arn:aws:ivs:{REGION}:{ACCOUNT}:recording-configuration/abcdEFGH1234"
IMPORT_SNIPPET = (
    "import time; import moto; start = time.perf_counter(); "
    "import {module}; print(time.perf_counter() - start)"
)


@dataclass
class Settings:
    """How much to measure."""

    #: Calls per round, and rounds, of each per-call figure.
    calls: int = 300
    rounds: int = 6
    #: Measured walks through every page (after one to warm up).
    paging_walks: int = 5
    filter_walks: int = 15
    #: Fresh interpreters per import figure.
    import_runs: int = 9


QUICK = Settings(calls=40, rounds=2, paging_walks=1, filter_walks=2, import_runs=3)


# -- measuring ---------------------------------------------------------------


class MockSideTimer:
    """Adds up the time moto's botocore hook spends on requests."""

    def __init__(self) -> None:
        self.total = 0.0
        self._original: Callable[[Any], Any] | None = None

    def _timed(self, request: Any) -> Any:
        assert self._original is not None
        start = time.perf_counter()
        try:
            return self._original(request)
        finally:
            self.total += time.perf_counter() - start

    @contextmanager
    def installed(self) -> Iterator[None]:
        """Time every request moto's hook processes, inside the block."""
        # An instance attribute shadows the method: the hook's __call__ reaches
        # it as self.process_request.
        self._original = botocore_stubber.process_request
        botocore_stubber.process_request = self._timed  # type: ignore[method-assign]
        try:
            yield
        finally:
            del botocore_stubber.process_request
            self._original = None


TIMER = MockSideTimer()


@dataclass
class Sample:
    """Median mock-side and end-to-end seconds of one measured operation."""

    mock: float
    e2e: float


def measure(call: Callable[[], Any]) -> tuple[float, float]:
    """Run ``call`` once; return its mock-side and end-to-end seconds."""
    mock_before = TIMER.total
    start = time.perf_counter()
    call()
    e2e = time.perf_counter() - start
    return TIMER.total - mock_before, e2e


def interleaved(
    operations: dict[str, Callable[[], Any]],
    rounds: int,
    repeat: int,
    prepare: Callable[[], Any] | None = None,
) -> dict[str, Sample]:
    """Median of each operation, run ``repeat`` times a round, in rounds alternating the order.

    One warm-up round goes first, unmeasured. ``prepare`` runs before each run, untimed.
    """
    mock: dict[str, list[float]] = {name: [] for name in operations}
    e2e: dict[str, list[float]] = {name: [] for name in operations}
    names = list(operations)
    for round_ in range(rounds + 1):
        for name in names if round_ % 2 == 0 else reversed(names):
            for _ in range(repeat):
                if prepare is not None:
                    prepare()
                m, e = measure(operations[name])
                if round_:
                    mock[name].append(m)
                    e2e[name].append(e)
    return {name: Sample(statistics.median(mock[name]), statistics.median(e2e[name])) for name in names}


def page_through(call: Callable[..., dict[str, Any]], key: str, **filters: Any) -> Callable[[], int]:
    """Return a walk through every page (``maxResults=50``) that returns the item count."""

    def walk() -> int:
        count = 0
        token: str | None = None
        while True:
            kwargs = dict(filters, maxResults=PAGE_SIZE)
            if token:
                kwargs["nextToken"] = token
            page = call(**kwargs)
            count += len(page[key])
            token = page.get("nextToken")
            if not token:
                return count

    return walk


# -- populations -------------------------------------------------------------


def lambda_arn(region: str) -> str:
    """The review handler of the rooms that the handler filter finds."""
    return f"arn:aws:lambda:{region}:{ACCOUNT}:function:review"


def fill_rooms(region: str, count: int) -> list[str]:
    """Create ``count`` rooms through the backend; return their ARNs, oldest first.

    1 in 100 rooms matches each filter: room ``i`` with ``i % 100`` of 0 is named
    ``needle``, of 1 has a review handler, of 2 uses a logging configuration.
    """
    backend = ivschat_backends[ACCOUNT][region]
    config = backend.create_logging_configuration({"s3": {"bucketName": "chat-logs"}}, name="logs")
    arns = []
    for i in range(count):
        kind = i % 100
        room = backend.create_room(
            name="needle" if kind == 0 else f"room-{i}",
            message_review_handler={"uri": lambda_arn(region)} if kind == 1 else None,
            logging_configuration_identifiers=[config.arn] if kind == 2 else None,
        )
        arns.append(room.arn)
    return arns


def fill_channels(count: int) -> list[str]:
    """Create ``count`` ivs channels through the backend, 1 in 100 named ``needle`` or recorded."""
    backend = ivs_backends[ACCOUNT][REGION]
    arns = []
    for i in range(count):
        kind = i % 100
        channel, _ = backend.create_channel(
            authorized=False,
            insecure_ingest=False,
            latency_mode="LOW",
            name="needle" if kind == 0 else f"channel-{i}",
            preset="",
            recording_configuration_arn=RECORDING_ARN if kind == 2 else "",
            tags={},
            channel_type="STANDARD",
        )
        arns.append(channel["arn"])
    return arns


# -- report ------------------------------------------------------------------

LABEL_WIDTH = 58
GOALS: list[tuple[str, bool]] = []


def heading(title: str) -> None:
    print(f"\n{title}\n  {'':<{LABEL_WIDTH}} {'ivschat':>12} {'moto ivs':>12} {'ratio':>7}", flush=True)


def row(label: str, ours: float, ivs: float | None, unit: str) -> None:
    """Print a figure in ``unit`` (``us``, ``ms``, or ``x`` for a plain ratio) and ours / ivs."""
    scale = {"us": 1e6, "ms": 1e3, "x": 1.0}[unit]
    ours_text = f"{ours * scale:9.2f} {unit:2}"
    ivs_text = "" if ivs is None else f"{ivs * scale:9.2f} {unit:2}"
    ratio = "" if ivs is None or unit == "x" else f"{ours / ivs:6.2f}x"
    print(f"  {label:<{LABEL_WIDTH}} {ours_text:>12} {ivs_text:>12} {ratio:>7}", flush=True)


def goal(text: str, met: bool) -> None:
    """Record and print whether a goal of the issue is met."""
    GOALS.append((text, met))
    print(f"  -> goal {text}: {'met' if met else 'MISSED'}", flush=True)


def pair(label: str, ours: Sample, ivs: Sample, unit: str) -> None:
    row(f"{label}, mock-side", ours.mock, ivs.mock, unit)
    row(f"{label}, end-to-end", ours.e2e, ivs.e2e, unit)


# -- sections ----------------------------------------------------------------


def bench_per_call(settings: Settings) -> None:
    heading(f"Per call, one resource in the region (median of {settings.calls * settings.rounds} calls)")
    with mock_aws():
        chat = boto3.client("ivschat", region_name=REGION)
        ivs = boto3.client("ivs", region_name=REGION)
        created = interleaved(
            {
                "room": lambda: chat.create_room(name="bench"),
                "channel": lambda: ivs.create_channel(name="bench"),
            },
            settings.rounds,
            settings.calls,
        )
    with mock_aws():
        chat = boto3.client("ivschat", region_name=REGION)
        ivs = boto3.client("ivs", region_name=REGION)
        room = chat.create_room(name="bench")["arn"]
        channel = ivs.create_channel(name="bench")["channel"]["arn"]
        got = interleaved(
            {
                "room": lambda: chat.get_room(identifier=room),
                "channel": lambda: ivs.get_channel(arn=channel),
            },
            settings.rounds,
            settings.calls,
        )
    pair("create_room vs create_channel", created["room"], created["channel"], "us")
    pair("get_room vs get_channel", got["room"], got["channel"], "us")
    goal("mock-side create_room <= 1.0x create_channel", created["room"].mock <= created["channel"].mock)
    goal("mock-side get_room <= 1.0x get_channel", got["room"].mock <= got["channel"].mock)


def bench_paging(settings: Settings, chat: Any, chat_small: Any, ivs: Any) -> None:
    heading(f"Every page, maxResults={PAGE_SIZE} (median of {settings.paging_walks} walks)")
    walked = interleaved(
        {
            "small": page_through(chat_small.list_rooms, "rooms"),
            "large": page_through(chat.list_rooms, "rooms"),
            "channels": page_through(ivs.list_channels, "channels"),
        },
        settings.paging_walks,
        1,
    )
    small, large, channels = walked["small"], walked["large"], walked["channels"]
    pair("1,000 rooms vs 10,000 channels", small, channels, "ms")
    pair("10,000 rooms vs 10,000 channels", large, channels, "ms")
    linearity = large.e2e / (10 * small.e2e)
    row("10,000 rooms / (10 x 1,000 rooms), end-to-end", linearity, None, "x")
    goal("mock-side paging of 10,000 rooms >= 3x faster than ivs", channels.mock >= 3 * large.mock)
    goal("end-to-end paging linear: 10,000 <= 1.5 x 10 x (1,000)", linearity <= 1.5)


def bench_first_last(settings: Settings, chat: Any, ivs: Any, rooms: list[str], channels: list[str]) -> None:
    heading(f"Get the first and the last of 10,000 (median of {settings.calls * settings.rounds} calls)")
    got = interleaved(
        {
            "room_first": lambda: chat.get_room(identifier=rooms[0]),
            "room_last": lambda: chat.get_room(identifier=rooms[-1]),
            "channel_first": lambda: ivs.get_channel(arn=channels[0]),
            "channel_last": lambda: ivs.get_channel(arn=channels[-1]),
        },
        settings.rounds,
        settings.calls,
    )
    first, last = got["room_first"], got["room_last"]
    ivs_first, ivs_last = got["channel_first"], got["channel_last"]
    pair("get the first", first, ivs_first, "us")
    pair("get the last", last, ivs_last, "us")
    row("last / first, mock-side", last.mock / first.mock, ivs_last.mock / ivs_first.mock, "x")
    row("last / first, end-to-end", last.e2e / first.e2e, ivs_last.e2e / ivs_first.e2e, "x")
    goal("mock-side get_room on the last of 10,000 <= 1.3x on the first", last.mock <= 1.3 * first.mock)


def bench_filters(settings: Settings, chat: Any, ivs: Any, rooms: list[str], channels: list[str]) -> None:
    """Every page of ListRooms with each filter (100 of 10,000 match), against ListChannels's.

    ivs has two filters: ``filterByName`` stands against ``name``, and
    ``filterByRecordingConfigurationArn`` against both of the others.
    """
    chat_backend = ivschat_backends[ACCOUNT][REGION]
    ivs_backend = ivs_backends[ACCOUNT][REGION]
    config = chat_backend.list_logging_configurations()[0][0].arn
    walkers = {
        "name": page_through(chat.list_rooms, "rooms", name="needle"),
        "handler": page_through(chat.list_rooms, "rooms", messageReviewHandlerUri=lambda_arn(REGION)),
        "logging": page_through(chat.list_rooms, "rooms", loggingConfigurationIdentifier=config),
        "ivs_name": page_through(ivs.list_channels, "channels", filterByName="needle"),
        "ivs_recording": page_through(
            ivs.list_channels, "channels", filterByRecordingConfigurationArn=RECORDING_ARN
        ),
    }

    def change_one() -> None:
        # After a change the mock rebuilds what it keeps between listings.
        chat_backend.update_room(rooms[1], name="room-1")
        ivs_backend.update_channel(
            arn=channels[1],
            authorized=None,
            insecure_ingest=None,
            latency_mode=None,
            name="channel-1",
            preset=None,
            recording_configuration_arn=None,
            channel_type=None,
        )

    for when, prepare in (("nothing changed in between", None), ("after a change", change_one)):
        heading(
            f"ListRooms filters, 100 of 10,000 match, every page, {when} "
            f"(median of {settings.filter_walks} walks)"
        )
        walked = interleaved(walkers, settings.filter_walks, 1, prepare)
        pair("name vs filterByName", walked["name"], walked["ivs_name"], "ms")
        pair("messageReviewHandlerUri vs recording ARN", walked["handler"], walked["ivs_recording"], "ms")
        pair(
            "loggingConfigurationIdentifier vs recording ARN",
            walked["logging"],
            walked["ivs_recording"],
            "ms",
        )


def bench_large(settings: Settings) -> None:
    with mock_aws():
        chat = boto3.client("ivschat", region_name=REGION)
        chat_small = boto3.client("ivschat", region_name=SMALL_REGION)
        ivs = boto3.client("ivs", region_name=REGION)
        rooms = fill_rooms(REGION, LARGE)
        fill_rooms(SMALL_REGION, SMALL)
        channels = fill_channels(LARGE)
        bench_paging(settings, chat, chat_small, ivs)
        bench_first_last(settings, chat, ivs, rooms, channels)
        bench_filters(settings, chat, ivs, rooms, channels)


def import_seconds(module: str, env: dict[str, str]) -> float:
    """Seconds ``import module`` takes after ``import moto``, in a fresh interpreter."""
    snippet = IMPORT_SNIPPET.format(module=module)
    out = subprocess.run([sys.executable, "-c", snippet], env=env, check=True, capture_output=True, text=True)
    return float(out.stdout.strip())


def bench_import(settings: Settings) -> None:
    heading(f"Import after `import moto` (fresh interpreters, median of {settings.import_runs})")
    with tempfile.TemporaryDirectory() as cache:
        # Bytecode goes to a temporary tree, not into the checkout.
        cached = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        cached["PYTHONPYCACHEPREFIX"] = cache
        uncached = {k: v for k, v in os.environ.items() if k != "PYTHONPYCACHEPREFIX"}
        uncached["PYTHONDONTWRITEBYTECODE"] = "1"
        for env, label in ((cached, "bytecode cached"), (uncached, "no bytecode written")):
            import_seconds("moto_ivschat", env)  # fills the bytecode cache, if there is one
            import_seconds("moto.ivs", env)
            ours, theirs = [], []
            for _ in range(settings.import_runs):
                ours.append(import_seconds("moto_ivschat", env))
                theirs.append(import_seconds("moto.ivs", env))
            median = statistics.median(ours)
            row(f"moto_ivschat vs moto.ivs, {label}", median, statistics.median(theirs), "ms")
            goal(f"import moto_ivschat adds <= 50 ms to import moto ({label})", median <= 0.050)


def main() -> None:
    parser = argparse.ArgumentParser(description="moto-ivschat against moto's ivs mock")
    parser.add_argument("--quick", action="store_true", help="fewer repeats: a smoke run, not figures")
    settings = QUICK if parser.parse_args().quick else Settings()
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
    started = time.perf_counter()
    print(f"Python {sys.version.split()[0]}, moto {moto.__version__}, boto3 {boto3.__version__}")
    with TIMER.installed():
        bench_per_call(settings)
        bench_large(settings)
    bench_import(settings)
    met = sum(ok for _, ok in GOALS)
    print(f"\n{met} of {len(GOALS)} goals met in {time.perf_counter() - started:.0f} s")
    for text, ok in GOALS:
        if not ok:
            print(f"  missed: {text}")


if __name__ == "__main__":
    main()
