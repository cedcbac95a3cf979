"""A ``moto-ivschat-server`` process on a free port of 127.0.0.1, one per test worker."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import Any

import pytest
from server_process import ServerProcess, start_server, stop_server


@pytest.fixture(scope="session")
def server_process() -> Iterator[ServerProcess]:
    """``python -m moto_ivschat`` on a free port, for the tests of this worker."""
    server = start_server([sys.executable, "-m", "moto_ivschat"])
    yield server
    stop_server(server.process)


@pytest.fixture
def server(server_process: ServerProcess) -> ServerProcess:
    """The worker's server, with every service emptied first."""
    server_process.reset()
    return server_process


@pytest.fixture
def room(server: ServerProcess) -> dict[str, Any]:
    """A room that a bad request must leave as it was (see ``assert_nothing_lost``)."""
    return server.client().create_room(name="survivor", tags={"keep": "me"})
