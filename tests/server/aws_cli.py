"""The AWS CLI v1 of the test environment, run against one endpoint with no user config."""

from __future__ import annotations

import json
import os
import subprocess
from typing import Any

from server_process import BIN


class AwsCli:
    """Runs ``aws [SERVICE] ...`` against one endpoint, with no user config or credentials files."""

    def __init__(self, endpoint_url: str, *service: str) -> None:
        self.command = [str(BIN / "aws"), "--endpoint-url", endpoint_url, "--output=json", *service]
        self.env = {
            **os.environ,
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_DEFAULT_REGION": "us-east-1",
            "AWS_CONFIG_FILE": os.devnull,
            "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
        }

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        """Run a command, whatever its outcome."""
        command = [*self.command, *args]
        return subprocess.run(command, capture_output=True, text=True, env=self.env, timeout=300, check=False)

    def __call__(self, *args: str) -> Any:
        """Run a command that must succeed: its JSON output, its text if not JSON, None if silent."""
        result = self.run(*args)
        assert result.returncode == 0, result.stderr
        output = result.stdout.strip()
        if not output:
            return None
        return json.loads(output) if output[0] in "{[" else result.stdout
