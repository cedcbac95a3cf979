"""Request validation compiled once from botocore's ivschat service model.

Every input shape becomes a small checker function, built on first use of an
operation and cached: required members, types, lengths, value ranges, patterns
(matched against the whole string), enums and unions with exactly one member.
A request is checked in full before the backend sees it, so a bad call changes
nothing and its ``ValidationException`` names every bad field.

As AWS's JSON protocols do, a structure member sent as ``null`` is absent: the
checker drops it, so the backend never sees a ``None`` member. A string with an
unpaired surrogate (``"\\ud800"`` is valid JSON, but no Unicode) is refused.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from typing import Any

from botocore.model import ListShape, MapShape, Shape, StructureShape

from .exceptions import ValidationException
from .service_model import service_model

#: Collects ``{"name": <field path>, "message": <constraint>}`` entries.
Errors = list[dict[str, str]]
Checker = Callable[[Any, str, Errors], None]

#: The model's ``ResourceArn`` pattern allows one character before the ``/``
#: (``:[a-z-]/``), which would refuse every real ARN; the service accepts
#: ``room/...`` and ``logging-configuration/...``, so the class takes a repeat.
_PATTERN_FIXES = {"ResourceArn": (":[a-z-]/", ":[a-z-]+/")}


def _fail(errors: Errors, path: str, constraint: str) -> None:
    errors.append(
        {
            "name": path,
            "message": f"Value at '{path}' failed to satisfy constraint: {constraint}",
        }
    )


def _pattern(shape: Shape) -> re.Pattern[str] | None:
    pattern = shape.metadata.get("pattern")
    if pattern is None:
        return None
    fix = _PATTERN_FIXES.get(shape.name)
    if fix is not None:
        pattern = pattern.replace(*fix)
    return re.compile(pattern)


def _string_checker(shape: Shape) -> Checker:
    lo = shape.metadata.get("min")
    hi = shape.metadata.get("max")
    regex = _pattern(shape)
    enum = shape.enum or None
    enum_set = frozenset(enum) if enum else None
    pattern_text = shape.metadata.get("pattern")

    def check(value: Any, path: str, errors: Errors) -> None:
        if type(value) is not str:
            _fail(errors, path, "Member must be of type string")
            return
        if not is_unicode(value):
            _fail(errors, path, "Member must be valid Unicode (no unpaired surrogates)")
            return
        size = len(value)
        if lo is not None and size < lo:
            _fail(errors, path, f"Member must have length greater than or equal to {lo}")
        if hi is not None and size > hi:
            _fail(errors, path, f"Member must have length less than or equal to {hi}")
        if regex is not None and regex.fullmatch(value) is None:
            _fail(errors, path, f"Member must satisfy regular expression pattern: {pattern_text}")
        if enum_set is not None and value not in enum_set:
            _fail(errors, path, f"Member must satisfy enum value set: [{', '.join(enum or ())}]")

    return check


def is_unicode(value: str) -> bool:
    """Whether ``value`` encodes as UTF-8 (JSON's ``\\ud800`` escapes decode to lone surrogates)."""
    if value.isascii():
        return True
    try:
        value.encode()
    except UnicodeEncodeError:
        return False
    return True


def _integer_checker(shape: Shape) -> Checker:
    lo = shape.metadata.get("min")
    hi = shape.metadata.get("max")

    def check(value: Any, path: str, errors: Errors) -> None:
        if type(value) is not int:
            _fail(errors, path, "Member must be of type integer")
            return
        if lo is not None and value < lo:
            _fail(errors, path, f"Member must have value greater than or equal to {lo}")
        if hi is not None and value > hi:
            _fail(errors, path, f"Member must have value less than or equal to {hi}")

    return check


def _size_check(shape: Shape, noun: str) -> Callable[[int, str, Errors], None]:
    lo = shape.metadata.get("min")
    hi = shape.metadata.get("max")

    def check(size: int, path: str, errors: Errors) -> None:
        if lo is not None and size < lo:
            _fail(errors, path, f"Member must have {noun} greater than or equal to {lo}")
        if hi is not None and size > hi:
            _fail(errors, path, f"Member must have {noun} less than or equal to {hi}")

    return check


def _list_checker(shape: ListShape) -> Checker:
    member = _checker(shape.member)
    size_check = _size_check(shape, "length")

    def check(value: Any, path: str, errors: Errors) -> None:
        if type(value) is not list:
            _fail(errors, path, "Member must be of type list")
            return
        size_check(len(value), path, errors)
        for index, item in enumerate(value):
            member(item, f"{path}[{index}]", errors)

    return check


def _map_checker(shape: MapShape) -> Checker:
    key_check = _checker(shape.key)
    value_check = _checker(shape.value)
    size_check = _size_check(shape, "number of entries")

    def check(value: Any, path: str, errors: Errors) -> None:
        if type(value) is not dict:
            _fail(errors, path, "Member must be of type map")
            return
        size_check(len(value), path, errors)
        for key, item in value.items():
            # A bad key is reported at the map; a bad value at ``map.key``.
            key_check(key, path, errors)
            value_check(item, f"{path}.{key}", errors)

    return check


def _structure_checker(shape: StructureShape, top: bool = False) -> Checker:
    members = [(name, _checker(member)) for name, member in shape.members.items()]
    required = list(shape.required_members)
    union = bool(shape.metadata.get("union"))
    union_names = ", ".join(shape.members)

    def check(value: Any, path: str, errors: Errors) -> None:
        if type(value) is not dict:
            _fail(errors, path, "Member must be of type structure")
            return
        prefix = "" if top else f"{path}."
        for name in [name for name, item in value.items() if item is None]:
            del value[name]
        for name in required:
            if value.get(name) is None:
                _fail(errors, prefix + name, "Member must not be null")
        present = 0
        for name, member_check in members:
            item = value.get(name)
            if item is not None:
                present += 1
                member_check(item, prefix + name, errors)
        if union and present != 1:
            _fail(errors, path, f"Member must have exactly one of: {union_names}")

    return check


def _checker(shape: Shape) -> Checker:
    kind = shape.type_name
    if kind == "string":
        return _string_checker(shape)
    if kind == "integer":
        return _integer_checker(shape)
    if kind == "list":
        assert isinstance(shape, ListShape)
        return _list_checker(shape)
    if kind == "map":
        assert isinstance(shape, MapShape)
        return _map_checker(shape)
    if kind == "structure":
        assert isinstance(shape, StructureShape)
        return _structure_checker(shape)
    raise NotImplementedError(f"no input checker for {kind} shapes ({shape.name})")


@cache
def shape_checker(shape_name: str) -> Checker:
    """Return the compiled checker of the model's shape ``shape_name`` (built once)."""
    return _checker(service_model().shape_for(shape_name))


def field_errors(shape_name: str, value: Any, field: str) -> Errors:
    """The constraints of shape ``shape_name`` that ``value`` (named ``field``) breaks."""
    errors: Errors = []
    shape_checker(shape_name)(value, field, errors)
    return errors


@cache
def request_checker(operation: str) -> Checker:
    """Return the compiled checker of ``operation``'s input (built once)."""
    shape = service_model().operation_model(operation).input_shape
    assert isinstance(shape, StructureShape)
    return _structure_checker(shape, top=True)


def validate(operation: str, params: dict[str, Any]) -> None:
    """Raise ``ValidationException`` naming every field of ``params`` that breaks the model."""
    errors: Errors = []
    request_checker(operation)(params, "", errors)
    if errors:
        raise ValidationException.for_fields(errors)
