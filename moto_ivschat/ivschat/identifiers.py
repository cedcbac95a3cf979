"""IDs, ARNs and chat tokens as the service makes them."""

from __future__ import annotations

import base64
import secrets
import string
from typing import NamedTuple

from moto.moto_api._internal import mock_random

from ..moto_compat import get_partition

_ID_ALPHABET = string.ascii_letters + string.digits
#: A real token is an encrypted blob in base64 that starts ``AQICAH`` (a 2024
#: response): these leading bytes give it that shape. The rest is ``secrets``
#: randomness, 187 bytes (well over 128 bits), so a token is 256 characters.
_TOKEN_HEADER = bytes.fromhex("0102020078")
_TOKEN_RANDOM_BYTES = 187


def new_id() -> str:
    """Return a 12-character ``[a-zA-Z0-9]`` ID, as rooms, events and messages have.

    Drawn from moto's seedable random source, so ``/moto-api/seed`` makes IDs
    repeatable.
    """
    return "".join(mock_random.choices(_ID_ALPHABET, k=12))


def new_chat_token() -> str:
    """Return an unguessable, opaque chat token shaped like the service's (``AQICAH...``).

    URL-safe base64 without padding, so it is also a valid WebSocket subprotocol
    (an HTTP token), as the Chat Messaging API takes it.
    """
    return base64.urlsafe_b64encode(_TOKEN_HEADER + secrets.token_bytes(_TOKEN_RANDOM_BYTES)).decode()


def make_arn(region: str, account_id: str, resource_type: str, resource_id: str) -> str:
    """Return ``arn:<partition>:ivschat:<region>:<account>:<type>/<id>``."""
    return f"arn:{get_partition(region)}:ivschat:{region}:{account_id}:{resource_type}/{resource_id}"


class ParsedArn(NamedTuple):
    """The parts of an ivschat ARN that decide where its resource lives."""

    region: str
    account_id: str
    resource_type: str
    resource_id: str


def parse_arn(arn: str) -> ParsedArn | None:
    """Split an ivschat ARN, or return ``None`` if it is not one."""
    parts = arn.split(":", 5)
    if len(parts) != 6 or parts[0] != "arn" or parts[2] != "ivschat":
        return None
    resource_type, _, resource_id = parts[5].partition("/")
    if not resource_id:
        return None
    return ParsedArn(parts[3], parts[4], resource_type, resource_id)
