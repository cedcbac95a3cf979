"""moto-ivschat: an in-process mock of Amazon IVS Chat (``ivschat``) for moto.

Importing this package registers ivschat with moto — at once if moto is loaded,
otherwise the moment moto is — so ``moto.mock_aws`` and
``moto_ivschat.mock_ivschat`` both intercept boto3 ``ivschat`` calls. The names
below are loaded on first use: ``import moto_ivschat`` alone imports neither
moto nor boto3.

(PYTEST_DONT_REWRITE: loaded with the pytest plugin, this module holds no assertion
for pytest to rewrite, and rewriting it would cost every pytest run.)
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .import_hooks import after_import

__version__ = "0.2.0"

if TYPE_CHECKING:
    from .inspection import (
        RoomNotFoundError,
        chat_tokens,
        message_deletions,
        sent_events,
        sent_messages,
        user_disconnections,
        verify_chat_token,
    )
    from .ivschat.chat_tokens import ChatTokenError, ChatTokenErrorReason
    from .ivschat.models import ChatToken, IvschatBackend, ivschat_backends
    from .ivschat.records import EventRecord, MessageDeletion, MessageRecord, UserDisconnection
    from .mock import mock_ivschat

__all__ = [
    "ChatToken",
    "ChatTokenError",
    "ChatTokenErrorReason",
    "EventRecord",
    "IvschatBackend",
    "MessageDeletion",
    "MessageRecord",
    "RoomNotFoundError",
    "UserDisconnection",
    "__version__",
    "chat_tokens",
    "ivschat_backends",
    "message_deletions",
    "mock_ivschat",
    "sent_events",
    "sent_messages",
    "user_disconnections",
    "verify_chat_token",
]

#: The module each public name is loaded from, on first use.
_HOMES = {
    "ChatToken": ".ivschat.models",
    "ChatTokenError": ".ivschat.chat_tokens",
    "ChatTokenErrorReason": ".ivschat.chat_tokens",
    "EventRecord": ".ivschat.records",
    "IvschatBackend": ".ivschat.models",
    "MessageDeletion": ".ivschat.records",
    "MessageRecord": ".ivschat.records",
    "RoomNotFoundError": ".inspection",
    "UserDisconnection": ".ivschat.records",
    "chat_tokens": ".inspection",
    "ivschat_backends": ".ivschat.models",
    "message_deletions": ".inspection",
    "mock_ivschat": ".mock",
    "sent_events": ".inspection",
    "sent_messages": ".inspection",
    "user_disconnections": ".inspection",
    "verify_chat_token": ".inspection",
}


def __getattr__(name: str) -> Any:
    # Not cached here: the name always comes from the module in ``sys.modules``,
    # so a re-imported module (pytester's in-process runs do this) is the one used.
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(home, __name__), name)


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


def _register() -> None:
    from .registration import register

    register()


# ivschat joins moto when moto is loaded: now, or the moment something imports it.
after_import("moto", _register)
