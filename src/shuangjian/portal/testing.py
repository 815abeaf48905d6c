"""Scoping coverage of the public portal."""

SCOPE_CASES: list = []
SCOPE_EXEMPT = {"portal:index": "public page of links, shows no record"}
