"""moto-ivschat: an in-process mock of Amazon IVS Chat (``ivschat``) for moto.

Importing this package registers ivschat with moto, so ``moto.mock_aws`` and
``moto_ivschat.mock_ivschat`` both intercept boto3 ``ivschat`` calls.
"""

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
from .ivschat.models import (
    ChatToken,
    EventRecord,
    MessageDeletion,
    MessageRecord,
    UserDisconnection,
    ivschat_backends,
)
from .mock import mock_ivschat
from .registration import register

register()

__all__ = [
    "ChatToken",
    "ChatTokenError",
    "ChatTokenErrorReason",
    "EventRecord",
    "MessageDeletion",
    "MessageRecord",
    "RoomNotFoundError",
    "UserDisconnection",
    "chat_tokens",
    "ivschat_backends",
    "message_deletions",
    "mock_ivschat",
    "sent_events",
    "sent_messages",
    "user_disconnections",
    "verify_chat_token",
]
