"""``mock_ivschat``: moto's ``mock_aws``, with ivschat registered."""

from __future__ import annotations

from collections.abc import Callable
from typing import ParamSpec, TypeVar, overload

from moto import mock_aws
from moto.core.config import DefaultConfig
from moto.core.models import MockAWS

P = ParamSpec("P")
T = TypeVar("T")


@overload
def mock_ivschat(func: Callable[P, T]) -> Callable[P, T]: ...


@overload
def mock_ivschat(func: None = None, config: DefaultConfig | None = None) -> MockAWS: ...


def mock_ivschat(
    func: Callable[P, T] | None = None, config: DefaultConfig | None = None
) -> MockAWS | Callable[P, T]:
    """Mock ivschat (and every other moto service) for a function, a class or a ``with`` block.

    State starts empty on entry (for a class: for each test method) and is
    reset on exit, exactly as with ``moto.mock_aws``.
    """
    if func is not None:
        return mock_aws(func)
    return mock_aws(config=config)
