"""The OpenAPI document that describes the whole JSON API is valid OpenAPI 3.1."""

from openapi_spec_validator import validate


def test_the_openapi_document_is_valid(client, db):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    spec = response.json()
    validate(spec)
    assert spec["openapi"].startswith("3.1")
    assert "/api/vocabularies" in spec["paths"]
    assert "/api/vocabularies/{kind}" in spec["paths"]


def test_every_operation_has_a_summary_and_a_tag(client, db):
    spec = client.get("/api/openapi.json").json()
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            assert operation.get("summary"), f"{method.upper()} {path} has no summary"
            assert operation.get("tags"), f"{method.upper()} {path} has no tag"


def test_the_docs_page_is_interactive(client, db):
    response = client.get("/api/docs")
    assert response.status_code == 200
    assert '<main id="swagger-ui"></main>' in response.content.decode()
