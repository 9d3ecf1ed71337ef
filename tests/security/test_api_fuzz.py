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
