"""The pytest plugin: fixtures, fresh state per test, fake credentials, unmocked neighbours, xdist."""

from __future__ import annotations

import os
import socket
from typing import Any

import boto3
import pytest
from moto.core.models import MockAWS

from moto_ivschat import ivschat_backends
from moto_ivschat.ivschat.models import IvschatBackend

pytest_plugins = ["pytester"]


class Escaped(BaseException):
    """Raised when something looks up a host or opens a connection: a call left the process."""


def _escape(*args: object) -> Any:
    raise Escaped(args)


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(socket, "getaddrinfo", _escape)
    monkeypatch.setattr(socket.socket, "connect", _escape)


def test_the_fixtures_give_a_mock_a_client_and_the_backend_behind_it(
    ivschat_mock: MockAWS, ivschat_client: Any, ivschat_backend: IvschatBackend
) -> None:
    room = ivschat_client.create_room(name="lobby")
    assert isinstance(ivschat_mock, MockAWS)
    assert ivschat_client.meta.region_name == "us-east-1"
    assert (ivschat_backend.account_id, ivschat_backend.region_name) == ("123456789012", "us-east-1")
    assert ivschat_backend is ivschat_backends["123456789012"]["us-east-1"]
    assert ivschat_backend.get_room(room["arn"]).name == "lobby"


