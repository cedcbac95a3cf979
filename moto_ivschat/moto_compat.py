"""Every difference between the moto releases moto-ivschat supports (5.0.0 and later 5.x).

The rest of the package imports these names and reads as if written for one moto.
Each entry names the release that changed the behaviour it covers.
"""

from __future__ import annotations

import base64
import re
from functools import cache
from importlib.metadata import version
from typing import TYPE_CHECKING, Any

import botocore.session


def _version(text: str) -> tuple[int, ...]:
    """``"5.1.22"`` (or ``"5.2.6.dev0"``) as ``(5, 1, 22)``."""
    return tuple(int(part) for part in re.findall(r"\d+", text)[:3])


#: Read from moto's installed metadata, not by importing moto: this module may be
#: imported first, and moto's import runs ivschat's registration, which reads it.
MOTO_VERSION = _version(version("moto"))


@cache
def _botocore_partition(region: str) -> str:
    try:
        return str(botocore.session.get_session().get_partition_for_region(region))
    except Exception:  # an unknown region: moto's default partition
        return "aws"


def get_partition(region: str) -> str:
    """The partition (``aws``, ``aws-cn``, ...) of ``region``.

    moto 5.0.8 added ``moto.utilities.utils.get_partition``; before, botocore's
    endpoint data says.
    """
    if MOTO_VERSION >= (5, 0, 8):
        from moto.utilities.utils import get_partition as motos

        return str(motos(region))
    return _botocore_partition(region)


def s3_backend(account_id: str, region: str) -> Any:
    """moto's S3 backend that holds the buckets of ``region``.

    From 5.0.8 there is one per partition; before, one for every region, ``"global"``.
    """
    from moto.s3.models import s3_backends

    return s3_backends[account_id][get_partition(region) if MOTO_VERSION >= (5, 0, 8) else "global"]


def firehose_record(data: bytes) -> dict[str, Any]:
    """A record for moto's ``FirehoseBackend.put_record``.

    moto before 5.1.22 took the ``Data`` base64-encoded, as the wire carries it;
    from 5.1.22 it takes the bytes.
    """
    return {"Data": data if MOTO_VERSION >= (5, 1, 22) else base64.b64encode(data).decode()}


# -- the rest of moto: CloudFormation, the tagging API, IAM, the dashboard, the proxy ----------

#: moto 5.2.2 added the Resource Groups Tagging API's hook for any backend
#: (``moto.core.resource_tagging``); before, that API knows a fixed list of services.
RESOURCE_TAGGING_HOOK = MOTO_VERSION >= (5, 2, 2)
#: The name of the list of instances a ``/moto-api/data.json`` entry exposes:
#: ``instances`` until moto 5.1.8, ``instances_tracked`` from 5.1.9.
MODEL_INSTANCES_ATTRIBUTE = "instances_tracked" if MOTO_VERSION >= (5, 1, 9) else "instances"
#: moto's proxy imports ``multipart`` (the ``moto[proxy]`` extra) until 5.2.3; 5.2.4 dropped it.
PROXY_NEEDS_MULTIPART = MOTO_VERSION < (5, 2, 4)


def iam_enforced() -> bool:
    """Whether moto's IAM enforcement checks the request now (its free requests are used up).

    moto's count lives on ``ActionAuthenticatorMixin``, which moved from
    ``moto.core.responses`` to ``moto.core.authorization`` in 5.1.17; every
    ``BaseResponse`` reads it.
    """
    from moto import settings
    from moto.core.responses import BaseResponse

    return bool(BaseResponse.request_count >= settings.INITIAL_NO_AUTH_ACTION_COUNT)


def iam_request(account_id: str, method: str, path: str, body: bytes, headers: Any, action: str) -> Any:
    """moto's ``IAMRequest`` for the ivschat ``action`` (``"CreateRoom"``...).

    From 5.0.14 moto takes the action as an argument; before, it reads it from an
    ``X-Amz-Target`` header (or a query ``Action``, which rest-json has not), so
    the request gets one (not a signed header: the signature is unchanged). The
    payload is the body alone: moto would sign the query string, or the headers,
    in place of an empty body.
    """
    from moto.iam.access_control import IAMRequest

    if MOTO_VERSION >= (5, 0, 14):
        return IAMRequest(
            account_id=account_id,
            method=method,
            path=path,
            data={},
            body=body,
            headers=headers,
            action=action,
        )
    headers = {**dict(headers.items()), "X-Amz-Target": f"ivschat.{action}"}
    return IAMRequest(account_id=account_id, method=method, path=path, data={}, body=body, headers=headers)  # type: ignore[call-arg]


# Last: importing moto runs ivschat's registration, which reads the constants above.
if TYPE_CHECKING or RESOURCE_TAGGING_HOOK:
    from moto.core.resource_tagging import TaggableResourcesMixin as TaggableResourcesMixin
else:
    #: Before 5.2.2 nothing calls the mixin's methods: a backend mixing this in is as before.
    TaggableResourcesMixin = object
