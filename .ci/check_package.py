"""Check the package as a user gets it: build the sdist and wheel, ``twine check`` them, look inside,
and install the wheel into fresh virtualenvs — plain, and with the ``server`` extra (with uv where
it is installed, else pip).

Usage: ``python .ci/check_package.py WORKDIR`` (tox's ``package`` env passes its temporary folder).
Exits non-zero, saying why, at the first thing that is wrong.
"""

from __future__ import annotations

import re
import shutil
import signal
import subprocess
import sys
import tarfile
import textwrap
import venv
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SMOKE_TESTS = """
import json
import sys

import boto3
from websockets.sync.client import connect

from moto_ivschat import mock_ivschat, sent_events


@mock_ivschat
def test_the_decorator():
    client = boto3.client("ivschat", region_name="us-east-1")
    room = client.create_room(name="lobby")
    client.send_event(roomIdentifier=room["arn"], eventName="hello")
    assert [e.event_name for e in sent_events(room["arn"])] == ["hello"]


def test_the_chat_emulator(ivschat_client, ivschat_chat_url):
    room = ivschat_client.create_room()
    token = ivschat_client.create_chat_token(
        roomIdentifier=room["arn"], userId="alice", capabilities=["SEND_MESSAGE"]
    )["token"]
    with connect(ivschat_chat_url, subprotocols=[token]) as chat:
        chat.send(json.dumps({"Action": "SEND_MESSAGE", "Content": "hi", "RequestId": "r1"}))
        assert json.loads(chat.recv(timeout=10))["Content"] == "hi"


def test_a_plain_install_has_no_server_dependencies():
    assert "flask" not in sys.modules
    import importlib.util

    assert importlib.util.find_spec("flask") is None
"""


def run(*command: str | Path, cwd: Path | None = None) -> str:
    """Run a command; fail with its output if it fails."""
    result = subprocess.run([str(c) for c in command], cwd=cwd, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        sys.exit(f"FAILED: {' '.join(map(str, command))}\n{result.stdout}\n{result.stderr}")
    return result.stdout


def check(condition: bool, message: str) -> None:
    if not condition:
        sys.exit(f"FAILED: {message}")
    print(f"ok: {message}")


#: uv where it is installed (tox's package env has it): the same installs, minutes sooner than pip's.
UV = shutil.which("uv")
#: What a virtualenv holds, as ``name==version`` lines, whatever installed it.
LIST_DISTRIBUTIONS = (
    "import importlib.metadata as m; "
    "print('\\n'.join(f\"{d.metadata['Name']}=={d.version}\" for d in m.distributions()))"
)


def new_venv(path: Path, *requirements: str) -> Path:
    python = path / "bin" / "python"
    if UV is not None:
        run(UV, "venv", "--quiet", "--python", sys.executable, path)
        run(UV, "pip", "install", "--quiet", "--python", python, *requirements)
    else:
        venv.create(path, with_pip=True)
        run(python, "-m", "pip", "install", "--quiet", *requirements)
    return python


def main(workdir: Path) -> None:
    dist = workdir / "dist"
    installer = ["--installer", "uv"] if UV is not None else []
    run(sys.executable, "-m", "build", *installer, "--sdist", "--wheel", "--outdir", dist, ROOT)
    [wheel] = dist.glob("*.whl")
    [sdist] = dist.glob("*.tar.gz")
    run(sys.executable, "-m", "twine", "check", "--strict", wheel, sdist)
    print("ok: twine check --strict")

    version = re.search(r'__version__ = "([^"]+)"', (ROOT / "moto_ivschat" / "__init__.py").read_text())
    assert version is not None
    check(
        wheel.name.startswith(f"moto_ivschat-{version.group(1)}-"), f"the wheel is version {version.group(1)}"
    )
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
    check("moto_ivschat/py.typed" in names, "the wheel carries py.typed")
    check(
        any(n.endswith(".dist-info/licenses/LICENSE") or n.endswith(".dist-info/LICENSE") for n in names),
        "the wheel carries the LICENSE",
    )
    check(not any(n.startswith("tests/") for n in names), "the wheel ships no tests")
    with tarfile.open(sdist) as archive:
        members = [m.split("/", 1)[1] for m in archive.getnames() if "/" in m]
    for needed in (
        "LICENSE",
        "README.md",
        "CHANGELOG.md",
        "setup.cfg",
        "pyproject.toml",
        "moto_ivschat/py.typed",
    ):
        check(needed in members, f"the sdist carries {needed}")
    check(
        not any(m.startswith("tests/") for m in members), "the sdist ships no tests (they need the checkout)"
    )

    plain = new_venv(workdir / "plain", str(wheel), "pytest")
    installed = run(plain, "-c", LIST_DISTRIBUTIONS).lower()
    check("\nmoto==" in f"\n{installed}", "a plain install has moto")
    for heavy in ("flask", "docker", "cfn-lint", "cheroot"):
        check(f"{heavy}==" not in installed, f"a plain install has no {heavy}")
    tests = workdir / "smoke"
    tests.mkdir()
    (tests / "test_smoke.py").write_text(textwrap.dedent(SMOKE_TESTS))
    output = run(plain, "-m", "pytest", "-q", "-p", "no:cacheprovider", tests, cwd=tests)
    check("3 passed" in output, "a plain install runs @mock_ivschat, the fixtures and the chat emulator")
    server = plain.parent / "moto-ivschat-server"
    result = subprocess.run([server], capture_output=True, text=True, check=False, timeout=60)
    check(result.returncode == 1, "moto-ivschat-server without the server extra exits 1")
    check("pip install 'moto-ivschat[server]'" in result.stderr, "and says what to install")
    check("Traceback" not in result.stderr, "without a traceback")
    check(run(server, "--version").strip() == f"moto-ivschat-server {version.group(1)}", "--version")

    served = new_venv(workdir / "server", f"moto-ivschat[server] @ {wheel.as_uri()}")
    process = subprocess.Popen(
        [served.parent / "moto-ivschat-server", "--port", "0"], stdout=subprocess.PIPE, text=True
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    match = re.search(r"http://\S+", line)
    check(match is not None, f"the server extra serves: {line.strip()}")
    assert match is not None
    call = (
        "import boto3; c = boto3.client('ivschat', endpoint_url='%s', region_name='us-east-1', "
        "aws_access_key_id='x', aws_secret_access_key='x'); print(c.create_room(name='served')['name'])"
    )
    check(run(served, "-c", call % match.group(0)).strip() == "served", "a boto3 call to it works")
    process.send_signal(signal.SIGTERM)
    check(process.wait(timeout=30) == 0, "it stops on SIGTERM with status 0")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
