"""The desk's JSON API against its own OpenAPI description (schemathesis, over HTTP on
127.0.0.1): whatever a client sends, within the description or not, no server error."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
import schemathesis
from desk_setup import DeskSite, desk_site
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from test_desk_chromium import desk  # noqa: F401  (the fixture: the desk served by uvicorn)

from conftest import WriteSettings
from mockserver import MockServer

pytestmark = pytest.mark.usefixtures("apertium_eng_spa")


@pytest.fixture
def site(server: MockServer, write_settings: WriteSettings) -> Iterator[DeskSite]:
    found = desk_site(server, write_settings)
    yield found
    found.store.close()


def test_no_request_makes_a_server_error(desk: str, site: DeskSite) -> None:  # noqa: F811
    auth = {"Authorization": f"Bearer {site.write_token}"}
    raw = httpx.get(f"{desk}/api/openapi.json", headers=auth).json()
    schema = schemathesis.openapi.from_dict(raw)
    tried = 0
    for found in schema.get_all_operations():
        operation = found.ok()

        @settings(max_examples=12, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))  # fmt: skip
        @given(case=operation.as_strategy())
        def call(case: schemathesis.Case) -> None:
            case.call_and_validate(base_url=desk, headers=auth, checks=[not_a_server_error])

        call()
        tried += 1
    assert tried >= 10  # every operation of the API was tried
