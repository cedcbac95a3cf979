"""The ivschat backend: rooms, logging configurations, chat tokens and what rooms receive.

One ``IvschatBackend`` per account and region, held in ``ivschat_backends``. Every
public method runs under the backend's lock (moto's server serves requests on
threads). Inputs arrive already checked against the service model by
``validation``; the checks here are the ones the model cannot express.

What a room receives (events, deletions, disconnections, chat clients' messages)
is kept on the room, written to its chat logs and handed to ``room_listeners``,
all before the call that caused it returns. What the backend keeps is bounded:
each room keeps its last ``record_limit`` records of each kind and tokens, and a
deleted room's records stay readable among the last ``deleted_room_limit``
deleted rooms (its tokens until they expire).
"""

from __future__ import annotations

import functools
import heapq
import os
import threading
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any, ClassVar, Concatenate, ParamSpec, TypeVar

from moto.core.base_backend import BackendDict, BaseBackend
from moto.core.common_types import TYPE_RESPONSE
from moto.moto_api import state_manager
from moto.moto_api._internal.managed_state_model import ManagedState
from moto.settings import enable_iso_regions

from .chat_logging import log_record
from .exceptions import (
    LOGGING_CONFIGURATION,
    ROOM,
    ConflictException,
    ResourceNotFoundException,
    ServiceQuotaExceededException,
    ThrottlingException,
    ValidationException,
)
from .identifiers import make_arn, new_chat_token, new_id, parse_arn
from .ordered_index import Facet, OrderedIndex, SortKey
from .records import (
    EventRecord,
    MessageDeletion,
    MessageRecord,
    RoomRecord,
    UserDisconnection,
    format_time,
    now,
)
from .resource_tagging import ResourceTagging

DEFAULT_MAXIMUM_MESSAGE_RATE_PER_SECOND = 10
DEFAULT_MAXIMUM_MESSAGE_LENGTH = 500
DEFAULT_FALLBACK_RESULT = "ALLOW"
DEFAULT_SESSION_DURATION_IN_MINUTES = 60
DEFAULT_MAX_RESULTS = 50
#: Default quotas per account and region (both adjustable at AWS, and here on the backend).
DEFAULT_LOGGING_CONFIGURATION_QUOTA = 10
DEFAULT_ROOM_QUOTA = 50_000
#: The service's limit on the attributes of a token and of an event: 1 KB of UTF-8
#: keys and values in total. The messaging emulator applies it to messages too.
MAX_ATTRIBUTES_BYTES = 1024
MAX_TAGS = 50
#: How long a chat token may be used to connect. AWS documentation once said one
#: minute, but a real response (2024) showed one hour after the request; we use
#: one hour. Override with ``MOTO_IVSCHAT_TOKEN_LIFETIME_SECONDS`` or the
#: backend's ``chat_token_lifetime``.
TOKEN_LIFETIME_ENV = "MOTO_IVSCHAT_TOKEN_LIFETIME_SECONDS"
DEFAULT_TOKEN_LIFETIME = timedelta(hours=1)
#: How many records of each kind (events, deletions, disconnections, messages)
#: and chat tokens a room keeps, newest last; older ones are dropped.
RECORD_LIMIT_ENV = "MOTO_IVSCHAT_RECORD_LIMIT"
DEFAULT_RECORD_LIMIT = 1000
#: How many deleted rooms keep their records readable (the oldest deletion goes first).
DELETED_ROOM_LIMIT_ENV = "MOTO_IVSCHAT_DELETED_ROOM_LIMIT"
DEFAULT_DELETED_ROOM_LIMIT = 100

