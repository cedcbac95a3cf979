"""Review handlers that are functions in moto's Lambda.

A room whose handler ``uri`` has no Python callable registered is reviewed by the
function that ARN names in moto's Lambda, invoked through moto's Lambda backend in
this process: in Docker where moto runs functions there, or through moto's simple
Lambda (``mock_aws(config={"lambda": {"use_docker": False}})``), whose answers a
test queues at ``/moto-api/static/lambda-simple/response`` (moto 5.0.4 and later).
The invocation runs on the review pool with the same 200 ms as a callable. The
function's resource policy is not checked: AWS wants it to let ``ivschat.amazonaws.com``
invoke the function; here any function of that ARN reviews (ours).
"""

from __future__ import annotations

import json
from typing import Any


class FunctionError(Exception):
    """The function failed (moto's ``X-Amz-Function-Error``): as a failed Lambda, the fallback applies."""


def invoke_moto_function(uri: str, request: dict[str, Any]) -> Any:
    """Invoke the function ``uri`` names in moto's Lambda with ``request``; its decoded answer.

    Raises when there is no such function (moto's ``UnknownFunctionException``), when
    it fails, or when its answer is not JSON: each is a Lambda that gave no answer.
    """
    from moto.awslambda.utils import get_backend

    _, _, _, region, account, _ = uri.split(":", 5)
    backend = get_backend(account, region)
    backend.get_function(uri)  # an unknown function raises before anything runs
    response_headers: dict[str, str] = {}
    payload = backend.invoke(uri, None, json.dumps(request), {}, response_headers)
    if "x-amz-function-error" in response_headers:
        raise FunctionError(payload)
    return json.loads(payload or b"null")
