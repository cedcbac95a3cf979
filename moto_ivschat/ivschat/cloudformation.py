"""``AWS::IVSChat::Room`` and ``AWS::IVSChat::LoggingConfiguration`` in moto's CloudFormation.

moto's CloudFormation knows a resource type by a direct subclass of its
``CloudFormationModel``; the two here are defined when moto loads its template
parser (``registration``). Each turns a template's properties into the API's
request (``Tags`` as a map, numbers in strings as numbers, as CloudFormation
reads them), checks it against the service model (``validation``) and calls the
ivschat backend, the one home of rooms and logging configurations.

As CloudFormation documents these types: ``Ref`` gives the ARN, ``Fn::GetAtt``
gives ``Arn`` and ``Id`` (and ``State`` of a logging configuration), and every
property updates in place. A property removed by an update goes back to its
default (a room's review handler is removed). A property the type does not have
fails the stack operation, as does anything the service refuses: moto fails a
stack operation with CloudFormation's ``ValidationError``, here naming the
handler's message as AWS does. (moto has no ``CREATE_FAILED`` or rollback.)

A stack holds a ``StackResource`` for each resource: a plain object naming it.
moto keeps every instance of its own model classes until a reset; the types here
are never instantiated.
"""

from __future__ import annotations

from abc import abstractmethod
from dataclasses import dataclass
from typing import Any

from botocore.model import Shape
from moto.core.common_models import CloudFormationModel
from moto.settings import allow_unknown_region

from . import operations
from .exceptions import AwsError, ResourceNotFoundException
from .models import (
    DEFAULT_MAXIMUM_MESSAGE_LENGTH,
    DEFAULT_MAXIMUM_MESSAGE_RATE_PER_SECOND,
    IvschatBackend,
    ivschat_backends,
)
from .service_model import service_model
from .validation import validate

#: CloudFormation's handler error code for each of the service's errors.
_HANDLER_ERROR_CODES = {
    "ValidationException": "InvalidRequest",
    "ResourceNotFoundException": "NotFound",
    "ConflictException": "ResourceConflict",
    "ServiceQuotaExceededException": "ServiceLimitExceeded",
    "AccessDeniedException": "AccessDenied",
}


def _stack_error(message: str) -> Exception:
    """What fails a stack operation in moto: CloudFormation's ``ValidationError``."""
    from moto.cloudformation.exceptions import ValidationError

    return ValidationError(message=message)


def _failure(error: AwsError) -> Exception:
    """The stack's error for a refusal of the service, worded as AWS's resource handlers word it."""
    code = _HANDLER_ERROR_CODES.get(error.error_type, "GeneralServiceException")
    return _stack_error(
        f'Resource handler returned message: "{error.message} '
        f'(Service: Ivschat, Status Code: {error.code})" (HandlerErrorCode: {code})'
    )


@dataclass(eq=False)
class StackResource:
    """What a stack holds for one of its ivschat resources: where it lives, and its ARN.

    moto's CloudFormation sets ``logical_resource_id`` and the resource type
    (``type``, or ``cf_resource_type`` from moto 5.1.11) on it.
    """

    kind: type[_IvschatType]
    account_id: str
    region: str
    arn: str

    @property
    def physical_resource_id(self) -> str:
        """What ``Ref`` gives: the ARN."""
        return self.arn

    def get_cfn_attribute(self, attribute: str) -> str:
        """``Fn::GetAtt``: ``Arn``, ``Id``, and ``State`` of a logging configuration."""
        from moto.cloudformation.exceptions import UnformattedGetAttTemplateException

        if not self.kind.has_cfn_attr(attribute):
            raise UnformattedGetAttTemplateException()
        if attribute == "Arn":
            return self.arn
        if attribute == "Id":
            return self.arn.rpartition("/")[2]
        try:
            return str(_backend(self.account_id, self.region).get_logging_configuration(self.arn).state)
        except AwsError as error:
            raise _failure(error) from None

    def is_created(self) -> bool:
        """Created when the call returns: nothing is created later."""
        return True

    def delete(self, account_id: str, region_name: str) -> None:
        """Delete the resource; one already gone counts as deleted, as at AWS."""
        self.kind.delete_arn(account_id, region_name, self.arn)


def _backend(account_id: str, region: str) -> IvschatBackend:
    """The backend a stack's resource lives in: the stack's account and region."""
    return ivschat_backends[account_id][region]


def _check_region(account_id: str, region: str, resource_type: str) -> None:
    """A region without IVS Chat does not know the type (CloudFormation's template error)."""
    if region not in ivschat_backends[account_id] and not allow_unknown_region():
        raise _stack_error(f"Template format error: Unrecognized resource types: [{resource_type}]")


