"""The OpenAPI schema is the contract: schemathesis sends what the schema allows (and what it does not),
and every answer must be documented there (status, content type, body)."""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig

from codescribe.server import create_app
from codescribe.server.settings import ServerSettings

#: 413 is the documented answer to code over the cap (schemathesis's default list of rejections lacks it),
#: and 422 to valid requests the engine cannot take (docstrings for code that does not parse).
REJECTIONS = '[400, 401, 403, 404, 405, 406, 409, 413, 415, 422, 428, 429, "5xx"]'
ACCEPTANCES = '["2xx", "3xx", 401, 403, 404, 409, 422, 429, "5xx"]'
CONFIG = SchemathesisConfig.from_str(
    f"[checks]\nnegative_data_rejection.expected-statuses = {REJECTIONS}\n"
    f"positive_data_acceptance.expected-statuses = {ACCEPTANCES}\n"
)
#: schemathesis calls the app as ``testserver``, a name the operator must allow (the default is loopback only).
APP = create_app(ServerSettings.from_env({"CODESCRIBE_ALLOWED_HOSTS": "testserver"}))
schema = schemathesis.openapi.from_asgi("/openapi.json", APP, config=CONFIG)


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_every_answer_is_the_one_the_schema_documents(case: schemathesis.Case) -> None:
    case.call_and_validate()
