"""The backend's state is guarded: concurrent calls lose nothing."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import boto3

from moto_ivschat import ivschat_backends

THREADS = 8
ROOMS_PER_THREAD = 25


def test_eight_threads_create_rooms_concurrently(client: Any) -> None:
    def create(worker: int) -> list[str]:
        own = boto3.session.Session().client("ivschat", region_name="us-east-1")
        return [own.create_room(name=f"w{worker}")["id"] for _ in range(ROOMS_PER_THREAD)]

    with ThreadPoolExecutor(THREADS) as pool:
        created = [room_id for ids in pool.map(create, range(THREADS)) for room_id in ids]

    assert len(set(created)) == THREADS * ROOMS_PER_THREAD
    listed: list[str] = []
    token = None
    while True:
        page = client.list_rooms(**({"nextToken": token} if token else {}))
        listed += [room["id"] for room in page["rooms"]]
        token = page.get("nextToken")
        if not token:
            break
    assert sorted(listed) == sorted(created)
    assert len(ivschat_backends["123456789012"]["us-east-1"].rooms) == THREADS * ROOMS_PER_THREAD
