"""The emulator beside a moto server in the same process: the control plane over HTTP, no mock."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator

import boto3
import pytest
import requests
from moto.moto_server.threaded_moto_server import ThreadedMotoServer
from websockets.sync.client import connect

from moto_ivschat.messaging import start_chat_server


@pytest.fixture
def moto_endpoint() -> Iterator[str]:
    """A moto server on a free local port (its state reset afterwards)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    try:
        yield endpoint
    finally:
        requests.post(f"{endpoint}/moto-api/reset", timeout=10)
        server.stop()


def test_clients_meet_the_state_the_http_control_plane_changes(moto_endpoint: str) -> None:
    ivschat = boto3.client(
        "ivschat",
        region_name="us-east-1",
        endpoint_url=moto_endpoint,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    chat = start_chat_server()
    try:
        room = ivschat.create_room()
        token = ivschat.create_chat_token(
            roomIdentifier=room["arn"], userId="ops", capabilities=["SEND_MESSAGE"]
        )
        with connect(chat.url, subprotocols=[token["token"]]) as client:
            client.send(json.dumps({"Action": "SEND_MESSAGE", "Content": "over the wire"}))
            assert json.loads(client.recv(timeout=10))["Content"] == "over the wire"
            sent = ivschat.send_event(roomIdentifier=room["arn"], eventName="deploy")
            event = json.loads(client.recv(timeout=10))
            assert (event["Id"], event["EventName"]) == (sent["id"], "deploy")
    finally:
        chat.stop()
