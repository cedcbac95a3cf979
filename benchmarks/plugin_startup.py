"""What the installed pytest plugin adds to a pytest run that never uses it.

Run from a checkout, with the project's virtualenv::

    .venv/bin/python benchmarks/plugin_startup.py                 # about a minute
    .venv/bin/python benchmarks/plugin_startup.py --moto 5.0.0    # against another moto
    .venv/bin/python benchmarks/plugin_startup.py --rounds 3      # a smoke run

As a user has it: it builds the wheel from the checkout and installs it, with
pytest and the moto asked for (default: the one installed here), into a fresh
virtualenv. In a temporary folder with one unrelated test file (no conftest), it
times whole ``python -m pytest`` runs with the plugin and with ``-p
no:moto_ivschat``, in alternating rounds so that load from other processes falls
on both alike, and prints the medians and the fastest runs, their differences and
the ratio. It also prints what ``-X importtime`` says loading the plugin module
costs, whether the run imported moto or boto3 and, where valgrind is installed,
how many more instructions a run with the plugin executes: a count that a busy
machine does not blur, as it does wall-clock times. It asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import venv
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEST = """
import sys

def test_unrelated():
    print("loaded:", sorted(m for m in ("moto", "boto3", "botocore") if m in sys.modules))
"""


def _user_venv(folder: Path, moto: str) -> Path:
    """A fresh virtualenv with the wheel built from this checkout, pytest and moto ``moto``."""
    dist = folder / "dist"
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", dist, ROOT], check=True, capture_output=True
    )
    [wheel] = dist.glob("*.whl")
    venv.create(folder / "venv", with_pip=True)
    python = folder / "venv" / "bin" / "python"
    install = [python, "-m", "pip", "install", "--quiet", str(wheel), f"moto=={moto}", "pytest"]
    subprocess.run(install, check=True, capture_output=True)
    return python


def _run(python: Path, folder: Path, *extra: str) -> tuple[float, str]:
    command = [python, "-m", "pytest", "-q", "-s", "-p", "no:cacheprovider", *extra, "test_unrelated.py"]
    started = time.perf_counter()
    result = subprocess.run(command, cwd=folder, capture_output=True, text=True, check=True)
    return time.perf_counter() - started, result.stdout


def _instructions(python: Path, folder: Path, *extra: str) -> int:
    """Instructions one pytest run executes (valgrind's callgrind; hash seed fixed): the same
    figure on every run, however busy the machine."""
    command = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", python, "-m", "pytest"]
    command += ["-q", "-p", "no:cacheprovider", *extra, "test_unrelated.py"]
    environment = {**os.environ, "PYTHONHASHSEED": "0"}
    result = subprocess.run(command, cwd=folder, capture_output=True, text=True, check=True, env=environment)
    counted = re.search(r"Collected : (\d+)", result.stderr)
    if counted is None:
        raise RuntimeError(f"no instruction count from valgrind: {result.stderr[-500:]}")
    return int(counted.group(1))


def _plugin_import_us(python: Path, folder: Path) -> int:
    """Cumulative microseconds of importing the plugin module, after pytest itself is imported."""
    code = "import pytest, _pytest.config; import moto_ivschat.pytest_plugin"
    result = subprocess.run(
        [python, "-X", "importtime", "-c", code], cwd=folder, capture_output=True, text=True, check=True
    )
    line = [
        line for line in result.stderr.splitlines() if line.rstrip().endswith("moto_ivschat.pytest_plugin")
    ]
    return int(re.split(r"\|", line[-1])[1])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=21, help="runs of each (default: %(default)s)")
    parser.add_argument(
        "--moto", default=version("moto"), help="moto version to install (default: %(default)s)"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        python = _user_venv(folder, args.moto)
        (folder / "test_unrelated.py").write_text(TEST)
        _run(python, folder)  # warm the bytecode caches
        _run(python, folder, "-p", "no:moto_ivschat")
        with_plugin: list[float] = []
        without: list[float] = []
        loaded = ""
        for _ in range(args.rounds):
            seconds, output = _run(python, folder)
            with_plugin.append(seconds)
            loaded = next(line for line in output.splitlines() if line.startswith("loaded:"))
            without.append(_run(python, folder, "-p", "no:moto_ivschat")[0])
        imports = statistics.median(_plugin_import_us(python, folder) for _ in range(9))
        counted = (
            (_instructions(python, folder), _instructions(python, folder, "-p", "no:moto_ivschat"))
            if shutil.which("valgrind")
            else None
        )
    print(f"moto {args.moto}, the wheel of this checkout, pytest; {args.rounds} alternating rounds:")
    print(f"  {'':<28} {'median':>8} {'fastest':>8}")
    for label, runs in (("with the plugin", with_plugin), ("with -p no:moto_ivschat", without)):
        print(f"  {label:<28} {statistics.median(runs) * 1000:5.1f} ms {min(runs) * 1000:5.1f} ms")
    # The fastest run of each is the one least slowed by the rest of a shared machine.
    on, off = statistics.median(with_plugin), statistics.median(without)
    fastest = (min(with_plugin) - min(without)) * 1000
    difference = (on - off) * 1000
    print(f"  {'difference':<28} {difference:5.1f} ms {fastest:5.1f} ms   (ratio of medians {on / off:.3f})")
    print(
        f"  import of the plugin module  {imports / 1000:8.1f} ms   (-X importtime, cumulative, median of 9)"
    )
    print(f"  with the plugin, the test saw {loaded}")
    if counted is None:
        print("  (no valgrind here: no instruction counts)")
        return
    ratio = counted[0] / counted[1]
    print(
        f"  instructions (callgrind)     {counted[0]:,} with, {counted[1]:,} without: ratio {ratio:.4f},"
        f" i.e. {(ratio - 1) * off * 1000:.1f} ms of the median run without the plugin"
    )


if __name__ == "__main__":
    main()
