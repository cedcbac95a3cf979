"""moto-ivschat: an in-process mock of Amazon IVS Chat (``ivschat``) for moto.

Importing this package registers ivschat with moto, so ``moto.mock_aws`` and
``moto_ivschat.mock_ivschat`` both intercept boto3 ``ivschat`` calls.
"""

from .ivschat.models import ivschat_backends
from .mock import mock_ivschat
from .registration import register

register()

__all__ = ["ivschat_backends", "mock_ivschat"]
