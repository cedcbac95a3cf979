"""Message review: Python callables standing in for rooms' review-handler Lambdas.

A room's ``messageReviewHandler.uri`` names a Lambda function. Tests register a
callable for that ARN; the emulator calls it for every SEND_MESSAGE with the
documented request and reads the documented response. A handler that raises,
answers something invalid, takes longer than 200 ms, or has no callable
registered (as a Lambda that cannot be invoked) gets the room's
``fallbackResult``.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..ivschat.models import MAX_ATTRIBUTES_BYTES, attributes_size

ReviewHandler = Callable[[dict[str, Any]], Any]
"""Called with the review request; returns ``{"ReviewResult": "ALLOW"|"DENY", ...}``."""

#: The service's timeout for a review handler.
REVIEW_TIMEOUT_SECONDS = 0.2

_FALLBACK_REASON = "the handler gave no valid answer in time, and the room's fallbackResult is DENY"

_handlers: dict[str, ReviewHandler] = {}
_handlers_lock = threading.Lock()


def register_review_handler(lambda_arn: str, handler: ReviewHandler) -> None:
    """Review the messages of every room whose handler ``uri`` is ``lambda_arn`` with ``handler``.

    ``handler`` runs on a thread of its own, so it may block; it receives
    ``{"Content", "MessageId", "RoomArn", "Attributes", "Sender": {"Attributes",
    "UserId", "Ip"}}`` and answers ``{"ReviewResult": "ALLOW" | "DENY",
    "Content"?, "Attributes"?}``. Registering again replaces the handler.
    """
    with _handlers_lock:
        _handlers[lambda_arn] = handler


def unregister_review_handler(lambda_arn: str) -> None:
    """Forget the handler registered for ``lambda_arn`` (if any)."""
    with _handlers_lock:
        _handlers.pop(lambda_arn, None)


def clear_review_handlers() -> None:
    """Forget every registered handler."""
    with _handlers_lock:
        _handlers.clear()


@dataclass(frozen=True)
class Verdict:
    """What message review decided; ``content`` and ``attributes`` are what to deliver."""

    allowed: bool
    content: str
    attributes: dict[str, str] | None
    reason: str | None = None


async def review(
    handler_config: dict[str, str],
    request: dict[str, Any],
    attributes: dict[str, str] | None,
    maximum_message_length: int,
) -> Verdict:
    """Ask a room's handler about a message: ``request`` as documented, ``attributes`` as sent."""
    content: str = request["Content"]
    fallback_result = handler_config["fallbackResult"]
    fallback = Verdict(fallback_result == "ALLOW", content, attributes, _FALLBACK_REASON)
    with _handlers_lock:
        handler = _handlers.get(handler_config["uri"])
    if handler is None:
        return fallback
    try:
        answer = await asyncio.wait_for(_call_in_thread(handler, request), REVIEW_TIMEOUT_SECONDS)
    except Exception:  # the handler raised, or timed out: as a failed Lambda
        return fallback
    return _read_answer(answer, content, attributes, maximum_message_length) or fallback


def _read_answer(
    answer: Any, content: str, attributes: dict[str, str] | None, maximum_message_length: int
) -> Verdict | None:
    """Return the verdict a handler's answer gives, or ``None`` if the answer is invalid.

    ALLOW may replace the content (a non-empty string within the room's maximum
    length) and the attributes (string values, 1 KB in total); a DENY may give a
    ``Reason`` attribute, which the sender's error message repeats.
    """
    if type(answer) is not dict:
        return None
    result = answer.get("ReviewResult")
    new_attributes = answer.get("Attributes")
    if new_attributes is not None and (
        type(new_attributes) is not dict
        or not all(isinstance(v, str) for v in new_attributes.values())
        or attributes_size(new_attributes) > MAX_ATTRIBUTES_BYTES
    ):
        return None
    if result == "DENY":
        return Verdict(False, content, attributes, (new_attributes or {}).get("Reason"))
    if result != "ALLOW":
        return None
    new_content = answer.get("Content", content)
    if not isinstance(new_content, str) or not 0 < len(new_content) <= maximum_message_length:
        return None
    return Verdict(True, new_content, new_attributes if "Attributes" in answer else attributes)


def _call_in_thread(handler: ReviewHandler, request: dict[str, Any]) -> asyncio.Future[Any]:
    """Run ``handler(request)`` on a daemon thread (a stuck handler never blocks exit)."""
    loop = asyncio.get_running_loop()
    future: asyncio.Future[Any] = loop.create_future()

    def settle(result: Any, error: Exception | None) -> None:
        if future.done():  # timed out meanwhile
            return
        if error is not None:
            future.set_exception(error)
        else:
            future.set_result(result)

    def run() -> None:
        result: Any = None
        error: Exception | None = None
        try:
            result = handler(request)
        except Exception as exc:
            error = exc
        with contextlib.suppress(RuntimeError):  # the emulator stopped meanwhile
            loop.call_soon_threadsafe(settle, result, error)

    threading.Thread(target=run, name="ivschat-review", daemon=True).start()
    return future
