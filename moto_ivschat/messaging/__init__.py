"""An emulator of the Chat Messaging API: the WebSocket rooms chat clients connect to.

Start one with ``start_chat_server()`` (or the ``ivschat_chat_url`` pytest
fixture), connect clients to its ``url`` with tokens from CreateChatToken, and
register Python callables for rooms' message-review Lambdas with
``register_review_handler``.
"""

from .review import (
    REVIEW_TIMEOUT_SECONDS,
    ReviewHandler,
    clear_review_handlers,
    register_review_handler,
    unregister_review_handler,
)
from .server import ChatServer, start_chat_server

__all__ = [
    "REVIEW_TIMEOUT_SECONDS",
    "ChatServer",
    "ReviewHandler",
    "clear_review_handlers",
    "register_review_handler",
    "start_chat_server",
    "unregister_review_handler",
]
