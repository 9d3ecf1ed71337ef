"""schemathesis walks every operation in /api/openapi.json with generated input.

Whatever it sends, Kindred must not answer with a 5xx, and every answer must match the
documented status codes, content types and response schemas. (Schema-valid input may still
be refused with a documented 4xx: a filter naming an unknown jurisdiction is answered 422 with
the reason, so schemathesis' "positive data acceptance" check is left out.)
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

pytestmark = [pytest.mark.slow]


def _operations():
    from kindred.api import api

    document = api.get_openapi_schema(path_prefix="/api/")
    methods = {"get", "post", "put", "patch", "delete"}
    return [
        (path, method.upper())
        for path, item in sorted(document["paths"].items())
        for method in item
        if method in methods
    ]


@pytest.fixture
def _keep_test_connection():
    """Call the WSGI app as Django's test client does: without closing the connection.

    Outside the test client, request_started and request_finished close "old" connections;
    inside a test's transaction that closes PostgreSQL's connection for every later query.
    """
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.usefixtures("_keep_test_connection")
@pytest.mark.parametrize(("path", "method"), _operations())
def test_every_api_operation_honours_its_schema(db, path, method):
    from kindred.wsgi import application

    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)
    operation = schema[path][method]

    @given(case=operation.as_strategy())
    @settings(
        max_examples=20, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck)
    )
    def check(case):
        case.call_and_validate(excluded_checks=[positive_data_acceptance])

    check()
