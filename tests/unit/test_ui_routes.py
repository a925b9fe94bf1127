"""Where people land after signing in, and that a crafted `next` cannot send them off-site."""

from __future__ import annotations

import pytest

from onestop.ui.routes import allowed_path, landing_for, nav_for, safe_next


@pytest.mark.parametrize(
    ("role", "landing"),
    [
        ("citizen", "/my"),
        ("supporter", "/support"),
        ("receiver", "/officer"),
        ("specialist", "/officer"),
        ("leader", "/officer"),
        ("admin", "/admin"),
    ],
)
def test_each_role_has_a_landing_page(role: str, landing: str) -> None:
    assert landing_for(role) == landing
    assert safe_next("", role) == landing


@pytest.mark.parametrize(
    "bad",
    [
        "https://evil.example/x",
        "//evil.example/x",
        "/\\evil.example",
        "javascript:alert(1)",
        "officer",
        "/login",
        "/login/",
    ],
)
def test_next_must_be_a_local_page(bad: str) -> None:
    assert safe_next(bad, "receiver") == "/officer"


def test_next_is_honoured_only_when_the_role_may_open_it() -> None:
    assert safe_next("/dashboard", "leader") == "/dashboard"
    assert safe_next("/dashboard", "receiver") == "/officer"
    assert safe_next("/procedures?q=khai%20sinh", "citizen") == "/procedures?q=khai%20sinh"
    assert not allowed_path("/admin/", "leader")
    assert allowed_path("/officer/", "admin")


def test_navigation_follows_the_role() -> None:
    assert [p for p, _ in nav_for("")] == ["/", "/procedures"]
    assert [p for p, _ in nav_for("citizen")] == ["/", "/procedures", "/my"]
    assert [p for p, _ in nav_for("leader")] == ["/officer", "/dashboard", "/procedures"]
    assert [p for p, _ in nav_for("admin")][0] == "/admin"
