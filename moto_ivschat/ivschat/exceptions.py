"""Errors of the ivschat service: one class per error shape of the model, and the few
answers every AWS JSON service shares.

An error is a werkzeug ``HTTPException`` that renders itself as AWS's rest-json
services answer: header ``x-amzn-ErrorType: <Code>``, a JSON body with ``message``
and the members its shape declares (``reason``/``fieldList``,
``resourceId``/``resourceType``, ``limit``), read from the model in the model's
order. moto returns a raised ``HTTPException`` as it is in every 5.x release; its
``ServiceException`` (5.1.2 and later) would serialize through the operation's
model, which an unknown operation does not have, and writes ``message`` twice.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any, ClassVar

from werkzeug.exceptions import HTTPException

from .service_model import service_model

#: ``resourceType`` of a room (the only value in the model's ``ResourceType`` enum).
ROOM = "ROOM"
#: ``resourceType`` of a logging configuration. The model's enum lists only
#: ``ROOM``; the real value is unconfirmed, so we name the resource plainly.
LOGGING_CONFIGURATION = "LOGGING_CONFIGURATION"
JSON = "application/json"


class AwsError(HTTPException):
    """An AWS-style JSON error: ``status``, the ``error_type`` code, ``message`` and members."""

    #: The code in ``x-amzn-ErrorType``.
    error_type: ClassVar[str]
    #: The HTTP status (modelled errors read theirs from the model).
    status: ClassVar[int] = 400

    def __init__(self, message: str) -> None:
        super().__init__()
        self.message = message
        self.code = self.status_code()

    def __str__(self) -> str:
        return f"{self.error_type}: {self.message}"

    def status_code(self) -> int:
        """The HTTP status of this error."""
        return self.status

    def members(self) -> dict[str, Any]:
        """The body: ``message`` and the error's other members."""
        return {"message": self.message}

    @property
    def description(self) -> str:  # type: ignore[override]
        """The JSON body (what moto answers for a raised ``HTTPException``)."""
        return json.dumps(self.members())

    def get_headers(self, *args: Any, **kwargs: Any) -> list[tuple[str, str]]:
        """``Content-Type`` and ``x-amzn-ErrorType``."""
        return [("Content-Type", JSON), ("x-amzn-ErrorType", self.error_type)]

    def get_body(self, *args: Any, **kwargs: Any) -> str:
        """The JSON body, when the error answers a WSGI request itself."""
        return self.description


@cache
def _error_shape(code: str) -> tuple[int, tuple[str, ...]]:
    """The status and member names (model order) of the model's error shape ``code``."""
    shape = service_model().shape_for(code)
    return int(shape.metadata["error"]["httpStatusCode"]), tuple(shape.members)


class ServiceError(AwsError):
    """An error shape of the ivschat model: its status and members come from the model.

    Members are instance attributes named as in the model (``resourceId``...);
    ``None`` ones are left out of the body.
    """

    def status_code(self) -> int:
        """The status the model gives this error shape."""
        return _error_shape(self.error_type)[0]

    def members(self) -> dict[str, Any]:
        """``message`` and every member of the shape that is set, in the model's order."""
        body: dict[str, Any] = {}
        for name in _error_shape(self.error_type)[1]:
            value = getattr(self, name, None)
            if value is not None:
                body[name] = value
        return body


class ValidationException(ServiceError):
    """400: the request does not satisfy the model's constraints."""

    error_type = "ValidationException"

    def __init__(
        self,
        message: str,
        reason: str = "FIELD_VALIDATION_FAILED",
        field_list: list[dict[str, str]] | None = None,
    ) -> None:
        super().__init__(message)
        self.reason = reason
        self.fieldList = field_list

    @classmethod
    def for_fields(cls, field_list: list[dict[str, str]]) -> ValidationException:
        """Build the exception the service sends for failed field constraints."""
        count = len(field_list)
        noun = "error" if count == 1 else "errors"
        detail = "; ".join(f["message"] for f in field_list)
        return cls(f"{count} validation {noun} detected: {detail}", field_list=field_list)

    @classmethod
    def for_field(cls, name: str, message: str) -> ValidationException:
        """Build the exception for one failed field."""
        return cls.for_fields([{"name": name, "message": message}])


