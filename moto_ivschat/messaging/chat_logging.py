"""Chat logging: every message and event of a room, written to its logging configurations' destinations.

Each record is the documented ``{"event_timestamp", "type", "version",
"payload"}``, ``payload`` being the frame clients receive. Destinations are
moto's own S3, CloudWatch Logs and Firehose, in the room's account and region:

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
from datetime import datetime, timezone
from typing import Any

from moto.firehose.models import firehose_backends
from moto.logs.models import logs_backends

from ..ivschat.exceptions import ResourceNotFoundException
from ..ivschat.identifiers import new_id
from ..ivschat.models import IvschatBackend, format_time
from ..moto_compat import firehose_record, s3_backend

LOG_FORMAT_VERSION = "1.0"
FAILED_STATE = "CREATE_FAILED"
ACTIVE_STATE = "ACTIVE"

logger = logging.getLogger(__name__)


def log_to_destinations(
    backend: IvschatBackend,
    config_arns: list[str],
    room_id: str,
    kind: str,
    payload: dict[str, Any],
    time: datetime,
) -> None:
    """Write one ``kind`` (``MESSAGE`` or ``EVENT``) record to each configuration's destination."""
    if not config_arns:
        return
    record = {
        "event_timestamp": format_time(time),
        "type": kind,
        "version": LOG_FORMAT_VERSION,
        "payload": payload,
    }
    text = json.dumps(record, ensure_ascii=False, separators=(",", ":"))
    for arn in config_arns:
        try:
            destination = backend.get_logging_configuration(arn).destination_configuration
        except ResourceNotFoundException:  # deleted since the record was made
            continue
        try:
            written = _write(backend.account_id, backend.region_name, destination, room_id, text, time)
        except Exception:
            logger.warning("ivschat chat log: writing to %s failed", destination, exc_info=True)
            written = False
        else:
            if not written:
                logger.warning("ivschat chat log: destination %s does not exist", destination)
        _set_state(backend, arn, written)


def _set_state(backend: IvschatBackend, arn: str, written: bool) -> None:
    with backend.lock:
        try:
            config = backend.get_logging_configuration(arn)
        except ResourceNotFoundException:
            return
        if not written:
            config.state = FAILED_STATE
        elif config.state == FAILED_STATE:
            config.state = ACTIVE_STATE


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
    logs = logs_backends[account_id][region]
    group = logs.groups.get(group_name)
    if group is None:
        return False
    stream = f"aws/IVSChatLogs/{LOG_FORMAT_VERSION}/room_{room_id}"
    if stream not in group.streams:
        logs.create_log_stream(group_name, stream)
    timestamp = int(time.replace(tzinfo=timezone.utc).timestamp() * 1000)
    logs.put_log_events(group_name, stream, [{"timestamp": timestamp, "message": text}])
    return True


def _write_firehose(account_id: str, region: str, stream_name: str, text: str) -> bool:
    firehose = firehose_backends[account_id][region]
    if stream_name not in firehose.delivery_streams:
        return False
    firehose.put_record(stream_name, firehose_record(f"{text}\n".encode()))
    return True
