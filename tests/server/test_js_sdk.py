"""AWS SDK for JavaScript v3 (``@aws-sdk/client-ivschat``) against the server, run with node.

Needs node (20 or later) and the SDK installed by ``npm ci --prefix tests/js`` (tox does it).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from server_process import ServerProcess

JS = Path(__file__).parents[1] / "js"


def test_every_operation_typed_errors_and_encoded_tag_paths(server: ServerProcess) -> None:
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is not on PATH")
    if not (JS / "node_modules" / "@aws-sdk" / "client-ivschat").is_dir():
        pytest.fail(f"the JS SDK is not installed: run `npm ci --prefix {JS}`")
    result = subprocess.run(
        [node, "--test", "--test-reporter=tap", "ivschat.test.mjs"],
        cwd=JS,
        env={**os.environ, "IVSCHAT_ENDPOINT_URL": server.url},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "# fail 0" in result.stdout
    assert "# pass 6" in result.stdout
