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
