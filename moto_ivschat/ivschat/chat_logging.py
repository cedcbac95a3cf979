"""Chat logging: every record a room receives, written to its logging configurations' destinations.

The backend calls :func:`log_record` for each record, under its lock, before the
call that caused the record returns — whether or not any chat client is
connected. Each record is the documented ``{"event_timestamp", "type",
"version", "payload"}``, ``payload`` being the frame clients receive.
Destinations are moto's own S3, CloudWatch Logs and Firehose, in the room's
account and region:

- S3: one gzipped object per record, named as the service names its log files
  (``AWSLogs/<account>/IVSChatLogs/1.0/<region>/room_<id>/YYYY/MM/DD/HH/...log.gz``);
- CloudWatch Logs: one event per record in stream ``aws/IVSChatLogs/1.0/room_<id>``
  (created when missing) of the configured log group;
- Firehose: one record per record (the JSON and a newline).

A destination that does not exist (or cannot be written) is not skipped
silently: its logging configuration's ``state`` becomes ``CREATE_FAILED`` — the
state AWS shows when it could not set up delivery — and returns to ``ACTIVE``
at the next successful write or at UpdateLoggingConfiguration.
"""

from __future__ import annotations

import gzip
import json
import logging
from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING

from ..moto_compat import firehose_record, s3_backend
from .identifiers import new_id
from .records import MessageRecord, RoomRecord, format_time, frame

if TYPE_CHECKING:
    from .models import LoggingConfiguration

LOG_FORMAT_VERSION = "1.0"

logger = logging.getLogger(__name__)


def log_record(
    account_id: str, region: str, room_id: str, configs: Iterable[LoggingConfiguration], record: RoomRecord
) -> None:
    """Write ``record`` of room ``room_id`` to each configuration's destination; update their states."""
    text = json.dumps(
        {
            "event_timestamp": format_time(record.time),
            "type": "MESSAGE" if isinstance(record, MessageRecord) else "EVENT",
            "version": LOG_FORMAT_VERSION,
            "payload": frame(record),
        },
        ensure_ascii=False,
        separators=(",", ":"),
    )
    for config in configs:
        destination = config.destination_configuration
        try:
            written = _write(account_id, region, destination, room_id, text, record.time)
        except Exception:
            logger.warning("ivschat chat log: writing to %s failed", destination, exc_info=True)
            written = False
        else:
            if not written:
                logger.warning("ivschat chat log: destination %s does not exist", destination)
        config.delivery_failed = not written


def _write(
    account_id: str,
    region: str,
    destination: dict[str, dict[str, str]],
    room_id: str,
    text: str,
    time: datetime,
) -> bool:
    """Write ``text`` to the one destination configured; return whether it exists."""
    if "s3" in destination:
        return _write_s3(account_id, region, destination["s3"]["bucketName"], room_id, text, time)
    if "cloudWatchLogs" in destination:
        return _write_cloudwatch_logs(
            account_id, region, destination["cloudWatchLogs"]["logGroupName"], room_id, text, time
        )
    return _write_firehose(account_id, region, destination["firehose"]["deliveryStreamName"], text)


def _write_s3(
    account_id: str, region: str, bucket_name: str, room_id: str, text: str, time: datetime
) -> bool:
    s3 = s3_backend(account_id, region)
    bucket = s3.buckets.get(bucket_name)
    if bucket is None or bucket.region_name != region:
        return False
    prefix = f"AWSLogs/{account_id}/IVSChatLogs/{LOG_FORMAT_VERSION}/{region}/room_{room_id}"
    name = (
        f"{account_id}_IVSChatLogs_{LOG_FORMAT_VERSION}_{region}_room_{room_id}_{time:%Y%m%d%H%M}_{new_id()}"
    )
    key = f"{prefix}/{time:%Y/%m/%d/%H}/{name}.log.gz"
    s3.put_object(bucket_name, key, gzip.compress(f"{text}\n".encode()))
    return True


def _write_cloudwatch_logs(
    account_id: str, region: str, group_name: str, room_id: str, text: str, time: datetime
) -> bool:
    from moto.logs.models import logs_backends

    logs = logs_backends[account_id][region]
    group = logs.groups.get(group_name)
    if group is None:
        return False
    stream = f"aws/IVSChatLogs/{LOG_FORMAT_VERSION}/room_{room_id}"
    if stream not in group.streams:
        logs.create_log_stream(group_name, stream)
    logs.put_log_events(group_name, stream, [{"timestamp": int(time.timestamp() * 1000), "message": text}])
    return True


def _write_firehose(account_id: str, region: str, stream_name: str, text: str) -> bool:
    from moto.firehose.models import firehose_backends

    firehose = firehose_backends[account_id][region]
    if stream_name not in firehose.delivery_streams:
        return False
    firehose.put_record(stream_name, firehose_record(f"{text}\n".encode()))
    return True
