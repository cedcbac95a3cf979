"""Hypothesis strategies for raw ivschat requests: every operation, with members drawn from the
service model — valid, invalid, ``null``, deeply nested, unpaired surrogates — and junk bodies.

Shared by the in-process fuzz (``tests/test_fuzz.py``) and the one over HTTP
(``tests/server/test_fuzz_over_http.py``). A request is ``(method, path, body)``.
"""

from __future__ import annotations

import json
import re
from typing import Any, NamedTuple
from urllib.parse import quote, urlencode

import botocore.session
from botocore.model import ListShape, MapShape, Shape, StructureShape
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

MODEL = botocore.session.get_session().get_service_model("ivschat")
OPERATIONS = sorted(MODEL.operation_names)
#: Bounded and seeded: the same examples on every run, fast enough for CI.
FUZZ_SETTINGS = settings(
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


class Request(NamedTuple):
    method: str
    path: str
    body: bytes


JUNK = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=6), children, max_size=3)
    ),
    max_leaves=8,
)
AWKWARD_TEXT = st.sampled_from(["", "\ud800", "a\udfffb", "\x00", "é" * 200, "🙂", "x" * 2000, " ", "\n"])


def valid_of(shape: Shape, arns: list[str]) -> st.SearchStrategy[Any]:
    """A value that satisfies ``shape``'s constraints (an ARN of the test's resources, often)."""
    meta = shape.metadata
    kind = shape.type_name
    if kind == "string":
        if shape.enum:
            return st.sampled_from(shape.enum)
        low, high = meta.get("min", 0), min(meta.get("max", 20), 20)
        if "pattern" not in meta:
            return st.text(min_size=low, max_size=max(low, high))
        pattern = meta["pattern"].replace(":[a-z-]/", ":[a-z-]+/")  # the model's ResourceArn quirk
        bound = meta.get("max", 2**31)
        generated = st.from_regex(pattern, fullmatch=True).filter(lambda v: low <= len(v) <= bound)
        fitting = [arn for arn in arns if re.fullmatch(pattern, arn)]
        return st.sampled_from(fitting) | generated if fitting else generated
    if kind == "integer":
        return st.integers(meta.get("min", -(2**31)), meta.get("max", 2**31 - 1))
    if kind == "list":
        assert isinstance(shape, ListShape)
        return st.lists(valid_of(shape.member, arns), max_size=min(meta.get("max", 4), 4))
    if kind == "map":
        assert isinstance(shape, MapShape)
        keys = valid_of(shape.key, arns).filter(lambda key: not key.lower().startswith("aws:"))
        return st.dictionaries(keys, valid_of(shape.value, arns), max_size=min(meta.get("max", 4), 4))
    assert isinstance(shape, StructureShape)
    members = {name: valid_of(member, arns) for name, member in shape.members.items()}
    if meta.get("union"):
        return st.one_of([st.fixed_dictionaries({name: member}) for name, member in members.items()])
    required = {name: members.pop(name) for name in shape.required_members}
    return st.fixed_dictionaries(required, optional=members)


def value_of(shape: Shape, arns: list[str]) -> st.SearchStrategy[Any]:
    """A value in ``shape``'s place: mostly valid, sometimes of the right kind but out of bounds, or junk."""
    kind = shape.type_name
    if kind == "string":
        fitting = st.text(max_size=20) | AWKWARD_TEXT
    elif kind == "integer":
        fitting = st.integers(-5, 1000) | st.sampled_from([2**63, -(2**63), 1.5])
    elif kind == "list":
        assert isinstance(shape, ListShape)
        fitting = st.lists(value_of(shape.member, arns), max_size=5)
    elif kind == "map":
        assert isinstance(shape, MapShape)
        fitting = st.dictionaries(st.text(max_size=6) | AWKWARD_TEXT, value_of(shape.value, arns), max_size=4)
    else:
        assert isinstance(shape, StructureShape)
        fitting = structure_of(shape, arns)
    valid = valid_of(shape, arns)
    return st.one_of(valid, valid, valid, fitting, JUNK)


def structure_of(shape: StructureShape, arns: list[str]) -> st.SearchStrategy[dict[str, Any]]:
    """A structure: each member present (fitting or not), ``null``, or absent; sometimes extra keys."""
    members = {name: value_of(member, arns) | st.none() for name, member in shape.members.items()}
    extra = st.dictionaries(st.text(max_size=6), JUNK, max_size=2)
    return st.builds(
        lambda known, more: {**more, **known}, st.fixed_dictionaries({}, optional=members), extra
    )


def _json(value: Any) -> bytes:
    return json.dumps(value).encode("utf-8", "surrogatepass")


@st.composite
def requests(draw: st.DrawFn, arns: list[str]) -> Request:
    """One raw request of any operation."""
    operation = draw(st.sampled_from(OPERATIONS))
    model = MODEL.operation_model(operation)
    shape = model.input_shape
    assert isinstance(shape, StructureShape)
    params = draw(
        st.one_of(valid_of(shape, arns), structure_of(shape, arns), JUNK.map(lambda j: {"junk": j}))
    )
    body_members = {
        name: value
        for name, value in params.items()
        if shape.members.get(name) is None or shape.members[name].serialization.get("location") is None
    }
    body = draw(
        st.sampled_from(
            [_json(body_members)] * 6 + [b"[" * 20000, b'{"a":' * 5000, b"\xff\xfe", b"{", b"null"]
        )
    )
    if not model.http["requestUri"].startswith("/tags/"):
        return Request(model.http["method"], f"/{operation}", body)
    arn = params.get("resourceArn")
    path = "/tags/" + quote(arn if isinstance(arn, str) else str(arn), safe="", errors="surrogatepass")
    keys = params.get("tagKeys")
    if operation == "UntagResource" and isinstance(keys, list):
        path += "?" + urlencode([("tagKeys", str(key)) for key in keys], errors="surrogatepass")
    return Request(model.http["method"], path, body if operation == "TagResource" else b"")
