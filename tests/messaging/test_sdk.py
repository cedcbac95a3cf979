"""The official JavaScript chat SDK (``amazon-ivs-chat-messaging``) against the emulator.

Needs node (20 or later) and the SDK installed by ``npm ci --prefix tests/messaging/js``.
"""

from __future__ import annotations

import json
import queue
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import pytest
from chat_kit import ChatKit, backend_room

JS = Path(__file__).parent / "js"
#: Bounds a hung SDK only: each step takes milliseconds.
STEP_TIMEOUT = 30.0


def node_command() -> list[str]:
    """``node``, with the flag that gives node 20 and 21 a global ``WebSocket``."""
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is not installed: the SDK test needs node 20 or later")
    if not (JS / "node_modules" / "amazon-ivs-chat-messaging").is_dir():
        pytest.fail(f"the chat SDK is not installed: run `npm ci --prefix {JS}`")
    version = subprocess.run([node, "--version"], capture_output=True, text=True, check=True).stdout
    major = int(version.lstrip("v").split(".")[0])
    return [node, "--experimental-websocket"] if major < 22 else [node]


class SdkProcess:
    """The SDK script, read one JSON step at a time."""

    def __init__(self, command: list[str], stderr: IO[str]) -> None:
        self.process = subprocess.Popen(command, cwd=JS, stdout=subprocess.PIPE, stderr=stderr, text=True)
        self._stderr = stderr
        self._lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self._lines.put(line)

    def step(self) -> dict[str, Any]:
        """The next step the script reports."""
        try:
            line = self._lines.get(timeout=STEP_TIMEOUT)
        except queue.Empty:
            self._stderr.seek(0)
            pytest.fail(f"the SDK script reported nothing; its stderr:\n{self._stderr.read()}")
        step: dict[str, Any] = json.loads(line)
        return step


@pytest.fixture
def sdk_stderr() -> Iterator[IO[str]]:
    with tempfile.TemporaryFile("w+") as stderr:
        yield stderr


def test_the_official_sdk_chats_and_is_disconnected(chat: ChatKit, sdk_stderr: IO[str]) -> None:
    room = chat.create_room()
    token = chat.token(room, "sdk-user", capabilities=["SEND_MESSAGE"], attributes={"name": "Ada"})
    sdk = SdkProcess([*node_command(), "sdk_roundtrip.mjs", chat.url, token], sdk_stderr)
    try:
        assert sdk.step() == {"step": "connected"}
        message = sdk.step()
        [record] = backend_room(room).messages
        assert message == {
            "step": "message",
            "id": record.id,
            "content": "hello from the SDK",
            "attributes": {"mood": "happy"},
            "sender": {"userId": "sdk-user", "attributes": {"name": "Ada"}},
            "requestIdEchoed": True,
            "sendTime": record.time.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "refusal": {"errorCode": 403, "requestIdEchoed": True},
        }
        chat.ivschat.send_event(roomIdentifier=room["arn"], eventName="app:ping", attributes={"n": "1"})
        assert sdk.step() == {"step": "event", "eventName": "app:ping", "attributes": {"n": "1"}}
        chat.ivschat.disconnect_user(roomIdentifier=room["arn"], userId="sdk-user", reason="bye")
        assert sdk.step() == {"step": "userDisconnect", "userId": "sdk-user", "reason": "bye"}
        assert sdk.step() == {"step": "disconnect", "reason": "serverDisconnect"}
        assert sdk.process.wait(STEP_TIMEOUT) == 0
    finally:
        if sdk.process.poll() is None:
            sdk.process.kill()
            sdk.process.wait()
