"""Registration of the ivschat service with moto: the one module that touches moto's internals.

moto finds a service through two things: a ``(name, host regex)`` entry in
``moto.backend_index.backend_url_patterns`` and an importable ``moto.<name>``
module holding ``<name>_backends``. Both are provided here, in place and
idempotently, without changing any file of moto.

Registration happens as soon as moto is loaded: right away if it already is,
otherwise the moment anything imports it (``import_hooks``), so that ``import
moto_ivschat`` and the pytest plugin cost nothing until moto is used: this module
itself is loaded only then.

While any moto mock is active, an ivschat request whose endpoint came from the
user's configuration (``AWS_ENDPOINT_URL_IVSCHAT``, ``AWS_ENDPOINT_URL`` or a
config file's ``endpoint_url``) is served in-process like any other: moto only
intercepts requests to AWS hosts, and a LocalStack-style shell setting would
otherwise send a mocked test's calls to a real server.

ivschat also joins the rest of moto: its dashboard (``/moto-api/data.json``)
lists rooms and logging configurations, and its CloudFormation knows
``AWS::IVSChat::*`` from the moment its template parser is loaded (moto builds
its map of types once, so the map is rebuilt). The Resource Groups Tagging API
finds the backend itself from moto 5.2.2; before, a mocked call of that API
warns that it does not see ivschat.
"""

from __future__ import annotations

import importlib
import importlib.machinery
import importlib.util
import os
import re
import sys
import warnings
from collections.abc import Sequence
from types import ModuleType
from typing import TYPE_CHECKING, Any, cast

from .import_hooks import after_import

if TYPE_CHECKING:
    import importlib.abc

SERVICE = "ivschat"
MODULE = f"moto.{SERVICE}"
PACKAGE = "moto_ivschat.ivschat"
#: The hosts of the service's endpoints (``urls.url_bases``).
HOST_PATTERN = r"https?://ivschat\.(.+)\.amazonaws\.com"
#: moto's CloudFormation template parser, which holds its map of resource types.
CLOUDFORMATION_PARSER = "moto.cloudformation.parsing"
_CREDENTIAL_REGION = r"Credential=[^/\s,]+/\d{8}/(?P<region>[^/\s,]+)/"


def register() -> None:
    """Make moto's mocks and server serve ivschat (safe to call more than once).

    Imports nothing of ours: moto imports the service package (``moto.ivschat``,
    an alias of ``moto_ivschat.ivschat``) when it first routes an ivschat request.
    """
    import moto.backend_index
    from botocore.handlers import BUILTIN_HANDLERS

    patterns = moto.backend_index.backend_url_patterns
    if any(name == SERVICE for name, _ in patterns):
        return
    if not any(isinstance(finder, _ServicePackage) for finder in sys.meta_path):
        if MODULE in sys.modules or importlib.util.find_spec(MODULE) is not None:
            # A moto that ships its own ivschat wins; ours stands aside.
            return
        sys.meta_path.insert(0, _ServicePackage())
    # First in the list: moto tries the patterns in order, and ours names one
    # host only, so it costs no other service anything and ivschat calls skip
    # ~200 regex tests. The list is changed in place: moto's stubber, server and
    # proxy all hold this same object.
    patterns.insert(0, (SERVICE, re.compile(HOST_PATTERN)))
    # Handlers of ``before-send.ivschat`` run before moto's ``before-send`` stubber.
    handler = (f"before-send.{SERVICE}", _serve_configured_endpoints_in_process)
    if handler not in BUILTIN_HANDLERS:
        BUILTIN_HANDLERS.append(handler)
    _join_moto_services()


class MotoFeatureWarning(UserWarning):
    """The installed moto lacks what an ivschat feature needs (the message names the release)."""


def _join_moto_services() -> None:
    """The dashboard's views now; ivschat's CloudFormation types when moto's parser loads."""
    from . import dashboard
    from .moto_compat import RESOURCE_TAGGING_HOOK

    dashboard.install()
    after_import(CLOUDFORMATION_PARSER, _install_cloudformation_types)
    if not RESOURCE_TAGGING_HOOK:
        from botocore.handlers import BUILTIN_HANDLERS

        handler = ("before-send.resource-groups-tagging-api", _warn_tagging_api_is_blind)
        if handler not in BUILTIN_HANDLERS:
            BUILTIN_HANDLERS.append(handler)