def _member_name(property_name: str) -> str:
    """The API's name of a property: ``MaximumMessageLength`` is ``maximumMessageLength``."""
    return property_name[:1].lower() + property_name[1:]


def _scalar(value: Any, kind: str) -> Any:
    """A template scalar as the API's type, where CloudFormation would read it so."""
    if kind == "integer" and not isinstance(value, bool):
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, str) and value.strip().lstrip("-").isdigit():
            return int(value)
    if kind == "string" and isinstance(value, (int, float)):
        return str(value).lower() if isinstance(value, bool) else str(value)
    return value


def _from_template(value: Any, shape: Shape, path: str, problems: list[str]) -> Any:
    """The API's value of a template's ``value`` for ``shape``; what the type lacks goes to ``problems``.

    Shapes give the names (a structure's members) and the types; the values are
    checked later, by the service model's checks.
    """
    kind = shape.type_name
    if kind == "structure" and isinstance(value, dict):
        members: dict[str, Any] = {}
        for key, item in value.items():
            member = shape.members.get(_member_name(key))
            if member is None:
                problems.append(f"{path}: extraneous key [{key}] is not permitted")
                continue
            members[_member_name(key)] = _from_template(item, member, f"{path}/{key}", problems)
        return members
    if kind == "list" and isinstance(value, list):
        return [_from_template(item, shape.member, f"{path}/{i}", problems) for i, item in enumerate(value)]
    if kind == "map":  # Tags: a list of {Key, Value}
        return _tags(value, path, problems)
    return _scalar(value, kind)


def _tags(value: Any, path: str, problems: list[str]) -> dict[str, Any]:
    """CloudFormation's ``Tags`` (a list of ``{Key, Value}``) as the API's map."""
    if not isinstance(value, list):
        problems.append(f"{path}: expected type: JSONArray, found: {_json_type(value)}")
        return {}
    tags: dict[str, Any] = {}
    for index, tag in enumerate(value):
        where = f"{path}/{index}"
        if not isinstance(tag, dict):
            problems.append(f"{where}: expected type: JSONObject, found: {_json_type(tag)}")
            continue
        problems.extend(
            f"{where}: required key [{key}] not found" for key in ("Key", "Value") if key not in tag
        )
        problems.extend(
            f"{where}: extraneous key [{key}] is not permitted" for key in tag if key not in ("Key", "Value")
        )
        if "Key" in tag and "Value" in tag:
            tags[_scalar(tag["Key"], "string")] = _scalar(tag["Value"], "string")
    return tags


def _json_type(value: Any) -> str:
    """How CloudFormation's schema errors name the type of ``value``."""
    return {dict: "JSONObject", list: "JSONArray", str: "String", bool: "Boolean"}.get(type(value), "Number")


