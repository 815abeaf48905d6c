"""Scoping coverage of this area's pages and endpoints (see shuangjian.common.testing)."""

SCOPE_CASES: list = []
SCOPE_EXEMPT = {"stats:index": "placeholder page (建设中), shows no record"}
