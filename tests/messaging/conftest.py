"""Fixtures of the messaging tests: the emulator beside the mock, and chat clients.

``ivschat_mock`` and ``ivschat_chat_url`` come from ``moto_ivschat.pytest_plugin`` (its entry point).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack

import pytest
from chat_kit import ChatKit


@pytest.fixture
def chat(ivschat_chat_url: str) -> Iterator[ChatKit]:
    """Make rooms and connect clients to the emulator of this test."""
    with ExitStack() as stack:
        yield ChatKit(ivschat_chat_url, stack)
