"""The fixtures inside a suite that runs moto mocks of its own: the suite's state stays its own."""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]


def test_a_session_wide_mock_keeps_its_state_and_ivschat_starts_empty(pytester: pytest.Pytester) -> None:
    pytester.makeconftest(
        """
        import boto3
        import pytest
        from moto import mock_aws

        @pytest.fixture(scope="session", autouse=True)
        def aws():
            with mock_aws():
                boto3.client("s3", region_name="us-east-1").create_bucket(Bucket="suite-bucket")
                boto3.client("iam", region_name="us-east-1").create_role(
                    RoleName="suite-role", AssumeRolePolicyDocument="{}"
                )
                yield
        """
    )
    pytester.makepyfile(
        """
        import boto3

        def buckets():
            listed = boto3.client("s3", region_name="us-east-1").list_buckets()["Buckets"]
            return sorted(b["Name"] for b in listed)

        def test_first(ivschat_client):
            assert buckets() == ["suite-bucket"]
            ivschat_client.create_room(name="first")
            boto3.client("s3", region_name="us-east-1").create_bucket(Bucket="made-by-first")

        def test_second(ivschat_client):
            assert ivschat_client.list_rooms()["rooms"] == []
            assert buckets() == ["made-by-first", "suite-bucket"]

        def test_without_the_fixtures():
            assert buckets() == ["made-by-first", "suite-bucket"]
            assert boto3.client("ivschat", region_name="us-east-1").list_rooms()["rooms"] == []
            boto3.client("ivschat", region_name="us-east-1").create_room(name="unfixtured")

        def test_third(ivschat_client):
            assert ivschat_client.list_rooms()["rooms"] == []
            role = boto3.client("iam", region_name="us-east-1").get_role(RoleName="suite-role")
            assert role["Role"]["RoleName"] == "suite-role"
        """
    )
    pytester.runpytest_inprocess("-p", "no:cacheprovider").assert_outcomes(passed=4)


def test_a_per_test_mock_of_the_suite_starts_fresh_whatever_the_order(pytester: pytest.Pytester) -> None:
    pytester.makeconftest(
        """
        import boto3
        import pytest
        from moto import mock_aws

        @pytest.fixture
        def bucket():
            with mock_aws():
                s3 = boto3.client("s3", region_name="us-east-1")
                s3.create_bucket(Bucket="per-test")
                yield s3
        """
    )
    pytester.makepyfile(
        """
        def names(s3):
            return [b["Name"] for b in s3.list_buckets()["Buckets"]]

        def test_fixture_first(ivschat_client, bucket):
            assert names(bucket) == ["per-test"]
            bucket.create_bucket(Bucket="leftover-1")
            ivschat_client.create_room()

        def test_bucket_first(bucket, ivschat_client):
            assert names(bucket) == ["per-test"]
            assert ivschat_client.list_rooms()["rooms"] == []
            bucket.create_bucket(Bucket="leftover-2")

        def test_again_fixture_first(ivschat_client, bucket):
            assert names(bucket) == ["per-test"]
            assert ivschat_client.list_rooms()["rooms"] == []

        def test_bucket_alone(bucket):
            assert names(bucket) == ["per-test"]
        """
    )
    pytester.runpytest_inprocess("-p", "no:cacheprovider").assert_outcomes(passed=4)


def test_with_no_mock_of_the_suite_every_service_starts_empty(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import boto3

        def test_fill(ivschat_client):
            boto3.client("s3").create_bucket(Bucket="leftover")
            ivschat_client.create_room()

        def test_empty(ivschat_client):
            assert boto3.client("s3").list_buckets()["Buckets"] == []
            assert ivschat_client.list_rooms()["rooms"] == []
        """
    )
    pytester.runpytest_inprocess("-p", "no:cacheprovider").assert_outcomes(passed=2)
