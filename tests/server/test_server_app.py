"""The server's WSGI application in-process: what reaches moto, and what a crash in moto answers."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pytest
from werkzeug.test import Client

from moto_ivschat.server import ServerApp

S3_SIGNED = "AWS4-HMAC-SHA256 Credential=testing/20240101/us-east-1/s3/aws4_request, Signature=0"


class FakeMoto:
    """Stands in for moto's dispatcher: records what reaches it, or fails."""

    def __init__(self, error: Exception | None = None) -> None:
        self.paths: list[str] = []
        self.error = error

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        self.paths.append(environ["PATH_INFO"])
        if self.error is not None:
            raise self.error
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"moto"]


@pytest.fixture
def app() -> ServerApp:
    return ServerApp()


def test_a_crash_inside_moto_answers_json_not_html(app: ServerApp, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(app, "_moto", FakeMoto(KeyError("key")))
    response = Client(app).post("/bucket", headers={"Authorization": S3_SIGNED}, data=b"{}")
    assert response.status_code == 500
    assert response.headers["x-amzn-ErrorType"] == "InternalFailure"
    assert response.json == {"message": "The server could not complete the request"}


def test_other_services_and_unsigned_non_ivschat_requests_reach_moto(
    app: ServerApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    moto = FakeMoto()
    monkeypatch.setattr(app, "_moto", moto)
    client = Client(app)
    assert client.get("/bucket/key", headers={"Authorization": S3_SIGNED}).status_code == 200
    assert client.get("/bucket/key?X-Amz-Signature=0").status_code == 200
    assert client.get("/bucket/key", headers={"Authorization": "AWS testing:c2lnbmF0dXJl"}).status_code == 200
    assert client.post("/moto-api/reset", headers={"Authorization": "garbage"}).status_code == 200
    assert moto.paths == ["/bucket/key", "/bucket/key", "/bucket/key", "/moto-api/reset"]


@pytest.mark.parametrize(
    ("path", "headers"),
    [
        ("/SendEvent", {}),
        ("/tags/arn%3Aaws%3Aivschat%3Aus-east-1%3A123456789012%3Aroom%2FabcdABCD1234", {}),
        ("/", {"Host": "ivschat.eu-west-1.amazonaws.com"}),
    ],
)
def test_unsigned_ivschat_calls_never_reach_moto(
    app: ServerApp, monkeypatch: pytest.MonkeyPatch, path: str, headers: dict[str, str]
) -> None:
    moto = FakeMoto()
    monkeypatch.setattr(app, "_moto", moto)
    response = Client(app).post(path, headers=headers, data=b"{}")
    assert response.status_code == 403
    assert response.headers["x-amzn-ErrorType"] == "MissingAuthenticationTokenException"
    assert moto.paths == []
