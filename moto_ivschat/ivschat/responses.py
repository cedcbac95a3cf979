"""The HTTP layer of ivschat: read a request, validate it, call the backend, answer JSON.

moto's stubber and server route every request here, as to any service. What
moto's ``BaseResponse`` does per request that depends on nothing in the request
is done once instead: the handler of each operation is found in a dict (moto
lists the class's members with ``inspect`` per call), and the set-up reads only
what ivschat uses — unless moto's IAM enforcement checks the request, which reads
all of what moto's own set-up gathers (see ``authorization``).
"""

from __future__ import annotations

import json
import string
from collections.abc import Callable
from functools import cache
from typing import Any
from urllib.parse import parse_qs, unquote, urlparse

from moto.core.utils import camelcase_to_underscores, utcnow
from moto.moto_api._internal import mock_random
from moto.settings import allow_unknown_region
from werkzeug.exceptions import HTTPException
from werkzeug.http import http_date

from ..moto_compat import iam_enforced
from . import operations
from .authorization import AuthorizedResponse
from .exceptions import UnsupportedRegion, ValidationException
from .models import ChatToken, IvschatBackend, ivschat_backends
from .records import format_time
from .service_model import service_model
from .validation import validate

_JSON = "application/json"
_TAGS_PREFIX = "/tags/"
_TAG_OPERATIONS = {"GET": "ListTagsForResource", "POST": "TagResource", "DELETE": "UntagResource"}
UNKNOWN_OPERATION = "UnknownOperation"
_REQUEST_ID_ALPHABET = string.ascii_uppercase + string.digits
Handler = Callable[["IvschatResponse"], tuple[bytes, dict[str, Any]]]


@cache
def post_operations() -> frozenset[str]:
    """Every operation reached by ``POST /<OperationName>``, read from the model on first use.

    Not at import: loading the model would add to ``import moto_ivschat``.
    """
    model = service_model()
    return frozenset(
        name for name in model.operation_names if model.operation_model(name).http["requestUri"] == f"/{name}"
    )


