"""Run code right after a module is imported: how moto-ivschat waits for moto without loading it.

``after_import("moto", then)`` runs ``then`` at once if moto is loaded, and each
time it is imported (again: pytester's in-process runs drop and re-import
modules). A one-line check on every other import; nothing else until then.

(PYTEST_DONT_REWRITE: loaded with the pytest plugin, this module holds no assertion
for pytest to rewrite, and rewriting it would cost every pytest run.)
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import sys
import warnings
from collections.abc import Callable, Sequence
from types import ModuleType
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    import importlib.abc


def after_import(name: str, then: Callable[[], None]) -> None:
    """Run ``then`` now if module ``name`` is loaded, and each time it is imported (again)."""
    if not any(isinstance(finder, _AfterImport) and finder.name == name for finder in sys.meta_path):
        sys.meta_path.insert(0, _AfterImport(name, then))
    if name in sys.modules:
        _then(name, then)


def _then(name: str, then: Callable[[], None]) -> None:
    """Run ``then`` for module ``name``: a failure of ours never breaks an import."""
    try:
        then()
    except Exception as error:  # pragma: no cover - an incompatible moto
        warnings.warn(f"moto-ivschat could not join {name}: {error!r}", stacklevel=3)


class _AfterImport:
    """An import hook: runs ``then`` each time the module ``name`` has been imported."""

    def __init__(self, name: str, then: Callable[[], None]) -> None:
        self.name = name
        self._then = then
        self._finding = False

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname != self.name or self._finding:
            return None
        self._finding = True  # the other finders find the module's own spec
        try:
            spec = importlib.util.find_spec(fullname)
        finally:
            self._finding = False
        if spec is None or spec.loader is None:
            return spec
        spec.loader = cast("importlib.abc.Loader", _ThenLoader(spec.loader, self._then))
        return spec


class _ThenLoader:
    """The module's own loader, followed by ``then`` (a failure of ours never breaks the import)."""

    def __init__(self, loader: importlib.abc.Loader, then: Callable[[], None]) -> None:
        self._loader = loader
        self._then = then

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType | None:
        return self._loader.create_module(spec)

    def exec_module(self, module: ModuleType) -> None:
        # The module keeps its own loader, as if we had never been there.
        module.__loader__ = self._loader
        if module.__spec__ is not None:
            module.__spec__.loader = self._loader
        self._loader.exec_module(module)
        _then(module.__name__, self._then)
