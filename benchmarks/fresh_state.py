"""What fresh ivschat state costs per test: moto's usual pattern against our pytest fixtures.

Run from a checkout, with the project's virtualenv::

    .venv/bin/python benchmarks/fresh_state.py              # about 20 seconds
    .venv/bin/python benchmarks/fresh_state.py --tests 50

One pytest run holds the same small test, 200 times over, written both ways: it
creates a room and checks that the room is the only one (so state really is
fresh). The ``client`` fixture it uses is either

- ``with mock_aws(): yield boto3.client("ivschat")``, moto's documented pattern, or
- moto-ivschat's ``ivschat_client`` fixture.

pytest's own report durations are added up by phase: "fresh state" is setup
plus teardown (what getting a mocked client and clean state costs), "whole test"
adds the test's two calls. The script prints the mean per test and the ratios;
then the median test's fresh state (the run's one-off costs aside), beside that of
a chain of empty fixtures as deep as ours: what pytest itself costs.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

import pytest

TEST = """
@pytest.mark.parametrize("n", range({tests}))
def test_small(n, client):
    client.create_room(name=f"room-{{n}}")
    assert [r["name"] for r in client.list_rooms()["rooms"]] == [f"room-{{n}}"]
"""

#: Test module name -> (label, the module's ``client`` fixture).
WAYS = {
    "test_with_mock_aws.py": (
        "with mock_aws(): boto3.client(...)",
        """
import boto3
import pytest
from moto import mock_aws

import moto_ivschat  # noqa: F401  (registers ivschat with moto)


@pytest.fixture
def client():
    with mock_aws():
        yield boto3.client("ivschat", region_name="us-east-1")
""",
    ),
    "test_with_fixtures.py": (
        "ivschat_client fixture",
        """
import pytest


@pytest.fixture
def client(ivschat_client):
    return ivschat_client
""",
    ),
}
#: What pytest itself costs for a chain of fixtures as deep as ours (client, ivschat_client,
#: ivschat_mock, ivschat_region, ivschat_account_id, monkeypatch): the floor under any fixture.
FLOOR = ("test_with_empty_fixtures.py", "the same depth of empty fixtures")
FLOOR_MODULE = """
import pytest


@pytest.fixture
def region():
    return "us-east-1"


@pytest.fixture
def account():
    return "123456789012"


@pytest.fixture
def mock(region, account, monkeypatch):
    monkeypatch.setenv("AWS_DEFAULT_REGION", region)
    yield


@pytest.fixture
def client(mock):
    return None


@pytest.mark.parametrize("n", range({tests}))
def test_small(n, client):
    pass
"""
FRESH_STATE = ("setup", "teardown")
WHOLE_TEST = ("setup", "call", "teardown")


class Timer:
    """A pytest plugin that adds up the duration of each phase of the tests, by module."""

    def __init__(self) -> None:
        self.seconds: dict[tuple[str, str], float] = defaultdict(float)
        self.tests: dict[str, int] = defaultdict(int)
        #: Each test's fresh state (setup plus teardown), in order, by module.
        self.fresh: dict[str, list[float]] = defaultdict(list)

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        module = report.nodeid.partition("::")[0]
        self.seconds[module, report.when] += report.duration
        if report.when == "call":
            self.tests[module] += 1
        elif report.when == "setup":
            self.fresh[module].append(report.duration)
        else:
            self.fresh[module][-1] += report.duration

    def per_test_ms(self, module: str, phases: tuple[str, ...]) -> float:
        """Return the mean time per test of ``module`` in ``phases``, in milliseconds."""
        return sum(self.seconds[module, phase] for phase in phases) / self.tests[module] * 1000

    def median_fresh_ms(self, module: str) -> float:
        """The median test's fresh state: what each test pays once the run's one-off costs (the first
        client, the mock's start) are behind it."""
        return statistics.median(self.fresh[module]) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tests", type=int, default=200, help="tests written each way (default 200)")
    args = parser.parse_args()
    # moto's pattern would otherwise read the caller's profile and region.
    os.environ.update(
        AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing", AWS_DEFAULT_REGION="us-east-1"
    )
    os.environ.pop("AWS_PROFILE", None)
    timer = Timer()
    with tempfile.TemporaryDirectory() as directory:
        for module, (_, fixture) in WAYS.items():
            (Path(directory) / module).write_text(fixture + TEST.format(tests=args.tests))
        (Path(directory) / FLOOR[0]).write_text(FLOOR_MODULE.format(tests=args.tests))
        code = pytest.main(["-q", "-p", "no:cacheprovider", "--rootdir", directory, directory], [timer])
    if code != pytest.ExitCode.OK:
        return int(code)
    print(f"\n{'ms per test':<40} {'fresh state':>12} {'whole test':>12}")
    for module, (label, _) in WAYS.items():
        fresh, whole = (timer.per_test_ms(module, phases) for phases in (FRESH_STATE, WHOLE_TEST))
        print(f"{label:<40} {fresh:12.2f} {whole:12.2f}")
    old, new = WAYS
    fresh, whole = (
        timer.per_test_ms(old, phases) / timer.per_test_ms(new, phases)
        for phases in (FRESH_STATE, WHOLE_TEST)
    )
    print(f"{'the fixtures are cheaper by':<40} {fresh:11.1f}x {whole:11.1f}x")
    print(f"\n{'median test, ms':<40} {'fresh state':>12}")
    for module, label in [*((module, label) for module, (label, _) in WAYS.items()), FLOOR]:
        print(f"{label:<40} {timer.median_fresh_ms(module):12.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
