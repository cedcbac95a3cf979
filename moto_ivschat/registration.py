"""Registration of the ivschat service with moto: the one module that touches moto's internals.

moto finds a service through two things: a ``(name, host regex)`` entry in
``moto.backend_index.backend_url_patterns`` and an importable ``moto.<name>``
module holding ``<name>_backends``. Both are provided here, in place and
idempotently, without changing any file of moto.
"""

from __future__ import annotations

import importlib.util
import re
import sys

import moto.backend_index

from . import ivschat
from .ivschat.urls import url_bases

SERVICE = "ivschat"
MODULE = f"moto.{SERVICE}"


def register() -> None:
    """Make moto's mocks and server serve ivschat (safe to call more than once)."""
    existing = sys.modules.get(MODULE)
    if existing is None:
        if importlib.util.find_spec(MODULE) is not None:
            # A moto that ships its own ivschat wins; ours stands aside.
            return
        sys.modules[MODULE] = ivschat
    elif existing is not ivschat:
        return
    patterns = moto.backend_index.backend_url_patterns
    if any(name == SERVICE for name, _ in patterns):
        return
    # First in the list: moto tries the patterns in order, and ours names one
    # host only, so it costs no other service anything and ivschat calls skip
    # ~200 regex tests. The list is changed in place: moto's stubber, server and
    # proxy all hold this same object.
    patterns.insert(0, (SERVICE, re.compile(url_bases[0])))