class ResourceNotFoundException(ServiceError):
    """404: the resource named by an identifier does not exist here."""

    error_type = "ResourceNotFoundException"

    def __init__(self, resource_id: str, resource_type: str) -> None:
        super().__init__(f"Resource: {resource_id} not found")
        self.resourceId = resource_id
        self.resourceType = resource_type


class ConflictException(ServiceError):
    """409: the change conflicts with the resource's current state."""

    error_type = "ConflictException"

    def __init__(self, message: str, resource_id: str, resource_type: str) -> None:
        super().__init__(message)
        self.resourceId = resource_id
        self.resourceType = resource_type


class ServiceQuotaExceededException(ServiceError):
    """402: creating the resource would exceed the account's quota."""

    error_type = "ServiceQuotaExceededException"

    def __init__(self, resource_id: str, resource_type: str, limit: int) -> None:
        super().__init__(f"Quota exceeded: at most {limit} resources of type {resource_type}")
        self.resourceId = resource_id
        self.resourceType = resource_type
        self.limit = limit


class ThrottlingException(ServiceError):
    """429: the account's request rate for the operation is over its quota (when throttling is on)."""

    error_type = "ThrottlingException"

    def __init__(self, operation: str, resource_id: str, resource_type: str, limit: int) -> None:
        super().__init__(f"Rate exceeded: {operation} allows {limit} requests per second")
        self.resourceId = resource_id
        self.resourceType = resource_type
        self.limit = limit


class ServerError(AwsError):
    """An AWS-style error of no model shape: what a server answers about the HTTP itself
    (a missing signature, a body too large...)."""

    def __init__(self, status: int, error_type: str, message: str, **members: Any) -> None:
        self.status = status  # type: ignore[misc]
        self.error_type = error_type  # type: ignore[misc]
        self._members = members
        super().__init__(message)

    def members(self) -> dict[str, Any]:
        """``message`` and the members given."""
        return {"message": self.message, **self._members}


class AccessDeniedException(ServiceError):
    """403: IAM does not allow the caller the action on the resource (moto's IAM enforcement)."""

    error_type = "AccessDeniedException"


class InvalidSignatureException(AwsError):
    """403: the signature is not the one the request's credentials give (AWS's JSON services)."""

    error_type = "InvalidSignatureException"
    status = 403

    def __init__(self) -> None:
        super().__init__(
            "The request signature we calculated does not match the signature you provided. "
            "Check your AWS Secret Access Key and signing method."
        )


class UnrecognizedClientException(AwsError):
    """403: the access key is not one IAM knows (AWS's JSON services)."""

    error_type = "UnrecognizedClientException"
    status = 403

    def __init__(self) -> None:
        super().__init__("The security token included in the request is invalid.")


class MissingAuthenticationTokenException(AwsError):
    """403: an unsigned request (AWS's JSON services)."""

    error_type = "MissingAuthenticationTokenException"
    status = 403

    def __init__(self) -> None:
        super().__init__("Missing Authentication Token")


class UnsupportedRegion(AwsError):
    """403 ``InvalidSignatureException``: the request's region has no IVS Chat.

    Not a shape of the model: what an AWS endpoint answers a request whose
    credential scope names a region it does not serve (inferred). A 4xx, so
    clients do not retry it.
    """

    error_type = "InvalidSignatureException"
    status = 403

    def __init__(self, region: str, regions: list[str]) -> None:
        super().__init__(
            f"Credential should be scoped to a valid region, not '{region}': Amazon IVS Chat is offered "
            f"in {', '.join(regions)}. Set MOTO_ALLOW_NONEXISTENT_REGION=true to mock it in any region."
        )
