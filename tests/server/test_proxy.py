"""moto's proxy with ivschat registered (``python -m moto_ivschat.proxy``): boto3 reaches ivschat's
real host through it; before moto 5.2.4 without the ``moto[proxy]`` extra, it says what to install."""

from __future__ import annotations

import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from importlib.util import find_spec
from pathlib import Path

import boto3
import moto
import pytest
from botocore.config import Config

from moto_ivschat.moto_compat import PROXY_NEEDS_MULTIPART

PROXY = [sys.executable, "-u", "-m", "moto_ivschat.proxy", "--port", "0"]
CA_BUNDLE = Path(moto.__file__).parent / "moto_proxy" / "ca.crt"
ready = pytest.mark.skipif(
    PROXY_NEEDS_MULTIPART and find_spec("multipart") is None,
    reason=f"moto {moto.__version__}'s proxy needs the moto[proxy] extra",
)


@pytest.fixture(scope="module")
def proxy_url() -> Iterator[str]:
    """A proxy process on a free port: its URL."""
    process = subprocess.Popen(PROXY, stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    guard = threading.Timer(60, process.kill)  # a proxy that never says where it listens
    guard.start()
    url = None
    for line in process.stdout:
        found = re.search(r"Serving HTTP Proxy on (\S+):(\d+)", line)
        if found:
            url = f"http://{found.group(1)}:{found.group(2)}"
            break
    guard.cancel()
    try:
        assert url is not None, "the proxy did not start"
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)
        process.stdout.close()


@ready
def test_boto3_reaches_ivschat_through_the_proxy(proxy_url: str) -> None:
    client = boto3.session.Session().client(
        "ivschat",
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        verify=str(CA_BUNDLE),
        config=Config(proxies={"https": proxy_url}),
    )
    room = client.create_room(name="proxied", tags={"team": "chat"})
    assert client.get_room(identifier=room["arn"])["name"] == "proxied"
    # The ARN travels percent-encoded in the path.
    assert client.list_tags_for_resource(resourceArn=room["arn"])["tags"] == {"team": "chat"}
    client.delete_room(identifier=room["arn"])


@pytest.mark.skipif(
    not PROXY_NEEDS_MULTIPART or find_spec("multipart") is not None, reason="the proxy can run"
)
def test_without_its_extra_the_proxy_says_what_to_install() -> None:
    result = subprocess.run(PROXY, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 1
    assert f"pip install 'moto[proxy]=={moto.__version__}'" in result.stderr
