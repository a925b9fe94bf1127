"""Which pages exist, who may open them, and where each role lands after signing in.

Why one table: the guards, the header navigation and the login redirect must
agree; reading the roles of a page from three places lets them drift.
"""

from __future__ import annotations

from dataclasses import dataclass

from onestop.domain.lifecycle import Role


@dataclass(frozen=True)
class PageSpec:
    key: str
    path: str
    roles: frozenset[str]
    nav_key: str  # catalog key of its navigation label


def _spec(key: str, path: str, roles: tuple[Role, ...], nav_key: str) -> PageSpec:
    return PageSpec(key, path, frozenset(str(r) for r in roles), nav_key)


MY = _spec("my", "/my", (Role.CITIZEN,), "nav.my")
SUPPORT = _spec("support", "/support", (Role.SUPPORTER,), "nav.support")
OFFICER = _spec("officer", "/officer", (Role.RECEIVER, Role.SPECIALIST, Role.LEADER, Role.ADMIN), "nav.officer")
DASHBOARD = _spec("dashboard", "/dashboard", (Role.LEADER, Role.ADMIN), "nav.dashboard")
ADMIN = _spec("admin", "/admin", (Role.ADMIN,), "nav.admin")

PROTECTED: tuple[PageSpec, ...] = (MY, SUPPORT, OFFICER, DASHBOARD, ADMIN)

LANDING: dict[str, str] = {
    Role.CITIZEN: MY.path,
    Role.SUPPORTER: SUPPORT.path,
    Role.RECEIVER: OFFICER.path,
    Role.SPECIALIST: OFFICER.path,
    Role.LEADER: OFFICER.path,
    Role.ADMIN: ADMIN.path,
}

#: Public pages every visitor sees in the navigation, before the role's own pages.
PUBLIC_NAV: tuple[tuple[str, str], ...] = (("/", "nav.home"), ("/procedures", "nav.procedures"))


def landing_for(role: str) -> str:
    return LANDING.get(role, "/")


def nav_for(role: str) -> list[tuple[str, str]]:
    """(path, catalog key) links for a role: citizens and visitors start with the public pages,
    staff with their own work (landing page first)."""
    own = sorted((p for p in PROTECTED if role in p.roles), key=lambda p: p.path != landing_for(role))
    links = [(p.path, p.nav_key) for p in own]
    if role in ("", Role.CITIZEN):
        return list(PUBLIC_NAV) + links
    return links + [PUBLIC_NAV[1]]


def allowed_path(path: str, role: str) -> bool:
    """May `role` open `path`? Public paths (anything not protected) are open to all."""
    clean = "/" + path.strip("/")
    for spec in PROTECTED:
        if clean == spec.path or clean.startswith(spec.path + "/"):
            return role in spec.roles
    return True


def safe_next(next_path: str | None, role: str) -> str:
    """Where to go after sign-in: the asked-for local page if the role may open it, else its landing page.

    Only same-site paths are accepted ("/x", not "//host" or "https://…"), so a
    crafted link cannot send someone elsewhere after they sign in.
    """
    candidate = (next_path or "").strip()
    if (
        not candidate.startswith("/")
        or candidate.startswith("//")
        or "\\" in candidate
        or candidate.rstrip("/") in ("", "/login")
    ):
        return landing_for(role)
    return candidate if allowed_path(candidate.split("?", 1)[0], role) else landing_for(role)
