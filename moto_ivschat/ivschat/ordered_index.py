"""Resources by ID, newest ``updateTime`` first, with O(1) lookups and linear paging.

Resources are kept in a dict whose order is ascending by sort key
``(updateTime, change number)``: a change re-inserts the resource at the end,
which keeps the order for free while the clock runs forward (a clock moved back,
as freezegun can, costs one re-sort). Listing walks a snapshot of the dict in
reverse, rebuilt only after a change. A page token carries the sort key of the
last item returned, so the next page starts with a bisection, however the
collection changed in between.

An index can also be filtered by *facets*: named functions giving the values a
resource is found by (its name, say). ``put`` and ``remove`` keep, per facet, the
IDs of the resources with each value, so a filtered listing orders only the
matches (once per change), not the whole collection. Facets read a resource when
it is put: change resources through ``put``, as for their sort key.
"""

from __future__ import annotations

import base64
import binascii
import json
from bisect import bisect_right
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping
from itertools import compress, islice
from operator import attrgetter
from typing import Generic, Protocol, TypeAlias, TypeVar

from .exceptions import ValidationException

SortKey = tuple[int, int]


class Ordered(Protocol):
    """A resource the index can hold."""

    @property
    def id(self) -> str: ...

    @property
    def sort_key(self) -> SortKey: ...


R = TypeVar("R", bound=Ordered)
#: A facet: the values a resource is found by.
Facet: TypeAlias = Callable[[R], Iterable[Hashable]]
#: IDs as the keys of a dict: a set that the garbage collector need not track.
IdSet = dict[str, None]
_NO_IDS: IdSet = {}
_ID = attrgetter("id")


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

    def __init__(self, facets: Mapping[str, Facet[R]] | None = None) -> None:
        self._items: dict[str, R] = {}
        self._last_key: SortKey | None = None
        self._in_order = True
        self._snapshot: list[R] | None = None
        self._facets = dict(facets or {})
        #: Per facet: value -> IDs of the resources that have it.
        self._ids: dict[str, dict[Hashable, IdSet]] = {name: {} for name in self._facets}
        #: Per ID: its values of each facet when it was put (what ``remove`` takes out).
        self._values: dict[str, tuple[tuple[Hashable, ...], ...]] = {}
        #: ``(facet, value)`` -> the resources that have it, newest first (until a change).
        self._matches: dict[tuple[str, Hashable], list[R]] = {}

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
        self._changed()
        if self._facets:
            values = tuple(tuple(dict.fromkeys(values_of(resource))) for values_of in self._facets.values())
            old = self._values.get(resource.id)
            if values != old:
                if old is not None:
                    self._unindex(resource.id, old)
                for by_value, facet_values in zip(self._ids.values(), values, strict=True):
                    for value in facet_values:
                        by_value.setdefault(value, {})[resource.id] = None
                self._values[resource.id] = values

    def count(self, facet: str, value: Hashable) -> int:
        """Return how many resources have ``value`` among their ``facet`` values."""
        return len(self._ids[facet].get(value, _NO_IDS))

    def remove(self, resource_id: str) -> R | None:
        """Remove and return the resource with ``resource_id``, if any."""
        self._changed()
        old = self._values.pop(resource_id, None)
        if old is not None:
            self._unindex(resource_id, old)
        return self._items.pop(resource_id, None)

    def _changed(self) -> None:
        self._snapshot = None
        self._matches = {}

    def _unindex(self, resource_id: str, values: tuple[tuple[Hashable, ...], ...]) -> None:
        for by_value, facet_values in zip(self._ids.values(), values, strict=True):
            for value in facet_values:
                ids = by_value[value]
                del ids[resource_id]
                if not ids:
                    del by_value[value]

    def _newest_first(self) -> list[R]:
        if self._snapshot is None:
            if not self._in_order:
                ordered = sorted(self._items.values(), key=lambda r: r.sort_key)
                self._items = {r.id: r for r in ordered}
                self._in_order = True
                # The last put may not hold the greatest key: the next put must
                # compare with the key that now ends the order.
                self._last_key = ordered[-1].sort_key if ordered else None
            self._snapshot = list(reversed(self._items.values()))
        return self._snapshot

    def _matching(self, facet: str, value: Hashable) -> list[R]:
        """The resources whose ``facet`` has ``value``, newest first (built once per change)."""
        matches = self._matches.get((facet, value))
        if matches is None:
            ids = self._ids[facet].get(value, _NO_IDS)
            if len(ids) * 8 < len(self._items):
                # Few: order just them.
                matches = sorted(map(self._items.__getitem__, ids), key=_descending)
            else:
                # Many: pick them from the ordered whole, in C.
                snapshot = self._newest_first()
                matches = list(compress(snapshot, map(ids.__contains__, map(_ID, snapshot))))
            self._matches[facet, value] = matches
        return matches

    def page(
        self,
        limit: int,
        token: str | None = None,
        where: Mapping[str, Hashable] | None = None,
    ) -> tuple[list[R], str | None]:
        """Return up to ``limit`` resources with every facet value in ``where``, and the next token."""
        others: list[IdSet] = []
        if where:
            # Walk the fewest matches; check the other facets by ID.
            sizes = {name: len(self._ids[name].get(value, _NO_IDS)) for name, value in where.items()}
            walked = min(sizes, key=sizes.__getitem__)
            items = self._matching(walked, where[walked])
            others = [self._ids[name].get(value, _NO_IDS) for name, value in where.items() if name != walked]
        else:
            items = self._newest_first()
        start = 0
        if token:
            first, second = decode_token(token)
            # Negated keys ascend along the list: a bisection finds where to resume.
            start = bisect_right(items, (-first, -second), key=_descending)
        # One more than a page tells whether a next page exists.
        if others:
            rest = map(items.__getitem__, range(start, len(items)))
            kept = (r for r in rest if all(r.id in ids for ids in others))
            found = list(islice(kept, limit + 1))
        else:
            found = items[start : start + limit + 1]
        if len(found) > limit:
            del found[limit:]
            return found, encode_token(found[-1].sort_key)
        return found, None


def _descending(resource: Ordered) -> SortKey:
    """The sort key negated, so that a newest-first list ascends by it."""
    key = resource.sort_key
    return -key[0], -key[1]
