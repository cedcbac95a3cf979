"""ivschat's rooms and logging configurations in moto's dashboard (``/moto-api/data.json``).

moto's dashboard lists, per service, the instances each ``BaseModel`` class keeps:
every instance ever made, until a reset. Ours are no ``BaseModel``s, so that a
long test run does not keep every room of every test. A live view stands in for
each kind instead: it lists the resources that exist when the page is read, as
plain snapshots, and keeps nothing between reads.

Outside the ``ivschat`` package on purpose: installing the views loads nothing of
the service, and reading them loads nothing either (no backend, no resources).
"""

from __future__ import annotations

import sys
from types import SimpleNamespace
from typing import Any

SERVICE = "ivschat"
#: The dashboard's name of each kind, and the backend's index of it.
KINDS = {"Room": "rooms", "LoggingConfiguration": "logging_configurations"}
_MODELS = "moto_ivschat.ivschat.models"


class LiveView:
    """A dashboard entry: the resources of one kind, read anew each time."""

    def __init__(self, index: str) -> None:
        self.index = index

    def snapshots(self) -> list[SimpleNamespace]:
        """Every resource of the kind in every account and region, as its API answer shows it."""
        models = sys.modules.get(_MODELS)
        if models is None:  # ivschat never used: nothing to list
            return []
        found: list[SimpleNamespace] = []
        for account_id, account in list(models.ivschat_backends.items()):
            for region, backend in list(account.items()):
                with backend.lock:
                    found.extend(
                        SimpleNamespace(**resource.to_dict(), account_id=account_id, region=region)
                        for resource in getattr(backend, self.index)
                    )
        return found

    def _keep_nothing(self, value: Any) -> None:
        """moto empties every entry's instance list on reset: a view has none to empty."""


def install() -> None:
    """Put the views in moto's dashboard, in place of any other ivschat entry (idempotent).

    moto's model classes enter themselves when they are defined; ivschat's
    CloudFormation types are such classes, with no instances to list.
    """
    from moto.core.model_instances import model_data

    from .moto_compat import MODEL_INSTANCES_ATTRIBUTE

    # The attribute moto reads and, on reset, assigns: its name depends on moto's release.
    setattr(LiveView, MODEL_INSTANCES_ATTRIBUTE, property(LiveView.snapshots, LiveView._keep_nothing))

    entries = model_data[SERVICE]
    for name in [name for name, entry in entries.items() if not isinstance(entry, LiveView)]:
        del entries[name]
    for name, index in KINDS.items():
        entries.setdefault(name, LiveView(index))
