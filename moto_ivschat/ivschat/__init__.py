"""The ivschat service for moto, laid out as moto's own service packages are.

``moto_ivschat`` makes ``import moto.ivschat`` resolve to this package, so moto
finds ``ivschat_backends`` here as it finds any service's backends.
"""

from .models import ivschat_backends

__all__ = ["ivschat_backends"]
