"""The backend's part in moto's Resource Groups Tagging API (moto 5.2.2 and later).

moto's tagging API asks every backend that mixes in ``TaggableResourcesMixin`` for
its resources (GetResources, GetTagKeys, GetTagValues) and hands TagResources and
UntagResources to the backend that owns an ARN, calling the backend's own
``tag_resource``/``untag_resource``. Before 5.2.2 that API knows a fixed list of
services, and the mixin is a plain ``object`` (``moto_compat``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, ClassVar

from ..moto_compat import TaggableResourcesMixin
from .identifiers import parse_arn

if TYPE_CHECKING:
    from moto.core.resource_tagging import TaggedResource

#: ``ResourceTypeFilters`` values, by the resource type in an ARN.
RESOURCE_TYPES = {"room": "ivschat:room", "logging-configuration": "ivschat:logging-configuration"}


class ResourceTagging(TaggableResourcesMixin):
    """Rooms and logging configurations, with their tags, for the tagging API."""

    SERVICE_NAMESPACE: ClassVar[str] = "ivschat"
    # The backend's own: its lock and resource indexes.
    lock: Any
    rooms: Any
    logging_configurations: Any
    region_name: str
    account_id: str

    def iter_tagged_resources(self) -> Iterator[TaggedResource]:
        """Every room and logging configuration, as they are now.

        A snapshot taken under the lock: the tagging API keeps the iterator
        between pages, while other requests change the backend.
        """
        from moto.core.resource_tagging import TaggedResource

        with self.lock:
            resources = [
                TaggedResource(resource.arn, dict(resource.tags), RESOURCE_TYPES[kind])
                for kind, index in (
                    ("room", self.rooms),
                    ("logging-configuration", self.logging_configurations),
                )
                for resource in index
            ]
        return iter(resources)

    def owns_arn(self, arn: str) -> bool:
        """Whether ``arn`` names a room or logging configuration that exists here.

        Not merely any ivschat ARN: moto gives an ARN to the first backend that
        owns it, and this backend's not-found error would end the whole call.
        An ARN no backend owns is reported in ``FailedResourcesMap`` instead.
        """
        parsed = parse_arn(arn)
        if (
            parsed is None
            or parsed.resource_type not in RESOURCE_TYPES
            or (parsed.region, parsed.account_id) != (self.region_name, self.account_id)
        ):
            return False
        index = self.rooms if parsed.resource_type == "room" else self.logging_configurations
        with self.lock:
            return index.get(parsed.resource_id) is not None
