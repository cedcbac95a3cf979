"""One request per constraint of the service model, each breaking that constraint once.

The cases are generated from botocore's ivschat model: for every input member of
every operation, each of its constraints (required, type, length, value range,
pattern, enum, list and map size, union) is broken once in an otherwise valid
request. The mock must answer 400 ValidationException naming that field, and
change nothing.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any, NamedTuple
from urllib.parse import quote

import boto3
import botocore.session
import pytest
import requests
from botocore.config import Config
from botocore.exceptions import ClientError
from botocore.model import ListShape, MapShape, Shape, StructureShape

from moto_ivschat import mock_ivschat

MODEL = botocore.session.get_session().get_service_model("ivschat")
ROOM = "arn:aws:ivschat:us-east-1:123456789012:room/{room}"
CONFIG = "arn:aws:ivschat:us-east-1:123456789012:logging-configuration/{config}"
#: A valid request of each operation; ``{room}``/``{config}`` name live resources.
BASELINES: dict[str, dict[str, Any]] = {
    "CreateChatToken": {"roomIdentifier": ROOM, "userId": "u"},
    "CreateLoggingConfiguration": {"destinationConfiguration": {"s3": {"bucketName": "logs"}}},
    "CreateRoom": {},
    "DeleteLoggingConfiguration": {"identifier": CONFIG},
    "DeleteMessage": {"roomIdentifier": ROOM, "id": "abcDEF123456"},
    "DeleteRoom": {"identifier": ROOM},
    "DisconnectUser": {"roomIdentifier": ROOM, "userId": "u"},
    "GetLoggingConfiguration": {"identifier": CONFIG},
    "GetRoom": {"identifier": ROOM},
    "ListLoggingConfigurations": {},
    "ListRooms": {},
    "ListTagsForResource": {"resourceArn": ROOM},
    "SendEvent": {"roomIdentifier": ROOM, "eventName": "e"},
    "TagResource": {"resourceArn": ROOM, "tags": {"k": "v"}},
    "UntagResource": {"resourceArn": ROOM, "tagKeys": ["k"]},
    "UpdateLoggingConfiguration": {"identifier": CONFIG},
    "UpdateRoom": {"identifier": ROOM},
}


class Case(NamedTuple):
    operation: str
    path: tuple[str | int, ...]  # where the bad value goes; ints index lists
    value: Any  # the bad value; ``MISSING`` removes the member
    field: str  # the field name the error must give
    constraint: str


MISSING = object()
ENDPOINT = "https://ivschat.us-east-1.amazonaws.com"


def _botocore_rewrites(case: Case) -> bool:
    """Whether botocore would serialize the bad value as something else (a string as a list...)."""
    shape: Shape = MODEL.operation_model(case.operation).input_shape
    for step in case.path:
        if isinstance(shape, StructureShape):
            shape = shape.members[step]  # type: ignore[index]
        elif isinstance(shape, ListShape):
            shape = shape.member
        elif isinstance(shape, MapShape):
            shape = shape.value
    return case.constraint == "type" and shape.type_name in ("list", "map", "structure")


def _valid(shape: Shape) -> Any:
    """A valid value of ``shape`` (used to fill lists and maps past their maximum)."""
    if shape.type_name == "string":
        if shape.enum:
            return shape.enum[0]
        return {"TagKey": "key", "LoggingConfigurationIdentifier": CONFIG}.get(shape.name, "x")
    raise AssertionError(f"no valid value for {shape.name}")


def _breaks(shape: Shape) -> Iterator[tuple[str, Any]]:
    """Values of the right place but the wrong kind for ``shape``, each with the constraint it breaks."""
    meta = shape.metadata
    if shape.type_name == "string":
        yield "type", 5
        if meta.get("min", 0) > 0:
            yield "min length", "a" * (meta["min"] - 1)
        if "max" in meta:
            yield "max length", "a" * (meta["max"] + 1)
        if "pattern" in meta:
            yield "pattern", "!" * max(meta.get("min", 1), 1)
        if shape.enum:
            yield "enum", "NOT_IN_THE_ENUM"
    elif shape.type_name == "integer":
        yield "type", "5"
        if "min" in meta:
            yield "min value", meta["min"] - 1
        if "max" in meta:
            yield "max value", meta["max"] + 1
    elif shape.type_name == "list":
        assert isinstance(shape, ListShape)
        yield "type", "not-a-list"
        if "max" in meta:
            yield "max size", [_valid(shape.member)] * (meta["max"] + 1)
    elif shape.type_name == "map":
        assert isinstance(shape, MapShape)
        yield "type", "not-a-map"
        if "max" in meta:
            yield "max size", {f"k{i}": "v" for i in range(meta["max"] + 1)}
    elif shape.type_name == "structure":
        yield "type", "not-a-structure"


def _cases_of(
    operation: str, shape: StructureShape, path: tuple[str | int, ...], field: str
) -> Iterator[Case]:
    prefix = f"{field}." if field else ""
    if shape.metadata.get("union"):
        yield Case(operation, path, {}, field, "union: no member")
        two = {name: {m: "abc" for m in member.members} for name, member in list(shape.members.items())[:2]}
        yield Case(operation, path, two, field, "union: two members")
    for name in shape.required_members:
        if shape.members[name].serialization.get("location") != "uri":  # a path always has its label
            yield Case(operation, (*path, name), MISSING, prefix + name, "required")
    for name, member in shape.members.items():
        location = member.serialization.get("location")
        member_path = (*path, name)
        member_field = prefix + name
        for constraint, value in _breaks(member):
            if location == "uri" and (constraint in ("type", "min length") or value == "!"):
                continue  # not expressible in a URL path
            if location == "querystring" and constraint == "type":
                continue
            yield Case(operation, member_path, value, member_field, constraint)
        if isinstance(member, StructureShape):
            yield from _cases_of(operation, member, member_path, member_field)
        elif isinstance(member, ListShape):
            for constraint, value in _breaks(member.member):
                if location == "querystring" and constraint == "type":
                    continue
                yield Case(operation, (*member_path, 0), value, f"{member_field}[0]", constraint)
        elif isinstance(member, MapShape):
            for constraint, value in _breaks(member.value):
                yield Case(operation, (*member_path, "k"), value, f"{member_field}.k", constraint)
            for constraint, value in _breaks(member.key):
                if constraint != "type":  # JSON object keys are always strings
                    yield Case(operation, (*member_path, value), "v", member_field, f"key {constraint}")


def _all_cases() -> list[Case]:
    cases: list[Case] = []
    for operation in MODEL.operation_names:
        shape = MODEL.operation_model(operation).input_shape
        cases.extend(_cases_of(operation, shape, (), ""))
    return cases


CASES = _all_cases()


def _place(request: dict[str, Any], case: Case) -> dict[str, Any]:
    request = copy.deepcopy(request)
    target: Any = request
    shape: Shape = MODEL.operation_model(case.operation).input_shape
    for step in case.path[:-1]:
        if isinstance(shape, StructureShape):
            shape = shape.members[step]  # type: ignore[index]
            if isinstance(shape, StructureShape) and shape.metadata.get("union"):
                target[step] = {}  # a union takes the broken member alone
            target = target.setdefault(step, [] if isinstance(shape, ListShape) else {})
        else:
            shape = shape.member if isinstance(shape, ListShape) else shape.value  # type: ignore[attr-defined]
            target = target.setdefault(step, {})
    last = case.path[-1]
    if case.value is MISSING:
        target.pop(last, None)
    elif isinstance(target, list):
        target[:] = [case.value]
    elif isinstance(case.value, str) and case.value == "v" and case.constraint.startswith("key"):
        target.clear()
        target[last] = "v"
    else:
        target[last] = case.value
    return request


def test_every_operation_and_constraint_is_covered() -> None:
    operations = {case.operation for case in CASES}
    assert operations == set(MODEL.operation_names)
    assert len(MODEL.operation_names) == 17
    constraints = {case.constraint for case in CASES}
    assert {
        "required",
        "type",
        "min length",
        "max length",
        "pattern",
        "enum",
        "min value",
        "max value",
        "max size",
        "union: no member",
        "union: two members",
    } <= constraints


@pytest.fixture(scope="module")
def world() -> Iterator[tuple[Any, dict[str, str]]]:
    with mock_ivschat():
        client = boto3.client("ivschat", region_name="us-east-1", config=Config(parameter_validation=False))
        config = client.create_logging_configuration(destinationConfiguration={"s3": {"bucketName": "logs"}})
        room = client.create_room(name="baseline", tags={"k": "v"})
        yield client, {"room": room["id"], "config": config["id"]}


def _snapshot(client: Any) -> Any:
    rooms = client.list_rooms()["rooms"]
    configs = client.list_logging_configurations()["loggingConfigurations"]
    return rooms, configs


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.operation}-{c.field}-{c.constraint}")
def test_constraint_is_enforced(world: tuple[Any, dict[str, str]], case: Case) -> None:
    client, ids = world
    baseline = {
        key: value.format(**ids) if isinstance(value, str) else value
        for key, value in BASELINES[case.operation].items()
    }
    request = _place(baseline, case)
    before = _snapshot(client)
    if _botocore_rewrites(case):
        # botocore would reshape a wrong-typed list, map or structure: send the JSON as it is.
        path = MODEL.operation_model(case.operation).http["requestUri"]
        if "{resourceArn}" in path:
            path = path.replace("{resourceArn}", quote(request.pop("resourceArn"), safe=""))
        response = requests.post(ENDPOINT + path, json=request, timeout=10)
        assert response.headers["x-amzn-ErrorType"] == "ValidationException"
        error = {**response.json(), "ResponseMetadata": {"HTTPStatusCode": response.status_code}}
    else:
        with pytest.raises(ClientError) as exc:
            getattr(client, botocore.xform_name(case.operation))(**request)
        error = exc.value.response
        assert error["Error"]["Code"] == "ValidationException"
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert error["reason"] == "FIELD_VALIDATION_FAILED"
    assert case.field in [f["name"] for f in error["fieldList"]]
    assert all(f["message"] for f in error["fieldList"])
    assert _snapshot(client) == before
