"""IAM enforcement of ivschat calls, as AWS authorizes them.

With moto's IAM enforcement on (``moto.core.set_initial_no_auth_action_count``,
``INITIAL_NO_AUTH_ACTION_COUNT``), moto checks each request's signature and asks
its IAM backend whether the caller's policies allow ``ivschat:<Operation>`` on a
resource. Here the resource is the one the Service Authorization Reference names:
the room or logging configuration the call names, the ARN pattern of the resource
a Create call makes (``arn:...:room/*``), ``*`` for the List calls. A Create call
that carries tags also needs ``ivschat:TagResource`` on it. moto's policy evaluator
ignores ``Condition`` blocks (identity policies get no context values in any 5.x),
so ``aws:RequestTag``, ``aws:ResourceTag`` and ``aws:TagKeys`` decide nothing.

A refusal is the service's own JSON error: ``AccessDeniedException`` (a shape of
the model), ``InvalidSignatureException``, ``UnrecognizedClientException`` or
``MissingAuthenticationTokenException``, all 403. moto's check is called with
what it needs in every mode and release: the path as the client signed it (a
server decodes a percent-encoded ARN before moto sees it), the body alone as the
payload (moto would sign the query string, or the headers, of a request without a
body), and the action (see ``moto_compat.iam_request``).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote, urlsplit

from moto.core.responses import BaseResponse
from werkzeug.exceptions import HTTPException

from ..moto_compat import get_partition, iam_enforced, iam_request
from .exceptions import (
    AccessDeniedException,
    AwsError,
    InvalidSignatureException,
    MissingAuthenticationTokenException,
    UnrecognizedClientException,
)

#: The operations whose resource their body names, and the member that names it.
_IDENTIFIER_MEMBER = {
    "GetRoom": "identifier",
    "UpdateRoom": "identifier",
    "DeleteRoom": "identifier",
    "CreateChatToken": "roomIdentifier",
    "SendEvent": "roomIdentifier",
    "DeleteMessage": "roomIdentifier",
    "DisconnectUser": "roomIdentifier",
    "GetLoggingConfiguration": "identifier",
    "UpdateLoggingConfiguration": "identifier",
    "DeleteLoggingConfiguration": "identifier",
}
#: The Create calls and the type of resource each makes.
_CREATED = {"CreateRoom": "room", "CreateLoggingConfiguration": "logging-configuration"}
_TAG_CALLS = frozenset({"ListTagsForResource", "TagResource", "UntagResource"})
#: moto's IAM errors (by ``error_type``) and the service's answer for each.
_IAM_ERRORS: dict[str, Callable[[], AwsError]] = {
    "SignatureDoesNotMatch": InvalidSignatureException,
    "InvalidClientTokenId": UnrecognizedClientException,
}


class AuthorizedResponse(BaseResponse):
    """moto's ``BaseResponse``, with ivschat's resources and errors in moto's IAM check."""

    _raw_uri = ""

    def setup_class(
        self, request: Any, full_url: str | None = None, headers: Any = None, use_raw_body: bool | None = None
    ) -> None:
        """Also keep the request's URI as it arrived, where the server recorded it."""
        super().setup_class(request, full_url, headers, use_raw_body)
        environ = getattr(request, "environ", None) or {}
        self._raw_uri = environ.get("RAW_URI") or environ.get("REQUEST_URI") or ""

    def _authenticate_and_authorize_normal_action(self, resource: str = "*") -> None:
        """moto's check, with the resource and extra action AWS checks; a refusal is ivschat's JSON."""
        if not iam_enforced():
            super()._authenticate_and_authorize_normal_action(resource)  # moto counts the request
            return
        try:
            self._authorize()
        except AwsError as error:
            # moto answers a refusal with its status and body only, and these headers.
            self.response_headers.update(error.get_headers())
            raise

    def _authorize(self) -> None:
        authorization = str(self.headers.get("Authorization") or "")
        if "Credential=" not in authorization:
            raise MissingAuthenticationTokenException()
        action = self._get_action()
        params = self._body_members()
        resource = self._resource(action, params)
        try:
            request = self._iam_request(action)
            request.check_signature()
            request.check_action_permitted(resource)
            if action in _CREATED and params.get("tags"):
                self._iam_request("TagResource").check_action_permitted(resource)
        except HTTPException as error:
            failure = _IAM_ERRORS.get(str(getattr(error, "error_type", "")))
            if failure is not None:
                raise failure() from None
            message = str(getattr(error, "message", "")) or "Access denied"
            raise AccessDeniedException(f"{message} on resource: {resource}") from None

    def _iam_request(self, action: str) -> Any:
        return iam_request(
            account_id=self.current_account,
            method=self.method,
            path=self._signed_path(),
            body=self.body or b"",
            headers=self.headers,
            action=action,
        )

    def _signed_path(self) -> str:
        """The path and query as the client signed them (still percent-encoded)."""
        path, query = self.parsed_url.path, self.parsed_url.query
        if self._raw_uri:
            raw_path, has_query, raw_query = self._raw_uri.partition("?")
            path = urlsplit(raw_path).path if "://" in raw_path else raw_path
            # In process, moto's RAW_URI holds the path alone.
            query = raw_query if has_query else query
        return f"{path}?{query}" if query else path

    def _body_members(self) -> dict[str, Any]:
        """The JSON body's members, or none if it is no JSON object (validation comes later)."""
        try:
            params = json.loads(self.body or b"{}")
        except (ValueError, RecursionError):
            return {}
        return params if isinstance(params, dict) else {}

    def _resource(self, action: str, params: dict[str, Any]) -> str:
        """The resource ``action`` is authorized on."""
        if action in _TAG_CALLS:
            return unquote(self.parsed_url.path.removeprefix("/tags/")) or "*"
        if action in _IDENTIFIER_MEMBER:
            identifier = params.get(_IDENTIFIER_MEMBER[action])
            return identifier if isinstance(identifier, str) and identifier else "*"
        if action in _CREATED:
            partition = get_partition(self.region)
            return f"arn:{partition}:ivschat:{self.region}:{self.current_account}:{_CREATED[action]}/*"
        return "*"