#: Request-rate quotas per account and region (the service-quotas page), in requests
#: per second, enforced when a backend's ``throttling`` is on: default off, on for
#: every backend with ``MOTO_IVSCHAT_THROTTLING=true``.
REQUEST_RATE_QUOTAS = {
    "CreateChatToken": 200,
    **dict.fromkeys(("DeleteMessage", "DisconnectUser", "SendEvent"), 100),
    **dict.fromkeys(("CreateRoom", "DeleteRoom", "GetRoom", "ListRooms", "UpdateRoom"), 5),
    **dict.fromkeys(
        (
            "CreateLoggingConfiguration",
            "DeleteLoggingConfiguration",
            "GetLoggingConfiguration",
            "ListLoggingConfigurations",
            "UpdateLoggingConfiguration",
        ),
        3,
    ),
    **dict.fromkeys(("ListTagsForResource", "TagResource", "UntagResource"), 10),
}
THROTTLING_ENV = "MOTO_IVSCHAT_THROTTLING"
#: The logging configurations' name in moto's state manager. Their transitions are
#: instant by default (Create, Update and Get answer ACTIVE, Delete removes at once);
#: ``state_manager.set_transition(LOGGING_CONFIGURATION_MODEL, {"progression": "time",
#: "seconds": 5})`` (or ``"manual"``, ``"times"``) — or moto's
#: ``/moto-api/state-manager/set-transition`` on a server — makes them pass through
#: CREATING, UPDATING and DELETING as the service's do (Terraform's waiters wait for
#: them), freezegun-aware.
LOGGING_CONFIGURATION_MODEL = "ivschat::logging-configuration"
state_manager.register_default_transition(LOGGING_CONFIGURATION_MODEL, {"progression": "immediate"})
ACTIVE = "ACTIVE"
#: Shown while a destination cannot be written (see ``chat_logging``).
CREATE_FAILED = "CREATE_FAILED"
_DELETED = "DELETED"
_SETTLING = frozenset({"CREATING", "UPDATING", "DELETING"})

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_MICROSECOND = timedelta(microseconds=1)


def attributes_size(attributes: dict[str, str]) -> int:
    """Return the UTF-8 size of an attribute map's keys and values."""
    return sum(len(k.encode()) + len(v.encode()) for k, v in attributes.items())


def _token_lifetime() -> timedelta:
    seconds = os.environ.get(TOKEN_LIFETIME_ENV)
    return timedelta(seconds=float(seconds)) if seconds else DEFAULT_TOKEN_LIFETIME


def _limit(name: str, default: int) -> int:
    value = os.environ.get(name)
    return max(int(value), 1) if value else default


