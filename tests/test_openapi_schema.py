"""The served OpenAPI schema is valid, and countries are an enum of ISO codes."""

from __future__ import annotations

import pytest
from django.test import Client
from openapi_spec_validator import validate

from config.countries import COUNTRY_CODES


@pytest.fixture
def schema(db: None) -> dict:
    response = Client().get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    return dict(response.json())


def test_served_schema_passes_the_openapi_validator(schema: dict) -> None:
    validate(schema)  # raises on the first violation of the OpenAPI 3 specification


def test_country_fields_are_an_enum_of_iso_codes(schema: dict) -> None:
    components = schema["components"]["schemas"]
    enum = components["CountryCodeEnum"]["enum"]
    assert enum == list(COUNTRY_CODES)
    assert {"JP", "SG", "SI", "VN"} <= set(enum) and "XK" not in enum and "EU" not in enum
    stop = components["StopIn"]["properties"]["country"]
    assert stop == {"$ref": "#/components/schemas/CountryCodeEnum"} or (
        stop.get("allOf") == [{"$ref": "#/components/schemas/CountryCodeEnum"}]
    )
