"""The OpenAPI schema tells the truth about errors (drf-spectacular post-processing hook).

drf-spectacular documents what a view's serializers answer. The error statuses every endpoint can
also answer come from the framework and are added here, once, to every operation that can answer
them (an operation's own declaration, e.g. the custody API's 409 / 422, is kept):

- 400 — the request's query parameters or body failed validation (DRF: ``{"field": ["reason"]}``);
- 401 / 403 — not authenticated / not allowed (``{"detail": "…"}``); every API operation but the
  schema itself and the token exchange needs an authenticated user;
- 404 — a path parameter names a record outside the caller's scope or none (``{"detail": "…"}``, or
  Django's HTML page when the path does not even match), or a list's ``page`` is past the end.

Bodies of :class:`~shuangjian.common.errors.DomainError` refusals are ``{"detail", "code"}``.
"""

from __future__ import annotations

from typing import Any

ERROR_SCHEMA = {
    "type": "object",
    "properties": {"detail": {"type": "string"}, "code": {"type": "string"}},
    "required": ["detail"],
}
VALIDATION_SCHEMA = {
    "type": "object",
    "description": "字段名 → 错误原因列表（或 detail）",
    "additionalProperties": True,
}
PUBLIC_PATHS = ("/api/token/", "/api/schema/")


def _error(description: str, schema: dict[str, Any], *, html: bool = False) -> dict[str, Any]:
    content: dict[str, Any] = {"application/json": {"schema": schema}}
    if html:
        content["text/html"] = {"schema": {"type": "string"}}
    return {"description": description, "content": content}


def document_errors(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """``POSTPROCESSING_HOOKS`` entry: add the framework's error responses to every operation."""
    for path, item in result.get("paths", {}).items():
        for method, operation in item.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            responses = operation.setdefault("responses", {})
            parameters = operation.get("parameters", [])
            in_query = any(p.get("in") == "query" for p in parameters)
            in_path = any(p.get("in") == "path" for p in parameters)
            paged = any(p.get("in") == "query" and p.get("name") == "page" for p in parameters)
            if in_query or "requestBody" in operation:
                responses.setdefault("400", _error("请求参数或内容有误", VALIDATION_SCHEMA))
            if path not in PUBLIC_PATHS:
                responses.setdefault("401", _error("未登录或令牌无效", ERROR_SCHEMA))
                responses.setdefault("403", _error("无权访问", ERROR_SCHEMA))
            if in_path or paged:
                responses.setdefault(
                    "404", _error("记录不存在或不在可见范围内（或页码超出范围）", ERROR_SCHEMA, html=in_path)
                )
    return result
