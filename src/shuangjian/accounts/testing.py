"""Scoping coverage: pages of the accounts area and the shell."""

SCOPE_CASES: list = []
SCOPE_EXEMPT = {
    "accounts:login": "public login form",
    "accounts:logout": "ends the caller's own session",
    "accounts:password_change": "the caller's own password",
    "accounts:password_change_done": "static confirmation",
    "home": "counts through Institution.objects.visible_to (tested in test_home_counts_are_scoped)",
    "set_language": "sets the caller's language cookie",
    "common:audit": "provincial regulators only (tested in test_audit)",
    "api-root": "index of links",
    "api-me": "the caller's own account",
    "api-regions": "public reference data (GB/T 2260)",
    "api-token": "obtains the caller's own token",
    "api-schema": "OpenAPI description",
    "api-docs": "OpenAPI browser",
}
