"""The ivschat service model shipped with botocore, loaded once per process."""

from __future__ import annotations

from functools import cache

import botocore.session
from botocore.model import ServiceModel

SERVICE_NAME = "ivschat"


@cache
def service_model() -> ServiceModel:
    """Return botocore's ``ivschat`` service model (loaded on first use)."""
    return botocore.session.get_session().get_service_model(SERVICE_NAME)
