"""IDs, ARNs and chat tokens as the service makes them."""

from __future__ import annotations

import secrets
import string
from typing import NamedTuple

from moto.moto_api._internal import mock_random

from ..moto_compat import get_partition

_ID_ALPHABET = string.ascii_letters + string.digits
#: Bytes of randomness in a chat token: 256 bits, URL-safe base64 encoded.
_TOKEN_BYTES = 32


def new_id() -> str:
    """Return a 12-character ``[a-zA-Z0-9]`` ID, as rooms, events and messages have.

    Drawn from moto's seedable random source, so ``/moto-api/seed`` makes IDs
    repeatable.
    """
    return "".join(mock_random.choices(_ID_ALPHABET, k=12))


def new_chat_token() -> str:
    """Return an unguessable, opaque, URL-safe chat token (from ``secrets``)."""
    return secrets.token_urlsafe(_TOKEN_BYTES)


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