class IvschatResponse(AuthorizedResponse):
    """Handler for ivschat requests and responses."""

    def __init__(self) -> None:
        super().__init__(service_name="ivschat")
        self._action: str | None = None

    def setup_class(
        self, request: Any, full_url: str | None = None, headers: Any = None, use_raw_body: bool | None = None
    ) -> None:
        """Read the request: method, URL, headers, the body as bytes, region and account.

        The body is decoded (and refused if it is not UTF-8) with the JSON. Under
        moto's IAM enforcement, moto's own set-up runs instead, for the signature
        check and the policies.
        """
        if iam_enforced():
            super().setup_class(request, full_url, headers, True)
            return
        from moto.iam.models import mark_account_as_visited

        url: str = request.raw_url if full_url is None else full_url
        self.uri = url
        self.parsed_url = urlparse(url)
        self.path = self.parsed_url.path
        self.method = request.method
        self.headers = request.headers
        body = request.get_data() if hasattr(request, "get_data") else request.body
        if hasattr(body, "read"):
            body = body.read()
        self.body = self.raw_body = body.encode() if isinstance(body, str) else body or b""
        self.querystring = self.data = {}
        self.uri_match = {}
        self.region = self.get_region_from_url(request, url)
        self.response_headers = {"server": "amazon.com", "date": http_date(utcnow())}
        self.access_key = self.get_access_key()
        self.current_account = self.get_current_account()
        mark_account_as_visited(
            account_id=self.current_account, access_key=self.access_key, service="ivschat", region=self.region
        )

    def call_action(self) -> tuple[int, dict[str, Any], bytes | str]:
        """moto's ``call_action`` (IAM check, the operation's handler, a request ID), minus the per-call
        listing of the class's members."""
        headers: dict[str, Any] = self.response_headers
        resource = self._determine_resource() if hasattr(self, "_determine_resource") else "*"
        body: bytes | str
        try:
            self._authenticate_and_authorize_normal_action(resource)
            body, extra = _handlers()[self._get_action()](self)
            status = int(extra.pop("status", 200))
        except HTTPException as error:
            body, extra, status = error.description or "", dict(error.get_headers()), int(error.code or 500)
        headers.update(extra)
        # moto's request ID (52 characters, from its seedable random source), in one call.
        headers["x-amzn-requestid"] = "".join(mock_random.choices(_REQUEST_ID_ALPHABET, k=52))
        return status, headers, body

    @property
    def ivschat_backend(self) -> IvschatBackend:
        """The backend of the request's account and region; a region without IVS Chat is refused."""
        account = ivschat_backends[self.current_account]
        if self.region not in account and not allow_unknown_region():
            raise UnsupportedRegion(self.region, account.regions)
        return account[self.region]

    def _get_action(self) -> str:
        """Name the operation from method and path (one dict lookup, no router)."""
        if self._action is None:
            path = self.parsed_url.path
            if path.startswith(_TAGS_PREFIX):
                action = _TAG_OPERATIONS.get(self.method)
            else:
                name = path[1:]
                action = name if self.method == "POST" and name in post_operations() else None
            self._action = action or UNKNOWN_OPERATION
        return self._action

    def _input(self) -> dict[str, Any]:
        """Return the operation's input members, checked against the model.

        First the region (one without IVS Chat is refused) and the request rate
        (when throttling is on), as the service checks them before the request.
        """
        action = self._get_action()
        self.ivschat_backend.admit_request(action)
        is_tag_call = action in _TAG_OPERATIONS.values()
        params = self._tag_input(action) if is_tag_call else self._json_body()
        validate(action, params)
        return params

    def _json_body(self) -> dict[str, Any]:
        body = self.body
        if not body:
            return {}
        try:
            params = json.loads(body.decode("utf-8") if isinstance(body, bytes) else body)
        except (ValueError, RecursionError):  # not UTF-8, malformed, or nested deeper than any request
            # Not modelled: AWS answers a SerializationException; ValidationException
            # is the nearest error the model gives these operations.
            raise ValidationException("The request body is not valid JSON", reason="OTHER") from None
        if type(params) is not dict:
            raise ValidationException("The request body must be a JSON object", reason="OTHER")
        return params

    def _tag_input(self, action: str) -> dict[str, Any]:
        params: dict[str, Any] = {}
        if action == "TagResource":
            params = self._json_body()
        # The ARN travels percent-encoded in the path; a server may hand it decoded.
        params["resourceArn"] = unquote(self.parsed_url.path[len(_TAGS_PREFIX) :])
        if action == "UntagResource":
            params["tagKeys"] = parse_qs(self.parsed_url.query, keep_blank_values=True).get("tagKeys")
        return params

    @staticmethod
    def _json(result: dict[str, Any]) -> tuple[bytes, dict[str, Any]]:
        # Bytes, not str: moto rewrites ``<RequestId>`` elements of a str body
        # with a regex over the whole of it (for XML services). That scan costs
        # time proportional to the body, finds nothing in JSON, and would change
        # a tag value that looked like such an element; moto skips bytes.
        return json.dumps(result).encode(), {"Content-Type": _JSON}

    @staticmethod
    def _no_content() -> tuple[bytes, dict[str, Any]]:
        return b"", {"status": 204}

    def unknown_operation(self) -> None:
        """Any method and path that is not an ivschat operation."""
        raise ValidationException(
            f"Unknown operation: {self.method} {self.parsed_url.path}", reason="UNKNOWN_OPERATION"
        )

    # -- rooms -------------------------------------------------------------

    def create_room(self) -> tuple[bytes, dict[str, Any]]:
        return self._json(operations.create_room(self.ivschat_backend, self._input()).to_dict())

    def get_room(self) -> tuple[bytes, dict[str, Any]]:
        params = self._input()
        return self._json(self.ivschat_backend.get_room(params["identifier"]).to_dict())

    def update_room(self) -> tuple[bytes, dict[str, Any]]:
        return self._json(operations.update_room(self.ivschat_backend, self._input()).to_dict())

    def delete_room(self) -> tuple[bytes, dict[str, Any]]:
        params = self._input()
        self.ivschat_backend.delete_room(params["identifier"])
        return self._no_content()

    def list_rooms(self) -> tuple[bytes, dict[str, Any]]:
        params = self._input()
        rooms, next_token = self.ivschat_backend.list_rooms(
            name=params.get("name"),
            next_token=params.get("nextToken"),
            max_results=params.get("maxResults"),
            message_review_handler_uri=params.get("messageReviewHandlerUri"),
            logging_configuration_identifier=params.get("loggingConfigurationIdentifier"),
        )
        return self._json(_page("rooms", [room.summary() for room in rooms], next_token))

    # -- logging configurations --------------------------------------------

    def create_logging_configuration(self) -> tuple[bytes, dict[str, Any]]:
        config = operations.create_logging_configuration(self.ivschat_backend, self._input())
        return self._json(config.to_dict())

    def get_logging_configuration(self) -> tuple[bytes, dict[str, Any]]:
        params = self._input()
        return self._json(self.ivschat_backend.get_logging_configuration(params["identifier"]).to_dict())

    def update_logging_configuration(self) -> tuple[bytes, dict[str, Any]]:
        config = operations.update_logging_configuration(self.ivschat_backend, self._input())
        return self._json(config.to_dict())

    def delete_logging_configuration(self) -> tuple[bytes, dict[str, Any]]:
        params = self._input()
        self.ivschat_backend.delete_logging_configuration(params["identifier"])
        return self._no_content()

    def list_logging_configurations(self) -> tuple[bytes, dict[str, Any]]:
        params = self._input()
        configs, next_token = self.ivschat_backend.list_logging_configurations(
            next_token=params.get("nextToken"), max_results=params.get("maxResults")
        )
        return self._json(_page("loggingConfigurations", [c.to_dict() for c in configs], next_token))

    # -- chat tokens and messaging -------------------------------------------

    def create_chat_token(self) -> tuple[bytes, dict[str, Any]]:
        params = self._input()
        token = self.ivschat_backend.create_chat_token(
            room_identifier=params["roomIdentifier"],
            user_id=params["userId"],
            capabilities=params.get("capabilities"),
            session_duration_in_minutes=params.get("sessionDurationInMinutes"),
            attributes=params.get("attributes"),
        )
        return self._json(_token_response(token))

    def send_event(self) -> tuple[bytes, dict[str, Any]]:
        params = self._input()
        event = self.ivschat_backend.send_event(
            room_identifier=params["roomIdentifier"],
            event_name=params["eventName"],
            attributes=params.get("attributes"),
        )
        return self._json({"id": event.id})

    def delete_message(self) -> tuple[bytes, dict[str, Any]]:
        params = self._input()
        deletion = self.ivschat_backend.delete_message(
            room_identifier=params["roomIdentifier"], id=params["id"], reason=params.get("reason")
        )
        return self._json({"id": deletion.id})

    def disconnect_user(self) -> tuple[bytes, dict[str, Any]]:
        params = self._input()
        self.ivschat_backend.disconnect_user(
            room_identifier=params["roomIdentifier"], user_id=params["userId"], reason=params.get("reason")
        )
        return self._json({})

    # -- tags --------------------------------------------------------------

    def tag_resource(self) -> tuple[bytes, dict[str, Any]]:
        params = self._input()
        self.ivschat_backend.tag_resource(params["resourceArn"], params["tags"])
        return self._json({})

    def untag_resource(self) -> tuple[bytes, dict[str, Any]]:
        params = self._input()
        self.ivschat_backend.untag_resource(params["resourceArn"], params["tagKeys"])
        return self._json({})

    def list_tags_for_resource(self) -> tuple[bytes, dict[str, Any]]:
        params = self._input()
        return self._json({"tags": self.ivschat_backend.list_tags_for_resource(params["resourceArn"])})


@cache
def _handlers() -> dict[str, Handler]:
    """The handler of every operation (and of a request that names none), found once."""
    names = [*post_operations(), *_TAG_OPERATIONS.values(), UNKNOWN_OPERATION]
    return {name: getattr(IvschatResponse, camelcase_to_underscores(name)) for name in names}


def _page(key: str, items: list[dict[str, Any]], next_token: str | None) -> dict[str, Any]:
    result: dict[str, Any] = {key: items}
    if next_token is not None:
        result["nextToken"] = next_token
    return result


def _token_response(token: ChatToken) -> dict[str, Any]:
    return {
        "token": token.token,
        "tokenExpirationTime": format_time(token.token_expiration_time),
        "sessionExpirationTime": format_time(token.session_expiration_time),
    }
