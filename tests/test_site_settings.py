"""Site settings that may be set and cleared again."""

from __future__ import annotations

import pytest

from store import site
from store.errors import BadInput
from tests.conftest import StoreFixture


def test_the_ca_bundle_and_the_archive_can_be_cleared(store: StoreFixture) -> None:
    admin = store.login("admin")
    site.set_value(admin, "ca_bundle", "/etc/sohoa/ca.pem")
    site.set_value(admin, "archive_code", "000.00.00.H29")
    site.set_value(admin, "ca_bundle", "")
    site.set_value(admin, "archive_code", "")
    loaded = site.load(admin.conn)
    assert (loaded.ca_bundle, loaded.archive_code) == ("", "")
    with pytest.raises(BadInput):
        site.set_value(admin, "package_format", "rar")


def test_retention_meanings_need_the_regulation_and_accepted_codes(
        store: StoreFixture) -> None:
    """The meanings the form shows come only from a named regulation, for codes 01-07."""
    import json

    admin = store.login("admin")
    assert site.load(admin.conn).retention_meanings() == {}  # the program ships none
    site.set_value(admin, "retention_codes", json.dumps({"02": "test meaning two"}))
    assert site.load(admin.conn).retention_meanings() == {}  # no regulation named: none
    site.set_value(admin, "retention_regulation", "Regulation named for this test")
    assert site.load(admin.conn).retention_meanings() == {"02": "test meaning two"}
    for bad in ('{"00": "x"}', '{"02": ""}', '["02"]', "not json", '{}'):
        with pytest.raises(BadInput):
            site.set_value(admin, "retention_codes", bad)
    site.set_value(admin, "retention_codes", "")  # cleared: the codes alone again
    assert site.load(admin.conn).retention_meanings() == {}