class _IvschatType:
    """What both types share; each is a direct subclass of ``CloudFormationModel`` as moto requires."""

    #: ``AWS::IVSChat::...``
    TYPE: str
    #: The API operation that creates the resource (``operations.WRITES``): its input shape
    #: is the type's properties.
    CREATE: str
    #: The API operation that updates it (``operations.WRITES``).
    UPDATE: str
    #: ``Fn::GetAtt`` attributes.
    ATTRIBUTES: frozenset[str]

    @staticmethod
    def cloudformation_name_type() -> str:
        """No name property: CloudFormation generates no name (``Name`` is an ordinary property)."""
        return ""

    @classmethod
    def has_cfn_attr(cls, attr: str) -> bool:
        """Whether ``Fn::GetAtt`` knows ``attr``."""
        return attr in cls.ATTRIBUTES

    @classmethod
    def request(cls, cloudformation_json: dict[str, Any], logical_id: str) -> dict[str, Any]:
        """The create request the template's properties make (not yet checked against the model)."""
        problems: list[str] = []
        properties = cloudformation_json.get("Properties") or {}
        if not isinstance(properties, dict):
            problems.append(f"#: expected type: JSONObject, found: {_json_type(properties)}")
        shape = service_model().operation_model(cls.CREATE).input_shape
        params = _from_template(properties, shape, "#", problems)
        if problems:
            detail = problems[0] if len(problems) == 1 else f"[{', '.join(problems)}]"
            raise _stack_error(
                f"Properties validation failed for resource {logical_id} with message: {detail}"
            )
        return dict(params)

    @classmethod
    def create_from_cloudformation_json(
        cls,
        resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
        **kwargs: Any,
    ) -> StackResource:
        """Create the resource (moto names it ``resource_name``; the type's name is its ``Name``)."""
        _check_region(account_id, region_name, cls.TYPE)
        params = cls.request(cloudformation_json, kwargs.get("LogicalId", resource_name))
        try:
            validate(cls.CREATE, params)
            arn = operations.WRITES[cls.CREATE](_backend(account_id, region_name), params).arn
        except AwsError as error:
            raise _failure(error) from None
        return StackResource(cls, account_id, region_name, arn)

    @classmethod
    def update_from_cloudformation_json(
        cls,
        original_resource: StackResource,
        new_resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
    ) -> StackResource:
        """Update in place: the properties as the template now gives them, tags included."""
        logical_id = getattr(original_resource, "logical_resource_id", new_resource_name)
        params = cls.request(cloudformation_json, logical_id)
        arn = original_resource.arn
        try:
            # Everything is checked before anything changes: moto tries an update up to four times.
            validate(cls.CREATE, params)
            tags = params.pop("tags", {})
            backend = _backend(account_id, region_name)
            update = cls.update_request(backend, arn, params)
            validate(cls.UPDATE, update)
            operations.WRITES[cls.UPDATE](backend, update)
            current = backend.list_tags_for_resource(arn)
            removed = [key for key in current if key not in tags]
            if removed:
                backend.untag_resource(arn, removed)
            changed = {key: value for key, value in tags.items() if current.get(key) != value}
            if changed:
                backend.tag_resource(arn, changed)
        except AwsError as error:
            raise _failure(error) from None
        return original_resource

    @classmethod
    def delete_from_cloudformation_json(
        cls, resource_name: str, cloudformation_json: dict[str, Any], account_id: str, region_name: str
    ) -> None:
        """Delete the resource named by ``resource_name``, its ARN (moto's fallback)."""
        cls.delete_arn(account_id, region_name, resource_name)

    @classmethod
    def delete_arn(cls, account_id: str, region_name: str, arn: str) -> None:
        """Delete the resource ``arn`` names; one already gone counts as deleted."""
        try:
            cls.remove(_backend(account_id, region_name), arn)
        except ResourceNotFoundException:
            pass
        except AwsError as error:
            raise _failure(error) from None

    # -- each type's calls of the backend ----------------------------------

    @staticmethod
    @abstractmethod
    def update_request(backend: IvschatBackend, arn: str, params: dict[str, Any]) -> dict[str, Any]:
        """The update request of the resource ``arn`` for the (checked) properties ``params``."""

    @staticmethod
    @abstractmethod
    def remove(backend: IvschatBackend, arn: str) -> None:
        """Delete the resource ``arn`` names."""


class RoomType(_IvschatType, CloudFormationModel):
    """``AWS::IVSChat::Room``."""

    TYPE = "AWS::IVSChat::Room"
    CREATE = "CreateRoom"
    UPDATE = "UpdateRoom"
    ATTRIBUTES = frozenset({"Arn", "Id"})

    @staticmethod
    def cloudformation_type() -> str:
        """The type's name in templates."""
        return RoomType.TYPE

    @staticmethod
    def update_request(backend: IvschatBackend, arn: str, params: dict[str, Any]) -> dict[str, Any]:
        """UpdateRoom's request: every property, a removed one at its default."""
        update = {
            "identifier": arn,
            "name": "",
            "maximumMessageRatePerSecond": DEFAULT_MAXIMUM_MESSAGE_RATE_PER_SECOND,
            "maximumMessageLength": DEFAULT_MAXIMUM_MESSAGE_LENGTH,
            "loggingConfigurationIdentifiers": [],
            **params,
        }
        if "messageReviewHandler" not in params and backend.get_room(arn).message_review_handler:
            update["messageReviewHandler"] = {"uri": ""}  # UpdateRoom's way to remove it
        return update

    @staticmethod
    def remove(backend: IvschatBackend, arn: str) -> None:
        """DeleteRoom."""
        backend.delete_room(arn)


class LoggingConfigurationType(_IvschatType, CloudFormationModel):
    """``AWS::IVSChat::LoggingConfiguration``."""

    TYPE = "AWS::IVSChat::LoggingConfiguration"
    CREATE = "CreateLoggingConfiguration"
    UPDATE = "UpdateLoggingConfiguration"
    ATTRIBUTES = frozenset({"Arn", "Id", "State"})

    @staticmethod
    def cloudformation_type() -> str:
        """The type's name in templates."""
        return LoggingConfigurationType.TYPE

    @staticmethod
    def update_request(backend: IvschatBackend, arn: str, params: dict[str, Any]) -> dict[str, Any]:
        """UpdateLoggingConfiguration's request: every property, a removed name empty."""
        return {"identifier": arn, "name": "", **params}

    @staticmethod
    def remove(backend: IvschatBackend, arn: str) -> None:
        """DeleteLoggingConfiguration."""
        backend.delete_logging_configuration(arn)


#: Every type, by its name in templates.
TYPES: dict[str, type[_IvschatType]] = {kind.TYPE: kind for kind in (RoomType, LoggingConfigurationType)}
