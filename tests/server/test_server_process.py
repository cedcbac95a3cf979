"""The server as a command: console script, ``python -m``, options, start and stop."""

from __future__ import annotations

import json
import selectors
import socket
import subprocess
import sys

import pytest
from server_process import BIN, STARTUP_TIMEOUT, ServerProcess, start_server, stop_server
from websockets.sync.client import connect

from moto_ivschat.moto_compat import MOTO_VERSION


def test_console_script_serves_on_loopback_and_stops_on_sigterm() -> None:
    server = start_server([str(BIN / "moto-ivschat-server")])
    try:
        assert server.host == "127.0.0.1"
        room = server.client().create_room(name="from-console-script")
        assert server.client().get_room(identifier=room["arn"])["name"] == "from-console-script"
    finally:
        assert stop_server(server.process) == 0


def test_help_names_the_options_and_their_defaults() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "moto_ivschat", "--help"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0
    assert "--host" in result.stdout
    assert "default: 127.0.0.1" in result.stdout
    assert "--port" in result.stdout
    assert "default: 5000" in result.stdout


def test_a_bad_option_is_a_usage_error() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "moto_ivschat", "--port", "fifty"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 2
    assert "usage: moto-ivschat-server" in result.stderr


def test_a_port_in_use_is_reported_without_a_traceback() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "moto_ivschat", "--port", str(port)],
            capture_output=True,
            text=True,
            check=False,
            timeout=60,
        )
    assert result.returncode == 1
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr
    assert "Traceback" not in result.stderr


def _chat_url(server: ServerProcess) -> str:
    """The chat messaging URL the server prints once it serves."""
    assert server.process.stdout is not None
    with selectors.DefaultSelector() as selector:
        selector.register(server.process.stdout, selectors.EVENT_READ)
        assert selector.select(STARTUP_TIMEOUT), "no chat messaging line"
    chat_url = server.process.stdout.readline().rsplit(" ", 1)[-1].strip()
    assert chat_url.startswith("ws://127.0.0.1:")
    return chat_url


@pytest.mark.parametrize(
    ("options", "extensions"), [([], []), (["--messaging-compression", "deflate"], ["permessage-deflate"])]
)
def test_messaging_port_serves_chat_beside_the_control_plane(
    options: list[str], extensions: list[str]
) -> None:
    server = start_server([str(BIN / "moto-ivschat-server"), "--messaging-port", "0", *options])
    try:
        chat_url = _chat_url(server)
        ivschat = server.client()
        room = ivschat.create_room()
        token = ivschat.create_chat_token(
            roomIdentifier=room["arn"], userId="ann", capabilities=["SEND_MESSAGE"]
        )
        with connect(chat_url, subprotocols=[token["token"]]) as chat:
            # The client offers permessage-deflate; the server takes it only when told to.
            negotiated = chat.response.headers.get_all("Sec-WebSocket-Extensions")
            assert [e.split(";")[0] for e in negotiated] == extensions
            chat.send(
                json.dumps({"Action": "SEND_MESSAGE", "Content": "over http and ws", "RequestId": "r1"})
            )
            message = json.loads(chat.recv(timeout=30))
            assert (message["Type"], message["Content"], message["RequestId"]) == (
                "MESSAGE",
                "over http and ws",
                "r1",
            )
            assert message["Sender"]["UserId"] == "ann"
            ivschat.send_event(roomIdentifier=room["arn"], eventName="app:wave")
            event = json.loads(chat.recv(timeout=30))
            assert (event["Type"], event["EventName"]) == ("EVENT", "app:wave")
    finally:
        assert stop_server(server.process) == 0


@pytest.mark.skipif(
    MOTO_VERSION < (5, 0, 4), reason="moto before 5.0.4 cannot run or answer a Lambda without Docker"
)
def test_a_review_function_in_the_server_s_lambda_reviews_chat() -> None:
    server = start_server([str(BIN / "moto-ivschat-server"), "--messaging-port", "0"])
    try:
        chat_url = _chat_url(server)
        # What a shared stack without Docker does: moto's simple Lambda, its answers queued.
        for path, body in [
            ("/moto-api/config", {"lambda": {"use_docker": False}}),
            ("/moto-api/static/lambda-simple/response", {"results": ['{"ReviewResult": "DENY"}']}),
        ]:
            reply = server.request(
                "POST", path, json.dumps(body).encode(), {"Content-Type": "application/json"}
            )
            assert reply.status in (200, 201), reply.body
        role = server.client("iam").create_role(RoleName="review", AssumeRolePolicyDocument="{}")
        function = server.client("lambda").create_function(
            FunctionName="review",
            Runtime="python3.12",
            Role=role["Role"]["Arn"],
            Handler="index.handler",
            Code={"ZipFile": b"not run"},
        )
        ivschat = server.client()
        room = ivschat.create_room(
            messageReviewHandler={"uri": function["FunctionArn"], "fallbackResult": "ALLOW"}
        )
        token = ivschat.create_chat_token(
            roomIdentifier=room["arn"], userId="ann", capabilities=["SEND_MESSAGE"]
        )
        with connect(chat_url, subprotocols=[token["token"]]) as chat:
            chat.send(json.dumps({"Action": "SEND_MESSAGE", "Content": "hi", "RequestId": "r1"}))
            frame = json.loads(chat.recv(timeout=30))
        assert (frame["Type"], frame["ErrorCode"], frame["RequestId"]) == ("ERROR", 406, "r1")
    finally:
        assert stop_server(server.process) == 0


def test_version_comes_from_the_package() -> None:
    import moto_ivschat

    result = subprocess.run(
        [str(BIN / "moto-ivschat-server"), "--version"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0
    assert result.stdout.strip() == f"moto-ivschat-server {moto_ivschat.__version__}"


def test_without_the_server_extra_it_says_what_to_install() -> None:
    # As in an environment where the server extra was not installed: waitress cannot be imported.
    code = "import sys; sys.modules['waitress'] = None; from moto_ivschat.command import main; main([])"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=60
    )
    assert result.returncode == 1
    assert result.stderr == (
        "moto-ivschat-server needs the server extra (waitress is not installed): "
        "pip install 'moto-ivschat[server]'\n"
    )