class _Stamped:
    """A resource with an ID, an ARN, tags and create/update times.

    Not a moto ``BaseModel``: that class keeps every instance ever made (for
    ``/moto-api/data.json``), which would hold every room of every test.
    """

    def __init__(self, resource_id: str, arn: str, created: datetime, tags: dict[str, str]) -> None:
        self.id = resource_id
        self.arn = arn
        self.tags = tags
        self.create_time = created
        self._create_time_text = format_time(created)
        self.sort_key: SortKey = (0, 0)
        self.touch(created, 0)

    def touch(self, moment: datetime, change: int) -> None:
        """Record a change at ``moment``; ``change`` orders changes made at the same instant."""
        self.update_time = moment
        self._update_time_text = format_time(moment)
        self.sort_key = ((moment - _EPOCH) // _MICROSECOND, change)

    def _times(self) -> dict[str, str]:
        return {"createTime": self._create_time_text, "updateTime": self._update_time_text}


@dataclass
class ChatToken:
    """What a chat token was issued for.

    ``token_expiration_time`` and ``session_expiration_time`` are whole seconds,
    as the service reports them; ``issue_time`` is the millisecond of the request.
    """

    token: str
    room_arn: str
    user_id: str
    capabilities: list[str]
    attributes: dict[str, str]
    session_duration_in_minutes: int
    issue_time: datetime
    token_expiration_time: datetime
    session_expiration_time: datetime
    used: bool = False


class Room(_Stamped):
    """A chat room and everything the control plane sent it."""

    def __init__(
        self,
        room_id: str,
        arn: str,
        created: datetime,
        name: str,
        maximum_message_rate_per_second: int,
        maximum_message_length: int,
        message_review_handler: dict[str, str] | None,
        tags: dict[str, str],
        record_limit: int = DEFAULT_RECORD_LIMIT,
    ) -> None:
        super().__init__(room_id, arn, created, tags)
        self.name = name
        self.maximum_message_rate_per_second = maximum_message_rate_per_second
        self.maximum_message_length = maximum_message_length
        self.message_review_handler = message_review_handler
        self.logging_configuration_identifiers: list[str] = []
        # The last ``record_limit`` of each kind, oldest first.
        self.events: deque[EventRecord] = deque(maxlen=record_limit)
        self.message_deletions: deque[MessageDeletion] = deque(maxlen=record_limit)
        self.user_disconnections: deque[UserDisconnection] = deque(maxlen=record_limit)
        #: Messages chat clients sent over the Chat Messaging API, as delivered.
        self.messages: deque[MessageRecord] = deque(maxlen=record_limit)
        self.chat_tokens: deque[ChatToken] = deque()
        self.record_limit = record_limit

    def keep(self, record: RoomRecord) -> None:
        """Keep ``record`` among the room's last ``record_limit`` of its kind."""
        if isinstance(record, EventRecord):
            self.events.append(record)
        elif isinstance(record, MessageDeletion):
            self.message_deletions.append(record)
        elif isinstance(record, UserDisconnection):
            self.user_disconnections.append(record)
        else:
            self.messages.append(record)

    def summary(self) -> dict[str, Any]:
        """Return the RoomSummary (no maximum-message fields)."""
        result: dict[str, Any] = {"arn": self.arn, "id": self.id, "name": self.name}
        if self.message_review_handler is not None:
            result["messageReviewHandler"] = dict(self.message_review_handler)
        result.update(self._times())
        result["tags"] = dict(self.tags)
        result["loggingConfigurationIdentifiers"] = list(self.logging_configuration_identifiers)
        return result

    def to_dict(self) -> dict[str, Any]:
        """Return the room as CreateRoom, GetRoom and UpdateRoom answer it."""
        result = self.summary()
        result["maximumMessageRatePerSecond"] = self.maximum_message_rate_per_second
        result["maximumMessageLength"] = self.maximum_message_length
        return result


class LoggingConfiguration(_Stamped):
    """Where a room's messages and events are logged."""

    def __init__(
        self,
        config_id: str,
        arn: str,
        created: datetime,
        name: str,
        destination_configuration: dict[str, dict[str, str]],
        tags: dict[str, str],
    ) -> None:
        super().__init__(config_id, arn, created, tags)
        self.name = name
        self.destination_configuration = destination_configuration
        #: Whether the last write to the destination failed (the state reads CREATE_FAILED).
        self.delivery_failed = False
        self._progress = ManagedState(LOGGING_CONFIGURATION_MODEL, [("CREATING", ACTIVE)])

    @property
    def state(self) -> str:
        """The state now: the transition under way (moto's state manager paces it), or ACTIVE."""
        state = self._progress.status or ACTIVE
        return CREATE_FAILED if state == ACTIVE and self.delivery_failed else state

    @property
    def settling(self) -> bool:
        """Whether a create, update or delete is still under way."""
        return self._progress.status in _SETTLING

    def begin(self, settling: str, settled: str = ACTIVE) -> None:
        """Start the transition ``settling`` -> ``settled``."""
        self._progress = ManagedState(LOGGING_CONFIGURATION_MODEL, [(settling, settled)])

    def described(self) -> None:
        """Count a Get or List of it (moto's ``manual`` progression advances by them)."""
        self._progress.advance()

    @property
    def deleted(self) -> bool:
        """Whether a deletion under way is done."""
        return self._progress.status == _DELETED

    def to_dict(self) -> dict[str, Any]:
        """Return the configuration as every logging-configuration call answers it."""
        result: dict[str, Any] = {
            "arn": self.arn,
            "id": self.id,
            "name": self.name,
            "destinationConfiguration": {k: dict(v) for k, v in self.destination_configuration.items()},
            "state": self.state,
            "tags": dict(self.tags),
        }
        result.update(self._times())
        return result


P = ParamSpec("P")
T = TypeVar("T")


def _locked(
    method: Callable[Concatenate[IvschatBackend, P], T],
) -> Callable[Concatenate[IvschatBackend, P], T]:
    @functools.wraps(method)
    def wrapper(self: IvschatBackend, /, *args: P.args, **kwargs: P.kwargs) -> T:
        with self.lock:
            return method(self, *args, **kwargs)

    return wrapper


def _id_of(arn: str) -> str:
    """Return the resource ID an identifier names (its last path segment)."""
    return arn.rpartition("/")[2] or arn


def _check_attributes_size(attributes: dict[str, str]) -> None:
    if attributes_size(attributes) > MAX_ATTRIBUTES_BYTES:
        raise ValidationException.for_field(
            "attributes",
            f"Value at 'attributes' failed to satisfy constraint: "
            f"Member must be at most {MAX_ATTRIBUTES_BYTES} bytes in total",
        )


def _check_tag_keys(tags: dict[str, str]) -> None:
    if any(key.lower().startswith("aws:") for key in tags):
        raise ValidationException.for_field(
            "tags",
            "Value at 'tags' failed to satisfy constraint: "
            "tag keys beginning with 'aws:' are reserved for AWS use",
        )


def _review_handler_uri(room: Room) -> tuple[str, ...]:
    handler = room.message_review_handler
    return () if handler is None else (handler["uri"],)


#: The values each ListRooms filter finds a room by: the facets of the room index.
_ROOM_FACETS: dict[str, Facet[Room]] = {
    "name": lambda room: (room.name,),
    "messageReviewHandlerUri": _review_handler_uri,
    "loggingConfigurationIdentifier": lambda room: room.logging_configuration_identifiers,
}


class IvschatBackend(BaseBackend, ResourceTagging):
    """Amazon IVS Chat state of one account in one region."""

    #: Called with ``(room, record)`` for each record a room receives (after it is
    #: logged), under the backend's lock, so listeners see records in order.
    #: Listeners (such as a messaging emulator) subscribe here; the backend
    #: never imports them.
    room_listeners: ClassVar[list[Callable[[Room, RoomRecord], None]]] = []
    #: Called with the room, under the backend's lock, when DeleteRoom deletes it.
    room_deletion_listeners: ClassVar[list[Callable[[Room], None]]] = []
    #: moto's routes of the service, by ISO-region setting (see ``urls``).
    _routes: ClassVar[dict[bool, dict[str, Callable[[Any, str, Any], TYPE_RESPONSE]]]] = {}

    @property
    def urls(self) -> dict[str, Callable[[Any, str, Any], TYPE_RESPONSE]]:
        """moto's routes of the service, built once: moto's own ``urls`` rebuilds them per request.

        They depend only on ``urls.py`` and on whether ISO regions are enabled.
        The dict is shared: read it, do not change it.
        """
        iso = enable_iso_regions()
        routes = self._routes.get(iso)
        if routes is None:
            routes = self._routes[iso] = super().urls
        return routes

    def __init__(self, region_name: str, account_id: str) -> None:
        super().__init__(region_name, account_id)
        self.lock = threading.RLock()
        self.rooms: OrderedIndex[Room] = OrderedIndex(_ROOM_FACETS)
        self.logging_configurations: OrderedIndex[LoggingConfiguration] = OrderedIndex()
        #: Every token that may still be verified: of live rooms (their last
        #: ``record_limit``) and unexpired ones of deleted rooms.
        self.chat_tokens: dict[str, ChatToken] = {}
        self.chat_token_lifetime = _token_lifetime()
        self.room_quota = DEFAULT_ROOM_QUOTA
        self.logging_configuration_quota = DEFAULT_LOGGING_CONFIGURATION_QUOTA
        self.record_limit = _limit(RECORD_LIMIT_ENV, DEFAULT_RECORD_LIMIT)
        self.deleted_room_limit = _limit(DELETED_ROOM_LIMIT_ENV, DEFAULT_DELETED_ROOM_LIMIT)
        #: Deleted rooms by ID, oldest deletion first: their records stay readable.
        self.deleted_rooms: OrderedDict[str, Room] = OrderedDict()
        #: ``(tokenExpirationTime, token)`` of the deleted rooms' tokens still kept.
        self._expiring_tokens: list[tuple[datetime, str]] = []
        #: Logging configurations being deleted (removed once their transition is done).
        self._deleting: dict[str, LoggingConfiguration] = {}
        self.throttling = os.environ.get(THROTTLING_ENV, "").lower() == "true"
        self.request_rate_quotas = dict(REQUEST_RATE_QUOTAS)
        #: Per operation: requests still allowed (a token bucket) and when it was last filled.
        self._allowance: dict[str, tuple[float, datetime]] = {}
        self._changes = 0

    # -- helpers -----------------------------------------------------------

    def _touch(self, resource: _Stamped, now: datetime) -> None:
        self._changes += 1
        resource.touch(now, self._changes)

    def _own_id(self, arn: str, resource_type: str) -> str | None:
        """Return the ID in ``arn`` if it names a ``resource_type`` of this account and region."""
        parsed = parse_arn(arn)
        if (
            parsed is None
            or parsed.resource_type != resource_type
            or parsed.region != self.region_name
            or parsed.account_id != self.account_id
        ):
            return None
        return parsed.resource_id

    def get_room_by_arn(self, arn: str) -> Room:
        """Return the room ``arn`` names, or raise ResourceNotFoundException."""
        room_id = self._own_id(arn, "room")
        room = self.rooms.get(room_id) if room_id else None
        if room is None:
            raise ResourceNotFoundException(_id_of(arn), ROOM)
        return room

    def _logging_configuration(self, arn: str) -> LoggingConfiguration:
        self._settle_deletions()
        config_id = self._own_id(arn, "logging-configuration")
        config = self.logging_configurations.get(config_id) if config_id else None
        if config is None:
            raise ResourceNotFoundException(_id_of(arn), LOGGING_CONFIGURATION)
        return config

    def _settle_deletions(self) -> None:
        """Remove the logging configurations whose deletion is done."""
        for config in [c for c in self._deleting.values() if c.deleted]:
            del self._deleting[config.id]
            self.logging_configurations.remove(config.id)

    @staticmethod
    def _check_settled(config: LoggingConfiguration) -> None:
        if config.settling:
            raise ConflictException(
                f"Logging configuration {config.id} is {config.state}: wait until it is ACTIVE",
                config.id,
                LOGGING_CONFIGURATION,
            )

    def _receive(self, room: Room, record: RoomRecord) -> None:
        """Keep what ``room`` received, log it to its destinations, and tell the listeners."""
        room.keep(record)
        configs = [
            config
            for arn in room.logging_configuration_identifiers
            if (config := self.logging_configurations.get(_id_of(arn))) is not None
        ]
        if configs:
            log_record(self.account_id, self.region_name, room.id, configs, record)
        for listener in self.room_listeners:
            listener(room, record)

    def _new_arn(self, resource_type: str, index: OrderedIndex[Any]) -> tuple[str, str]:
        """Return a fresh ``(id, arn)`` for a resource of ``resource_type``."""
        resource_id = new_id()
        while index.get(resource_id) is not None or resource_id in self.deleted_rooms:
            resource_id = new_id()
        return resource_id, make_arn(self.region_name, self.account_id, resource_type, resource_id)

    def _check_review_handler(self, handler: dict[str, str] | None) -> dict[str, str] | None:
        if handler is None:
            return None
        uri = handler.get("uri", "")
        # The handler's Lambda must be in the room's account and region. Whether
        # the function exists is not checked: the real check is unconfirmed.
        if uri:
            parts = uri.split(":")
            if parts[3] != self.region_name or parts[4] != self.account_id:
                raise ValidationException.for_field(
                    "messageReviewHandler.uri",
                    "Value at 'messageReviewHandler.uri' failed to satisfy constraint: "
                    "the Lambda function must be in the same account and region as the room",
                )
        return {"uri": uri, "fallbackResult": handler.get("fallbackResult") or DEFAULT_FALLBACK_RESULT}

    @_locked
    def admit_request(self, operation: str) -> None:
        """Count a control-plane request against its rate quota; ThrottlingException over it.

        A token bucket per operation, as deep as one second of the quota, refilled by
        moto's clock: under a frozen clock it never refills, so a test can exhaust it.
        """
        limit = self.request_rate_quotas.get(operation)
        if not self.throttling or limit is None:
            return
        current = now()
        allowed, filled = self._allowance.get(operation, (float(limit), current))
        allowed = min(float(limit), allowed + (current - filled).total_seconds() * limit)
        if allowed < 1:
            self._allowance[operation] = (allowed, current)
            kind = LOGGING_CONFIGURATION if "LoggingConfiguration" in operation else ROOM
            # The quota is the account's: its ID stands in as the resource ID.
            raise ThrottlingException(operation, self.account_id, kind, limit)
        self._allowance[operation] = (allowed - 1, current)

    # -- rooms -------------------------------------------------------------

    @_locked
    def create_room(
        self,
        name: str | None = None,
        maximum_message_rate_per_second: int | None = None,
        maximum_message_length: int | None = None,
        message_review_handler: dict[str, str] | None = None,
        tags: dict[str, str] | None = None,
        logging_configuration_identifiers: list[str] | None = None,
    ) -> Room:
        """CreateRoom."""
        tags = dict(tags or {})
        _check_tag_keys(tags)
        config_arns = [
            self._logging_configuration(arn).arn for arn in logging_configuration_identifiers or []
        ]
        handler = self._check_review_handler(message_review_handler)
        if len(self.rooms) >= self.room_quota:
            raise ServiceQuotaExceededException(self.account_id, ROOM, self.room_quota)
        room_id, arn = self._new_arn("room", self.rooms)
        room = Room(
            room_id,
            arn,
            now(),
            name or "",
            maximum_message_rate_per_second or DEFAULT_MAXIMUM_MESSAGE_RATE_PER_SECOND,
            maximum_message_length or DEFAULT_MAXIMUM_MESSAGE_LENGTH,
            handler,
            tags,
            self.record_limit,
        )
        room.logging_configuration_identifiers = config_arns
        self._touch(room, room.create_time)
        self.rooms.put(room)
        return room

    @_locked
    def get_room(self, identifier: str) -> Room:
        """GetRoom."""
        return self.get_room_by_arn(identifier)

    @_locked
    def update_room(
        self,
        identifier: str,
        name: str | None = None,
        maximum_message_rate_per_second: int | None = None,
        maximum_message_length: int | None = None,
        message_review_handler: dict[str, str] | None = None,
        logging_configuration_identifiers: list[str] | None = None,
    ) -> Room:
        """UpdateRoom: changes only what it is given and moves ``updateTime``."""
        room = self.get_room_by_arn(identifier)
        config_arns = None
        if logging_configuration_identifiers is not None:
            config_arns = [self._logging_configuration(arn).arn for arn in logging_configuration_identifiers]
        handler = self._check_review_handler(message_review_handler)
        # Everything is checked: from here on nothing can fail half-way.
        if name is not None:
            room.name = name
        if maximum_message_rate_per_second is not None:
            room.maximum_message_rate_per_second = maximum_message_rate_per_second
        if maximum_message_length is not None:
            room.maximum_message_length = maximum_message_length
        if handler is not None:
            room.message_review_handler = handler
        if config_arns is not None:
            room.logging_configuration_identifiers = config_arns
        self._touch(room, now())
        self.rooms.put(room)
        return room

    @_locked
    def delete_room(self, identifier: str) -> Room:
        """DeleteRoom: the room, its tags and its links to logging configurations go.

        What it received stays readable (inspection) among the last
        ``deleted_room_limit`` deleted rooms; its tokens are kept (to be verified
        as ``ROOM_DELETED``) until they expire.
        """
        room = self.get_room_by_arn(identifier)
        self.rooms.remove(room.id)
        for listener in self.room_deletion_listeners:
            listener(room)
        self._forget_expired_tokens()
        self.deleted_rooms[room.id] = room
        for token in room.chat_tokens:
            heapq.heappush(self._expiring_tokens, (token.token_expiration_time, token.token))
        while len(self.deleted_rooms) > self.deleted_room_limit:
            _, oldest = self.deleted_rooms.popitem(last=False)
            for token in oldest.chat_tokens:
                self.chat_tokens.pop(token.token, None)
        return room

    def room_record(self, room_id: str) -> Room | None:
        """The room with ``room_id``, live or among the kept deleted rooms (call under the lock)."""
        return self.rooms.get(room_id) or self.deleted_rooms.get(room_id)

    def _forget_expired_tokens(self) -> None:
        """Drop the deleted rooms' tokens whose ``tokenExpirationTime`` has passed."""
        expiring, current = self._expiring_tokens, now()
        while expiring and expiring[0][0] <= current:
            self.chat_tokens.pop(heapq.heappop(expiring)[1], None)

    @_locked
    def list_rooms(
        self,
        name: str | None = None,
        next_token: str | None = None,
        max_results: int | None = None,
        message_review_handler_uri: str | None = None,
        logging_configuration_identifier: str | None = None,
    ) -> tuple[list[Room], str | None]:
        """ListRooms: newest ``updateTime`` first, filtered by every filter given."""
        where: dict[str, str] = {}
        if name is not None:
            where["name"] = name
        if message_review_handler_uri is not None:
            where["messageReviewHandlerUri"] = message_review_handler_uri
        if logging_configuration_identifier is not None:
            config = self._logging_configuration(logging_configuration_identifier)
            where["loggingConfigurationIdentifier"] = config.arn
        return self.rooms.page(max_results or DEFAULT_MAX_RESULTS, next_token, where)

    # -- logging configurations --------------------------------------------

    @_locked
    def create_logging_configuration(
        self,
        destination_configuration: dict[str, dict[str, str]],
        name: str | None = None,
        tags: dict[str, str] | None = None,
    ) -> LoggingConfiguration:
        """CreateLoggingConfiguration, within the per-account-and-region quota."""
        tags = dict(tags or {})
        _check_tag_keys(tags)
        self._settle_deletions()
        if len(self.logging_configurations) >= self.logging_configuration_quota:
            # The quota is the account's: its ID stands in as the resource ID.
            raise ServiceQuotaExceededException(
                self.account_id, LOGGING_CONFIGURATION, self.logging_configuration_quota
            )
        config_id, arn = self._new_arn("logging-configuration", self.logging_configurations)
        created = now()
        config = LoggingConfiguration(
            config_id, arn, created, name or "", _copy_destination(destination_configuration), tags
        )
        self._touch(config, created)
        self.logging_configurations.put(config)
        return config

    @_locked
    def get_logging_configuration(self, identifier: str) -> LoggingConfiguration:
        """GetLoggingConfiguration."""
        config = self._logging_configuration(identifier)
        config.described()
        return config

    @_locked
    def update_logging_configuration(
        self,
        identifier: str,
        name: str | None = None,
        destination_configuration: dict[str, dict[str, str]] | None = None,
    ) -> LoggingConfiguration:
        """UpdateLoggingConfiguration: changes only what it is given.

        While a create, update or delete is under way it is a ConflictException
        (aws-sdk-go-v2's changelog: "when invalid updates are made in sequence").
        """
        config = self._logging_configuration(identifier)
        self._check_settled(config)
        destination = (
            None if destination_configuration is None else _copy_destination(destination_configuration)
        )
        # Everything is checked: from here on nothing can fail half-way.
        if name is not None:
            config.name = name
        if destination is not None:
            config.destination_configuration = destination
        # Delivery starts over: a failed write to the old destination is forgotten.
        config.delivery_failed = False
        config.begin("UPDATING")
        self._touch(config, now())
        self.logging_configurations.put(config)
        return config

    @_locked
    def delete_logging_configuration(self, identifier: str) -> LoggingConfiguration:
        """DeleteLoggingConfiguration.

        The model lists ConflictException for this call and AWS does not document
        when; we refuse to delete a configuration that a room still references
        (detach it with UpdateRoom first), which keeps no room pointing at nothing.
        """
        config = self._logging_configuration(identifier)
        self._check_settled(config)
        users = self.rooms.count("loggingConfigurationIdentifier", config.arn)
        if users:
            raise ConflictException(
                f"Logging configuration {config.id} is used by {users} room(s)",
                config.id,
                LOGGING_CONFIGURATION,
            )
        config.begin("DELETING", _DELETED)
        self._deleting[config.id] = config
        self._settle_deletions()
        return config

    @_locked
    def list_logging_configurations(
        self, next_token: str | None = None, max_results: int | None = None
    ) -> tuple[list[LoggingConfiguration], str | None]:
        """ListLoggingConfigurations: newest ``updateTime`` first."""
        self._settle_deletions()
        configs, token = self.logging_configurations.page(max_results or DEFAULT_MAX_RESULTS, next_token)
        for config in configs:
            config.described()
        return configs, token

    # -- chat tokens and messaging -------------------------------------------

    @_locked
    def create_chat_token(
        self,
        room_identifier: str,
        user_id: str,
        capabilities: list[str] | None = None,
        session_duration_in_minutes: int | None = None,
        attributes: dict[str, str] | None = None,
    ) -> ChatToken:
        """CreateChatToken: remembers what the token was issued for."""
        room = self.get_room_by_arn(room_identifier)
        attributes = dict(attributes or {})
        _check_attributes_size(attributes)
        duration = session_duration_in_minutes or DEFAULT_SESSION_DURATION_IN_MINUTES
        issued = now()
        # The service reports both expirations in whole seconds (a real 2024
        # response): the request's second, plus the lifetime (inferred).
        second = issued.replace(microsecond=0)
        token = new_chat_token()
        record = ChatToken(
            token=token,
            room_arn=room.arn,
            user_id=user_id,
            capabilities=list(capabilities or []),
            attributes=attributes,
            session_duration_in_minutes=duration,
            issue_time=issued,
            token_expiration_time=second + self.chat_token_lifetime,
            session_expiration_time=second + timedelta(minutes=duration),
        )
        self._forget_expired_tokens()
        self.chat_tokens[token] = record
        room.chat_tokens.append(record)
        if len(room.chat_tokens) > room.record_limit:
            self.chat_tokens.pop(room.chat_tokens.popleft().token, None)
        return record

    @_locked
    def send_event(
        self, room_identifier: str, event_name: str, attributes: dict[str, str] | None = None
    ) -> EventRecord:
        """SendEvent: recorded on the room. Its attributes, like a token's, are 1 KB at most."""
        room = self.get_room_by_arn(room_identifier)
        attributes = dict(attributes or {})
        _check_attributes_size(attributes)
        event = EventRecord(new_id(), event_name, attributes, now())
        self._receive(room, event)
        return event

    @_locked
    def delete_message(
        self,
        room_identifier: str,
        id: str,  # noqa: A002
        reason: str | None = None,
        request_id: str = "",
    ) -> MessageDeletion:
        """DeleteMessage: recorded on the room; answers the ID of the deletion event."""
        room = self.get_room_by_arn(room_identifier)
        deletion = MessageDeletion(new_id(), id, reason, now(), request_id)
        self._receive(room, deletion)
        return deletion

    @_locked
    def disconnect_user(
        self, room_identifier: str, user_id: str, reason: str | None = None, request_id: str = ""
    ) -> UserDisconnection:
        """DisconnectUser: recorded on the room."""
        room = self.get_room_by_arn(room_identifier)
        disconnection = UserDisconnection(new_id(), user_id, reason, now(), request_id)
        self._receive(room, disconnection)
        return disconnection

    @_locked
    def deliver_message(self, room_identifier: str, message: MessageRecord) -> None:
        """A chat client's message, as the room delivers it (after any review)."""
        self._receive(self.get_room_by_arn(room_identifier), message)

    # -- tags --------------------------------------------------------------

    def _tagged(self, arn: str) -> _Stamped:
        parsed = parse_arn(arn)
        if parsed is not None and parsed.resource_type == "logging-configuration":
            return self._logging_configuration(arn)
        return self.get_room_by_arn(arn)

    @_locked
    def tag_resource(self, resource_arn: str, tags: dict[str, str]) -> None:
        """TagResource: merged into the resource's tags, all or nothing."""
        resource = self._tagged(resource_arn)
        _check_tag_keys(tags)
        merged = {**resource.tags, **tags}
        if len(merged) > MAX_TAGS:
            raise ValidationException.for_field(
                "tags",
                f"Value at 'tags' failed to satisfy constraint: "
                f"a resource can have at most {MAX_TAGS} tags (it would have {len(merged)})",
            )
        resource.tags = merged

    @_locked
    def untag_resource(self, resource_arn: str, tag_keys: list[str]) -> None:
        """UntagResource: keys the resource does not have are ignored."""
        resource = self._tagged(resource_arn)
        _check_tag_keys(dict.fromkeys(tag_keys, ""))
        for key in tag_keys:
            resource.tags.pop(key, None)

    @_locked
    def list_tags_for_resource(self, resource_arn: str) -> dict[str, str]:
        """ListTagsForResource."""
        return dict(self._tagged(resource_arn).tags)


def _copy_destination(destination: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    return {kind: dict(settings) for kind, settings in destination.items()}


ivschat_backends = BackendDict(IvschatBackend, "ivschat")
