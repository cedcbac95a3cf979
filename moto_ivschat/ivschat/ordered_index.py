"""Resources by ID, newest ``updateTime`` first, with O(1) lookups and linear paging.

Resources are kept in a dict whose order is ascending by sort key
``(updateTime, change number)``: a change re-inserts the resource at the end,
which keeps the order for free while the clock runs forward (a clock moved back,
as freezegun can, costs one re-sort). Listing walks a snapshot of the dict in
reverse, rebuilt only after a change. A page token carries the sort key of the
last item returned, so the next page starts with a bisection, however the
collection changed in between.
"""

from __future__ import annotations

import base64
import binascii
import json
from bisect import bisect_right
from collections.abc import Callable, Iterator
from typing import Generic, Protocol, TypeVar

from .exceptions import ValidationException

SortKey = tuple[int, int]


class Ordered(Protocol):
    """A resource the index can hold."""

    @property
    def id(self) -> str: ...

    @property
    def sort_key(self) -> SortKey: ...


R = TypeVar("R", bound=Ordered)


def encode_token(key: SortKey) -> str:
    """Return the opaque page token that resumes after ``key``."""
    raw = json.dumps([key[0], key[1]]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_token(token: str) -> SortKey:
    """Return the sort key in ``token``; a token we did not make is a ValidationException."""
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        first, second = json.loads(raw)
        if type(first) is int and type(second) is int:
            return first, second
    except (binascii.Error, ValueError, TypeError):
        pass
    raise ValidationException.for_field("nextToken", "The pagination token is invalid")


class OrderedIndex(Generic[R]):
    """Resources by ID, listed newest first. Not locked: the backend holds the lock."""

    def __init__(self) -> None:
        self._items: dict[str, R] = {}
        self._last_key: SortKey | None = None
        self._in_order = True
        self._snapshot: list[R] | None = None
        self._snapshot_keys: list[tuple[int, int]] = []

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[R]:
        return iter(self._items.values())

    def get(self, resource_id: str) -> R | None:
        """Return the resource with ``resource_id``, or ``None``."""
        return self._items.get(resource_id)

    def put(self, resource: R) -> None:
        """Add ``resource`` or record that it changed (its sort key moved)."""
        self._items.pop(resource.id, None)
        self._items[resource.id] = resource
        key = resource.sort_key
        if self._last_key is not None and key < self._last_key:
            self._in_order = False
        self._last_key = key
        self._snapshot = None

    def remove(self, resource_id: str) -> R | None:
        """Remove and return the resource with ``resource_id``, if any."""
        self._snapshot = None
        return self._items.pop(resource_id, None)

    def _newest_first(self) -> list[R]:
        if self._snapshot is None:
            if not self._in_order:
                ordered = sorted(self._items.values(), key=lambda r: r.sort_key)
                self._items = {r.id: r for r in ordered}
                self._in_order = True
            self._snapshot = list(reversed(self._items.values()))
            # Negated keys ascend, so a bisection finds where a token resumes.
            self._snapshot_keys = [(-k[0], -k[1]) for k in (r.sort_key for r in self._snapshot)]
        return self._snapshot

    def page(
        self,
        limit: int,
        token: str | None = None,
        keep: Callable[[R], bool] | None = None,
    ) -> tuple[list[R], str | None]:
        """Return up to ``limit`` resources that ``keep`` accepts, and the next token."""
        items = self._newest_first()
        start = 0
        if token:
            first, second = decode_token(token)
            start = bisect_right(self._snapshot_keys, (-first, -second))
        found: list[R] = []
        for index in range(start, len(items)):
            item = items[index]
            if keep is not None and not keep(item):
                continue
            if len(found) == limit:
                return found, encode_token(found[-1].sort_key)
            found.append(item)
        return found, None