def _install_cloudformation_types() -> None:
    """Define ivschat's CloudFormation types; moto's cached map of types is built again."""
    from . import dashboard

    importlib.import_module(f"{PACKAGE}.cloudformation")
    parsing = sys.modules[CLOUDFORMATION_PARSER]
    for cached in (parsing.get_model_list, parsing.get_model_map, parsing.get_name_type_map):
        cached.cache_clear()
    dashboard.install()  # the types entered moto's dashboard as they were defined


def _warn_tagging_api_is_blind(**kwargs: Any) -> None:
    """``before-send.resource-groups-tagging-api``, before moto 5.2.2: say what the answer will lack.

    Only under a mock, and only while ivschat holds a resource: a suite that
    does not use ivschat hears nothing.
    """
    import moto
    from moto.core.models import botocore_stubber

    models = sys.modules.get(f"{PACKAGE}.models")
    accounts = (
        list(models.ivschat_backends.values()) if models is not None and botocore_stubber.enabled else []
    )
    if any(
        len(b.rooms) or len(b.logging_configurations) for account in accounts for b in list(account.values())
    ):
        warnings.warn(
            f"moto {moto.__version__}'s Resource Groups Tagging API does not see ivschat rooms or "
            "logging configurations: moto 5.2.2 added the hook it needs",
            MotoFeatureWarning,
            stacklevel=2,
        )


class _ServicePackage:
    """Makes ``import moto.ivschat`` give ``moto_ivschat.ivschat`` (the same module object)."""

    _own_spec: importlib.machinery.ModuleSpec | None = None

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname != MODULE:
            return None
        return importlib.util.spec_from_loader(fullname, cast("importlib.abc.Loader", self))

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType:
        module = importlib.import_module(PACKAGE)
        self._own_spec = module.__spec__
        return module

    def exec_module(self, module: ModuleType) -> None:
        # The import system gave the module the alias's spec: it keeps its own.
        module.__spec__ = self._own_spec


def mocks_active() -> int:
    """How many moto mocks (``mock_aws`` and the like) are active now."""
    from moto.core.models import MockAWS

    return int(MockAWS._nested_count)


def _serve_configured_endpoints_in_process(request: Any, **kwargs: Any) -> None:
    """``before-send.ivschat``: under a mock, point a configured-endpoint request at AWS's host.

    moto's stubber, which runs next, then serves it. A client built with an
    explicit ``endpoint_url`` of its own (one that is not configured) is left
    alone; so is every request while no mock is active.
    """
    from urllib.parse import urlsplit, urlunsplit

    from moto.core.models import botocore_stubber

    if not botocore_stubber.enabled:
        return
    url = urlsplit(request.url)
    if url.hostname is None or url.hostname.endswith(".amazonaws.com"):
        return
    for endpoint in _configured_endpoints():
        configured = urlsplit(endpoint)
        prefix = configured.path.rstrip("/")
        if (url.scheme, url.netloc.lower()) == (configured.scheme, configured.netloc.lower()) and (
            url.path.startswith(prefix)
        ):
            scope = re.search(_CREDENTIAL_REGION, str(request.headers.get("Authorization", "")))
            region = scope.group("region") if scope else os.environ.get("AWS_DEFAULT_REGION", "us-east-1")
            path = url.path[len(prefix) :] or "/"
            request.url = urlunsplit(("https", f"{SERVICE}.{region}.amazonaws.com", path, url.query, ""))
            return


def _configured_endpoints() -> list[str]:
    """Every ivschat endpoint the environment or a config file sets (any profile)."""
    import botocore.session

    endpoints = [os.environ.get("AWS_ENDPOINT_URL_IVSCHAT", ""), os.environ.get("AWS_ENDPOINT_URL", "")]
    try:
        config = botocore.session.Session().full_config
    except Exception:  # an unreadable config file configures nothing
        config = {}
    for profile in config.get("profiles", {}).values():
        endpoints.append(profile.get("endpoint_url", ""))
    for services in config.get("services", {}).values():
        endpoints.append(services.get(SERVICE, {}).get("endpoint_url", ""))
    return [endpoint for endpoint in endpoints if endpoint]
