"""Errors of the ivschat service, one class per error shape of the model.

moto serializes a raised ``ServiceException`` from the service model: the status
code, the ``x-amzn-ErrorType`` header and every member the shape declares
(``reason``/``fieldList``, ``resourceId``/``resourceType``, ``limit``).
"""

from __future__ import annotations

from moto.core.exceptions import ServiceException

#: ``resourceType`` of a room (the only value in the model's ``ResourceType`` enum).
ROOM = "ROOM"
#: ``resourceType`` of a logging configuration. The model's enum lists only
#: ``ROOM``; the real value is unconfirmed, so we name the resource plainly.
LOGGING_CONFIGURATION = "LOGGING_CONFIGURATION"


class ValidationException(ServiceException):
    """400: the request does not satisfy the model's constraints."""

    code = "ValidationException"

    def __init__(
        self,
        message: str,
        reason: str = "FIELD_VALIDATION_FAILED",
        field_list: list[dict[str, str]] | None = None,
    ) -> None:
        super().__init__(message)
        self.reason = reason
        if field_list is not None:
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


class ResourceNotFoundException(ServiceException):
    """404: the resource named by an identifier does not exist here."""

    code = "ResourceNotFoundException"

    def __init__(self, resource_id: str, resource_type: str) -> None:
        super().__init__(f"Resource: {resource_id} not found")
        self.resourceId = resource_id
        self.resourceType = resource_type


class ConflictException(ServiceException):
    """409: the change conflicts with the resource's current state."""

    code = "ConflictException"

    def __init__(self, message: str, resource_id: str, resource_type: str) -> None:
        super().__init__(message)
        self.resourceId = resource_id
        self.resourceType = resource_type


class ServiceQuotaExceededException(ServiceException):
    """402: creating the resource would exceed the account's quota."""

    code = "ServiceQuotaExceededException"

    def __init__(self, resource_id: str, resource_type: str, limit: int) -> None:
        super().__init__(f"Quota exceeded: at most {limit} resources of type {resource_type}")
        self.resourceId = resource_id
        self.resourceType = resource_type
        self.limit = limit
