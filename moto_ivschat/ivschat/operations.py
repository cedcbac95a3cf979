"""The write operations whose checked requests both the HTTP layer and CloudFormation hand to the
backend: one place that maps a request's members to the backend's arguments."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .models import IvschatBackend, LoggingConfiguration, Room


def create_room(backend: IvschatBackend, params: dict[str, Any]) -> Room:
    """CreateRoom."""
    return backend.create_room(
        name=params.get("name"),
        maximum_message_rate_per_second=params.get("maximumMessageRatePerSecond"),
        maximum_message_length=params.get("maximumMessageLength"),
        message_review_handler=params.get("messageReviewHandler"),
        tags=params.get("tags"),
        logging_configuration_identifiers=params.get("loggingConfigurationIdentifiers"),
    )


def update_room(backend: IvschatBackend, params: dict[str, Any]) -> Room:
    """UpdateRoom."""
    return backend.update_room(
        identifier=params["identifier"],
        name=params.get("name"),
        maximum_message_rate_per_second=params.get("maximumMessageRatePerSecond"),
        maximum_message_length=params.get("maximumMessageLength"),
        message_review_handler=params.get("messageReviewHandler"),
        logging_configuration_identifiers=params.get("loggingConfigurationIdentifiers"),
    )


def create_logging_configuration(backend: IvschatBackend, params: dict[str, Any]) -> LoggingConfiguration:
    """CreateLoggingConfiguration."""
    return backend.create_logging_configuration(
        destination_configuration=params["destinationConfiguration"],
        name=params.get("name"),
        tags=params.get("tags"),
    )


def update_logging_configuration(backend: IvschatBackend, params: dict[str, Any]) -> LoggingConfiguration:
    """UpdateLoggingConfiguration."""
    return backend.update_logging_configuration(
        identifier=params["identifier"],
        name=params.get("name"),
        destination_configuration=params.get("destinationConfiguration"),
    )


#: Each write operation by its name in the model.
WRITES: dict[str, Callable[[IvschatBackend, dict[str, Any]], Room | LoggingConfiguration]] = {
    "CreateRoom": create_room,
    "UpdateRoom": update_room,
    "CreateLoggingConfiguration": create_logging_configuration,
    "UpdateLoggingConfiguration": update_logging_configuration,
}
