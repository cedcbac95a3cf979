"""What the installed pytest plugin adds to a pytest run that never uses it.

Run from a checkout, with the project's virtualenv::

    .venv/bin/python benchmarks/plugin_startup.py             # about 30 seconds
    .venv/bin/python benchmarks/plugin_startup.py --rounds 3  # a smoke run

In a temporary folder with one unrelated test file (no conftest), it times whole
``python -m pytest`` runs with the plugin and with ``-p no:moto_ivschat``, in
alternating rounds so that load from other processes falls on both alike, and
prints the medians, their difference and ratio. It also prints what ``-X
importtime`` says loading the plugin module costs, and whether the run imported
moto or boto3. It asserts nothing.
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TEST = """
import sys

def test_unrelated():
    print("loaded:", sorted(m for m in ("moto", "boto3", "botocore") if m in sys.modules))
"""


def _run(folder: Path, *extra: str) -> tuple[float, str]:
    command = [
        sys.executable,
        "-m",
        "pytest",
        "-q",
        "-s",
        "-p",
        "no:cacheprovider",
        *extra,
        "test_unrelated.py",
    ]
    started = time.perf_counter()
    result = subprocess.run(command, cwd=folder, capture_output=True, text=True, check=True)
    return time.perf_counter() - started, result.stdout


def _plugin_import_us(folder: Path) -> int:
    """Cumulative microseconds of importing the plugin module, after pytest itself is imported."""
    code = "import pytest, _pytest.config; import moto_ivschat.pytest_plugin"
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code],
        cwd=folder,
        capture_output=True,
        text=True,
        check=True,
    )
    line = [
        line for line in result.stderr.splitlines() if line.rstrip().endswith("moto_ivschat.pytest_plugin")
    ]
    return int(re.split(r"\|", line[-1])[1])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=15, help="runs of each (default: %(default)s)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "test_unrelated.py").write_text(TEST)
        _run(folder)  # warm the bytecode caches
        _run(folder, "-p", "no:moto_ivschat")
        with_plugin: list[float] = []
        without: list[float] = []
        loaded = ""
        for _ in range(args.rounds):
            seconds, output = _run(folder)
            with_plugin.append(seconds)
            loaded = next(line for line in output.splitlines() if line.startswith("loaded:"))
            without.append(_run(folder, "-p", "no:moto_ivschat")[0])
        imports = statistics.median(_plugin_import_us(folder) for _ in range(9))
    on, off = statistics.median(with_plugin), statistics.median(without)
    print(f"pytest run of one unrelated test, medians of {args.rounds} alternating rounds:")
    print(f"  with the plugin              {on * 1000:8.1f} ms")
    print(f"  with -p no:moto_ivschat      {off * 1000:8.1f} ms")
    print(f"  difference                   {(on - off) * 1000:8.1f} ms   (ratio {on / off:.3f})")
    print(
        f"  import of the plugin module  {imports / 1000:8.1f} ms   (-X importtime, cumulative, median of 9)"
    )
    print(f"  with the plugin, the test saw {loaded}")


if __name__ == "__main__":
    main()
