"""Fixtures of the messaging tests: the emulator beside the mock, and chat clients.

``ivschat_mock`` and ``ivschat_chat_url`` come from ``moto_ivschat.pytest_plugin`` (its entry point).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from typing import Any

import pytest
from chat_kit import ChatKit

from moto_ivschat.messaging import ChatServer, clear_review_handlers


@pytest.fixture
def chat_settings() -> dict[str, Any]:
    """The ``ChatServer`` settings of the test's emulator (a test overrides them by parametrizing)."""
    return {}


@pytest.fixture
def chat_server(ivschat_mock: object, chat_settings: dict[str, Any]) -> Iterator[ChatServer]:
    """The test's emulator, beside the mock; it forgets the review handlers registered."""
    with ChatServer(**chat_settings) as server:
        try:
            yield server
        finally:
            clear_review_handlers()


@pytest.fixture
def chat(chat_server: ChatServer) -> Iterator[ChatKit]:
    """Make rooms and connect clients to the emulator of this test."""
    with ExitStack() as stack:
        yield ChatKit(chat_server.url, stack)
