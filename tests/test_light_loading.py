"""Loading costs nothing until moto is used: the plugin and ``import moto_ivschat`` import neither
moto nor boto3, and ivschat is registered the moment moto is imported."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

pytest_plugins = ["pytester"]


def _run(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        # Warnings are errors: "could not register" must not pass for a success.
        [sys.executable, "-W", "error", "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_an_unrelated_suite_runs_with_the_plugin_and_without_moto(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import sys

        def test_unrelated(request):
            assert request.config.pluginmanager.hasplugin("moto_ivschat")
            assert [m for m in ("moto", "boto3", "botocore", "websockets") if m in sys.modules] == []
        """
    )
    pytester.runpytest_subprocess("-p", "no:cacheprovider").assert_outcomes(passed=1)


def test_the_plugin_can_be_turned_off(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        def test_unrelated(request):
            assert not request.config.pluginmanager.hasplugin("moto_ivschat")
        """
    )
    pytester.runpytest_subprocess("-p", "no:cacheprovider", "-p", "no:moto_ivschat").assert_outcomes(passed=1)


def test_importing_the_package_imports_neither_moto_nor_boto3() -> None:
    result = _run(
        """
        import sys
        import moto_ivschat
        print(moto_ivschat.__version__, [m for m in ("moto", "boto3", "botocore") if m in sys.modules])
        """
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split(" ", 1)[1].strip() == "[]"


def test_mock_aws_serves_ivschat_when_moto_is_imported_after_the_package() -> None:
    result = _run(
        """
        import os
        os.environ.update(AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing")
        import moto_ivschat
        import boto3
        from moto import mock_aws

        with mock_aws():
            room = boto3.client("ivschat", region_name="us-east-1").create_room(name="late")
            print(moto_ivschat.ivschat_backends["123456789012"]["us-east-1"].get_room(room["arn"]).name)
        """
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "late"


def test_mock_aws_serves_ivschat_when_moto_was_imported_first() -> None:
    result = _run(
        """
        import os
        os.environ.update(AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing")
        import boto3
        from moto import mock_aws
        import moto_ivschat

        with mock_aws():
            print(boto3.client("ivschat", region_name="us-east-1").create_room(name="early")["name"])
        """
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "early"


def test_importing_moto_leaves_moto_as_it_was() -> None:
    result = _run(
        """
        import moto_ivschat
        import importlib.util
        import moto
        import moto.backend_index
        assert moto.__spec__.loader is importlib.util.find_spec("moto").loader
        assert type(moto.__spec__.loader).__name__ == "SourceFileLoader"
        names = [name for name, _ in moto.backend_index.backend_url_patterns]
        print(names[0], names.count("ivschat"), len(names) > 100)
        """
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["ivschat", "1", "True"]


def test_moto_imported_again_is_registered_again() -> None:
    # What pytester's in-process runs do: drop the modules a run imported, then import them anew.
    result = _run(
        """
        import sys
        import moto_ivschat
        import moto.backend_index
        first = moto.backend_index.backend_url_patterns
        for name in [n for n in sys.modules if n == "moto" or n.startswith(("moto.", "moto_ivschat."))]:
            if name != "moto_ivschat.registration":
                del sys.modules[name]
        import moto.backend_index
        import moto_ivschat.ivschat.models
        again = moto.backend_index.backend_url_patterns
        print(again is not first, [n for n, _ in again].count("ivschat"))
        print(moto_ivschat.ivschat_backends is moto_ivschat.ivschat.models.ivschat_backends)
        """
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "1", "True"]


@pytest.mark.parametrize(
    "module",
    [
        "moto_ivschat.moto_compat",
        "moto_ivschat.dashboard",
        "moto_ivschat.ivschat",
        "moto_ivschat.ivschat.cloudformation",
        "moto_ivschat.inspection",
        "moto_ivschat.messaging",
        "moto_ivschat.mock",
        "moto_ivschat.server",
    ],
)
def test_any_module_imported_first_registers_ivschat_without_a_warning(module: str) -> None:
    # moto's import runs the registration: whichever module imports moto first, nothing of
    # ours that the registration needs may still be half-initialized.
    result = _run(
        f"""
        import {module}
        import moto.backend_index
        print([name for name, _ in moto.backend_index.backend_url_patterns].count("ivschat"))
        """
    )
    assert (result.returncode, result.stdout.strip(), result.stderr) == (0, "1", "")
