"""The contract suite in its endpoint mode, against our own server: every test passes, none skipped."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from server_process import ServerProcess

CONTRACT = Path(__file__).parents[1] / "contract"


def _pytest(*args: str) -> subprocess.CompletedProcess[str]:
    # A fresh pytest, not an xdist worker of this one.
    env = {name: value for name, value in os.environ.items() if not name.startswith("PYTEST_")}
    return subprocess.run(
        [sys.executable, "-m", "pytest", str(CONTRACT), "-p", "no:cacheprovider", "-q", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        check=False,
    )


def test_contract_suite_passes_against_the_server(server: ServerProcess) -> None:
    collected = re.search(r"^(\d+) tests? collected", _pytest("--collect-only").stdout, re.MULTILINE)
    assert collected is not None
    result = _pytest("--ivschat-endpoint-url", server.url)
    assert result.returncode == 0, result.stdout + result.stderr
    summary = result.stdout.strip().splitlines()[-1]
    assert re.match(rf"{collected.group(1)} passed in ", summary), summary