@pytest.fixture
def backend_of_another_account(monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> Any:
    monkeypatch.setenv("MOTO_ACCOUNT_ID", "111122223333")
    return request.getfixturevalue("ivschat_backend")


def test_the_backend_follows_moto_account_id(backend_of_another_account: Any, ivschat_client: Any) -> None:
    room = ivschat_client.create_room()
    assert backend_of_another_account.account_id == "111122223333"
    assert backend_of_another_account.get_room(room["arn"]).id == room["id"]


def test_no_call_leaves_the_process(ivschat_client: Any, no_network: None) -> None:
    room = ivschat_client.create_room()
    own_client = boto3.client("ivschat")
    assert own_client.get_room(identifier=room["arn"])["id"] == room["id"]
    boto3.client("s3").create_bucket(Bucket="no-network")


def test_the_guard_catches_a_call_that_leaves(no_network: None) -> None:
    client = boto3.client(
        "ivschat", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="y"
    )
    with pytest.raises(Escaped):
        client.list_rooms()


def test_each_test_starts_with_every_service_empty(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import boto3

        def test_fill(ivschat_client):
            room = ivschat_client.create_room()
            ivschat_client.create_chat_token(roomIdentifier=room["arn"], userId="u")
            ivschat_client.create_logging_configuration(
                destinationConfiguration={"s3": {"bucketName": "logs"}})
            boto3.client("s3").create_bucket(Bucket="leftover")

        def test_empty(ivschat_client, ivschat_backend):
            assert ivschat_client.list_rooms()["rooms"] == []
            assert ivschat_client.list_logging_configurations()["loggingConfigurations"] == []
            assert ivschat_backend.chat_tokens == {}
            assert boto3.client("s3").list_buckets()["Buckets"] == []
        """
    )
    pytester.runpytest_inprocess("-p", "no:cacheprovider").assert_outcomes(passed=2)


def test_tests_without_the_fixtures_run_as_if_the_plugin_were_absent(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import socket

        import boto3
        import pytest
        from moto import mock_aws

        class Escaped(BaseException):
            pass

        def escape(*args):
            raise Escaped(args)

        def rooms():
            return boto3.client("ivschat", region_name="us-east-1").list_rooms()["rooms"]

        def test_fixture_user_leaves_a_room(ivschat_client):
            ivschat_client.create_room()

        def test_unmocked_calls_go_out(monkeypatch):
            monkeypatch.setattr(socket, "getaddrinfo", escape)
            monkeypatch.setattr(socket.socket, "connect", escape)
            with pytest.raises(Escaped):
                rooms()

        @mock_aws
        def test_mock_aws_starts_empty_and_leaves_a_room():
            assert rooms() == []
            boto3.client("ivschat", region_name="us-east-1").create_room()

        @mock_aws
        def test_mock_aws_cleans_up_after_itself():
            assert rooms() == []

        def test_fixture_user_after_them(ivschat_client):
            assert ivschat_client.list_rooms()["rooms"] == []
        """
    )
    pytester.runpytest_inprocess("-p", "no:cacheprovider").assert_outcomes(passed=5)


def test_the_users_fixture_teardown_still_runs_under_the_mock(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest

        DELETED = []

        @pytest.fixture
        def room(ivschat_client):
            room = ivschat_client.create_room()
            yield room
            response = ivschat_client.delete_room(identifier=room["arn"])
            DELETED.append(response["ResponseMetadata"]["HTTPStatusCode"])

        def test_uses_a_room(room):
            assert room["arn"]

        def test_next_one_does_not_use_the_fixtures():
            assert DELETED == [204]
        """
    )
    pytester.runpytest_inprocess("-p", "no:cacheprovider").assert_outcomes(passed=2)


def test_each_test_gets_its_own_client_and_default_session(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import boto3

        def refuse(**kwargs):
            raise RuntimeError("handler of the previous test")

        def test_changes_its_client_and_makes_a_default_session(ivschat_client):
            ivschat_client.meta.events.register("before-call.ivschat.ListRooms", refuse)
            boto3.client("ivschat")
            assert boto3.DEFAULT_SESSION is not None

        def test_sees_neither(ivschat_client):
            assert boto3.DEFAULT_SESSION is None
            assert ivschat_client.list_rooms()["rooms"] == []
        """
    )
    pytester.runpytest_inprocess("-p", "no:cacheprovider").assert_outcomes(passed=2)


def _environment() -> dict[str, str]:
    # The inner pytest run clears PYTEST_CURRENT_TEST, which the outer one set.
    return {k: v for k, v in os.environ.items() if k != "PYTEST_CURRENT_TEST"}


def test_fake_credentials_replace_the_users_and_the_environment_comes_back(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    credentials = pytester.path / "credentials"
    credentials.write_text("[real]\naws_access_key_id = REALKEY\naws_secret_access_key = REALSECRET\n")
    config = pytester.path / "config"
    config.write_text("[profile real]\nregion = eu-west-1\nendpoint_url = http://127.0.0.1:9\n")
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_PROFILE", "real")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(credentials))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    monkeypatch.setenv("AWS_ENDPOINT_URL_IVSCHAT", "http://127.0.0.1:9")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    users_session = boto3.session.Session()
    monkeypatch.setattr(boto3, "DEFAULT_SESSION", users_session)
    assert users_session.get_credentials().access_key == "REALKEY"
    environment = _environment()
    pytester.makepyfile(
        """
        import boto3

        def test_sees_only_fake_credentials(ivschat_client):
            assert boto3.DEFAULT_SESSION is None
            client = boto3.client("ivschat")
            credentials = boto3.session.Session().get_credentials().get_frozen_credentials()
            assert (credentials.access_key, credentials.secret_key, credentials.token) == ("testing",) * 3
            assert client.meta.region_name == "us-east-1"
            assert client.meta.endpoint_url == "https://ivschat.us-east-1.amazonaws.com"
            assert ivschat_client.meta.endpoint_url == "https://ivschat.us-east-1.amazonaws.com"
            room = ivschat_client.create_room()
            assert client.get_room(identifier=room["arn"])["id"] == room["id"]
        """
    )
    pytester.runpytest_inprocess("-p", "no:cacheprovider").assert_outcomes(passed=1)
    assert _environment() == environment
    assert boto3.DEFAULT_SESSION is users_session


def test_installed_plugin_needs_no_conftest_and_runs_under_xdist(pytester: pytest.Pytester) -> None:
    test_module = """
        import pytest

        @pytest.mark.parametrize("n", range(4))
        def test_sees_only_its_own_room(n, ivschat_client, ivschat_backend, worker_id):
            name = f"{__name__}-{n}"
            ivschat_client.create_room(name=name)
            assert [r["name"] for r in ivschat_client.list_rooms()["rooms"]] == [name]
            assert [r.name for r in ivschat_backend.rooms] == [name]
            assert worker_id in ("gw0", "gw1")
        """
    pytester.makepyfile(test_first=test_module, test_second=test_module)
    result = pytester.runpytest_subprocess("-n", "2", "-v", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=8)
    workers = {line.split()[0] for line in result.outlines if line.startswith("[gw") and "PASSED" in line}
    assert workers == {"[gw0]", "[gw1]"}


def test_the_region_and_account_come_from_a_marker_an_ini_option_or_an_override(
    pytester: pytest.Pytester,
) -> None:
    pytester.makeini(
        """
        [pytest]
        ivschat_region = eu-west-1
        ivschat_account_id = 111122223333
        """
    )
    pytester.makepyfile(
        test_settings="""
        import boto3
        import pytest

        def test_from_the_ini_file(ivschat_client, ivschat_backend):
            room = ivschat_client.create_room()
            assert room["arn"].startswith("arn:aws:ivschat:eu-west-1:111122223333:room/")
            assert (ivschat_backend.region_name, ivschat_backend.account_id) == ("eu-west-1", "111122223333")
            # A client the code under test builds itself lands in the same place.
            assert boto3.client("ivschat").list_rooms()["rooms"][0]["arn"] == room["arn"]

        @pytest.mark.ivschat(region="ap-south-1", account_id="444455556666")
        def test_from_a_marker(ivschat_client, ivschat_backend, ivschat_region, ivschat_account_id):
            room = ivschat_client.create_room()
            assert room["arn"].startswith("arn:aws:ivschat:ap-south-1:444455556666:room/")
            assert ivschat_backend.get_room(room["arn"]).id == room["id"]
            assert (ivschat_region, ivschat_account_id) == ("ap-south-1", "444455556666")

        @pytest.mark.ivschat(region="us-west-2")
        class TestAMarkedClass:
            def test_takes_the_region_of_the_class(self, ivschat_client):
                assert ivschat_client.meta.region_name == "us-west-2"
        """,
        test_override="""
        import pytest

        @pytest.fixture
        def ivschat_region():
            return "ap-northeast-2"

        def test_an_overriding_fixture(ivschat_client):
            assert ivschat_client.create_room()["arn"].split(":")[3] == "ap-northeast-2"
        """,
    )
    pytester.runpytest_inprocess("-p", "no:cacheprovider").assert_outcomes(passed=4)


def test_the_server_fixture_serves_the_test_s_state_over_http(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import boto3
        import requests

        from moto_ivschat import sent_events

        def client(url):
            return boto3.session.Session().client(
                "ivschat", endpoint_url=url, region_name="us-east-1",
                aws_access_key_id="testing", aws_secret_access_key="testing",
            )

        def test_first(ivschat_server_url, ivschat_client, ivschat_backend):
            assert ivschat_server_url.startswith("http://127.0.0.1:")
            room = client(ivschat_server_url).create_room(name="over-http")
            client(ivschat_server_url).send_event(roomIdentifier=room["arn"], eventName="hello")
            assert ivschat_client.get_room(identifier=room["arn"])["name"] == "over-http"
            assert ivschat_backend.get_room(room["arn"]).name == "over-http"
            assert [e.event_name for e in sent_events(room["arn"])] == ["hello"]
            s3 = boto3.session.Session().client(
                "s3", endpoint_url=ivschat_server_url, region_name="us-east-1",
                aws_access_key_id="testing", aws_secret_access_key="testing",
            )
            s3.create_bucket(Bucket="over-http")
            test_first.url = ivschat_server_url

        def test_second_starts_empty_on_the_same_server(ivschat_server_url):
            assert ivschat_server_url == test_first.url
            assert client(ivschat_server_url).list_rooms()["rooms"] == []
            assert requests.post(f"{ivschat_server_url}/moto-api/reset", timeout=10).status_code == 200
        """
    )
    pytester.runpytest_inprocess("-p", "no:cacheprovider").assert_outcomes(passed=2)


def test_the_backend_class_is_public() -> None:
    from moto_ivschat import IvschatBackend as Public

    assert Public is IvschatBackend


def test_a_client_is_handed_on_only_if_no_test_changed_it(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        from botocore.stub import Stubber

        SEEN = []

        def test_uses_its_client(ivschat_client):
            ivschat_client.list_rooms()
            SEEN.append(ivschat_client)

        def test_gets_the_same_untouched_client_and_changes_it(ivschat_client):
            assert ivschat_client is SEEN[-1]
            ivschat_client.flag = "set by this test"
            SEEN.append(ivschat_client)

        def test_gets_another_and_stubs_it(ivschat_client):
            assert ivschat_client is not SEEN[-1]
            assert not hasattr(ivschat_client, "flag")
            with Stubber(ivschat_client) as stubber:
                stubber.add_response("list_rooms", {"rooms": []})
                ivschat_client.list_rooms()
            SEEN.append(ivschat_client)

        def test_never_sees_the_stubbed_client(ivschat_client):
            assert ivschat_client is not SEEN[-1]
            assert ivschat_client.list_rooms()["rooms"] == []
        """
    )
    pytester.runpytest_inprocess("-p", "no:cacheprovider").assert_outcomes(passed=4)
