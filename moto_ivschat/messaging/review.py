"""Message review: rooms' review-handler Lambdas, as Python callables or moto's Lambda functions.

A room's ``messageReviewHandler.uri`` names a Lambda function. Tests register a
callable for that ARN, or create the function in moto's Lambda; the emulator calls
the callable (else invokes the function) for every SEND_MESSAGE with the
documented request and reads the documented response. A handler that raises,
answers something invalid, takes longer than 200 ms, or is neither registered nor
a function of moto's Lambda (as a Lambda that cannot be invoked) gets the room's
``fallbackResult``. Handlers run on each emulator's bounded ``ReviewPool``.
"""

from __future__ import annotations

import asyncio
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from functools import partial
from typing import Any

from ..ivschat.models import MAX_ATTRIBUTES_BYTES, attributes_size
from ..ivschat.validation import is_unicode
from .lambda_functions import invoke_moto_function

ReviewHandler = Callable[[dict[str, Any]], Any]
"""Called with the review request; returns ``{"ReviewResult": "ALLOW"|"DENY", ...}``."""

#: The service's timeout for a review handler.
REVIEW_TIMEOUT_SECONDS = 0.2

_FALLBACK_REASON = "the handler gave no valid answer in time, and the room's fallbackResult is DENY"

#: A review pool's queue of calls; ``None`` ends the thread that takes it.
_Calls = queue.SimpleQueue[tuple[Future[Any], ReviewHandler, dict[str, Any]] | None]

_handlers: dict[str, ReviewHandler] = {}
_handlers_lock = threading.Lock()


def register_review_handler(lambda_arn: str, handler: ReviewHandler) -> None:
    """Review the messages of every room whose handler ``uri`` is ``lambda_arn`` with ``handler``.

    ``handler`` runs on a thread of the emulator's review pool, so it may block;
    it receives ``{"Content", "MessageId", "RoomArn", "Attributes", "Sender":
    {"Attributes", "UserId", "Ip"}}`` and answers ``{"ReviewResult": "ALLOW",
    "Content", "Attributes"?}`` or ``{"ReviewResult": "DENY", "Attributes"?}``.
    Registering again replaces the handler.
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


class ReviewPool:
    """A bounded pool of daemon threads that run review handlers, ``workers`` at most.

    A call waits its turn in the pool's queue; one cancelled before it started
    (its review timed out) never runs. A handler that never returns ties up one
    thread of the pool, never more: the threads are daemons, so a stuck handler
    never blocks the interpreter's exit.
    """

    def __init__(self, workers: int) -> None:
        if workers < 1:
            raise ValueError("a review pool needs at least one worker")
        self._workers = workers
        self._calls: _Calls = queue.SimpleQueue()
        self._started = False
        self._lock = threading.Lock()

    def submit(self, handler: ReviewHandler, request: dict[str, Any]) -> Future[Any]:
        """Queue ``handler(request)``; return its future (cancel it to drop the call unless started)."""
        future: Future[Any] = Future()
        with self._lock:
            self._calls.put((future, handler, request))
            if not self._started:
                self._started = True
                for _ in range(self._workers):
                    threading.Thread(
                        target=_work, args=(self._calls,), name="ivschat-review", daemon=True
                    ).start()
        return future

    def shutdown(self) -> None:
        """Drop the calls not started; each thread ends once done with its current call.

        The pool can be used again: it starts new threads on a new queue.
        """
        with self._lock:
            calls, started = self._calls, self._started
            self._calls, self._started = queue.SimpleQueue(), False
        while True:
            try:
                call = calls.get_nowait()
            except queue.Empty:
                break
            if call is not None:
                call[0].cancel()
        if started:
            for _ in range(self._workers):
                calls.put(None)


def _work(calls: _Calls) -> None:
    """Run the calls of a pool's queue until it hands this thread ``None``."""
    while (call := calls.get()) is not None:
        future, handler, request = call
        if not future.set_running_or_notify_cancel():
            continue
        try:
            result = handler(request)
        except BaseException as error:  # handed to the waiting review
            future.set_exception(error)
        else:
            future.set_result(result)


@dataclass(frozen=True)
class Verdict:
    """What message review decided; ``content`` and ``attributes`` are what to deliver."""

    allowed: bool
    content: str
    attributes: dict[str, str] | None
    reason: str | None = None


async def review(
    pool: ReviewPool,
    handler_config: dict[str, str],
    request: dict[str, Any],
    attributes: dict[str, str] | None,
    maximum_message_length: int,
) -> Verdict:
    """Ask a room's handler (on ``pool``) about a message: ``request`` as documented, ``attributes`` as sent.

    The 200 ms include any wait for a thread of the pool.
    """
    content: str = request["Content"]
    fallback_result = handler_config["fallbackResult"]
    fallback = Verdict(fallback_result == "ALLOW", content, attributes, _FALLBACK_REASON)
    uri = handler_config["uri"]
    with _handlers_lock:
        handler = _handlers.get(uri) or partial(invoke_moto_function, uri)
    try:
        answer = await asyncio.wait_for(
            asyncio.wrap_future(pool.submit(handler, request)), REVIEW_TIMEOUT_SECONDS
        )
    except Exception:  # the handler raised, or timed out: as a failed Lambda
        return fallback
    return _read_answer(answer, content, attributes, maximum_message_length) or fallback


def _strings(value: Any) -> bool:
    """Whether ``value`` is an object of valid Unicode strings (keys and values)."""
    return type(value) is dict and all(
        isinstance(v, str) and is_unicode(k) and is_unicode(v) for k, v in value.items()
    )


def _read_answer(
    answer: Any, content: str, attributes: dict[str, str] | None, maximum_message_length: int
) -> Verdict | None:
    """Return the verdict a handler's answer gives, or ``None`` if the answer is invalid.

    ALLOW must give the ``Content`` to deliver (a non-empty string within the
    room's maximum length: the user guide calls an answer that breaks the
    syntax or the field constraints invalid) and may replace the attributes
    (string values, 1 KB in total); a DENY may give a ``Reason`` attribute,
    which the sender's error message repeats.
    """
    if type(answer) is not dict:
        return None
    result = answer.get("ReviewResult")
    new_attributes = answer.get("Attributes")
    if new_attributes is not None and (
        not _strings(new_attributes) or attributes_size(new_attributes) > MAX_ATTRIBUTES_BYTES
    ):
        return None
    if result == "DENY":
        return Verdict(False, content, attributes, (new_attributes or {}).get("Reason"))
    if result != "ALLOW":
        return None
    new_content = answer.get("Content")
    if (
        not isinstance(new_content, str)
        or not 0 < len(new_content) <= maximum_message_length
        or not is_unicode(new_content)
    ):
        return None
    return Verdict(True, new_content, new_attributes if "Attributes" in answer else attributes)
