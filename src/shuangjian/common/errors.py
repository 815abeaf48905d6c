"""THE domain error and the three places it is turned into what a user sees.

A service refuses an operation by raising a :class:`DomainError` subclass (``RegistryError``,
``FundsRefused``, ``TaskError``, ``CaseError``, ``ReportError``, …): ``str(error)`` is the Chinese
reason, ``error.code`` a stable machine code (snake_case English), ``error.http_status`` the 4xx a
JSON API answers with. Nothing was changed when one is raised (services are atomic).

- Pages: :class:`DomainErrorMessageMixin` turns an uncaught one into a page message
  (``messages.error``) and a redirect back to the page (or :meth:`domain_error_url`).
- JSON API: :func:`api_exception_handler` (DRF ``EXCEPTION_HANDLER``) answers
  ``{"detail": "<Chinese>", "code": "<code>"}`` with ``error.http_status``.
- Commands: :func:`usage_error` prints ``参数错误：…`` on stderr and exits 2 (DESIGN.md command
  contract); a refused operation inside a command is printed as is with exit 1.

``DomainError`` subclasses ``ValueError`` so existing ``except ValueError`` callers keep working.
"""

from __future__ import annotations

import sys
from typing import Any, NoReturn

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect


class DomainError(ValueError):
    """A refused operation. ``str()`` is the Chinese reason; ``code`` a machine code; ``http_status``
    the status a JSON API answers with (422 by default: understood but refused)."""

    code: str = "refused"
    http_status: int = 422

    def __init__(self, message: Any = "", *, code: str | None = None, http_status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        if http_status:
            self.http_status = http_status

    @property
    def reason(self) -> str:
        """The Chinese reason as plain text (``str(error)`` for most errors; the joined messages of
        a :class:`DomainValidationError`)."""
        messages_ = getattr(self, "messages", None)
        if isinstance(self, ValidationError) and messages_:
            return "；".join(str(m) for m in messages_)
        return str(self.args[0]) if self.args else ""


class DomainValidationError(DomainError, ValidationError):  # type: ignore[misc]
    """A domain error that is also Django's ``ValidationError`` (areas whose forms and callers catch
    ``ValidationError``: in-school returns, reports). ``messages`` lists the Chinese reason."""

    def __init__(
        self,
        message: Any = "",
        *,
        code: str | None = None,
        http_status: int | None = None,
        params: dict[str, Any] | None = None,
    ) -> None:
        machine_code = code or type(self).code
        ValidationError.__init__(self, message, code=machine_code, params=params)
        self.code = machine_code
        if http_status:
            self.http_status = http_status


class DomainPermissionDenied(DomainError, PermissionDenied):
    """A refusal because of who is asking (Django's ``PermissionDenied``: pages answer 403)."""

    code = "forbidden"
    http_status = 403


class DomainErrorMessageMixin:
    """View mixin: a :class:`DomainError` escaping ``dispatch`` becomes ``messages.error(reason)``
    and a redirect to :meth:`domain_error_url` (the same page by default). Views that re-render a
    bound form with the error instead catch it themselves, with :func:`add_error_message`."""

    def domain_error_url(self, request: HttpRequest) -> str:
        """Where to go after a refusal: the page itself (the GET form of the request's path)."""
        return request.get_full_path()

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]
        except DomainError as error:
            add_error_message(request, error)
            return HttpResponseRedirect(self.domain_error_url(request))


def add_error_message(request: HttpRequest, error: BaseException) -> None:
    """Show ``error`` (its Chinese reason) as a page error message."""
    messages.error(request, error.reason if isinstance(error, DomainError) else str(error))


def error_body(error: DomainError) -> dict[str, str]:
    """The JSON body of a refused API call: ``{"detail": reason, "code": machine code}``."""
    return {"detail": error.reason, "code": error.code}


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Any:
    """DRF ``EXCEPTION_HANDLER``: a :class:`DomainError` → its 4xx with :func:`error_body`;
    everything else as DRF's default handler answers."""
    from rest_framework.response import Response
    from rest_framework.views import exception_handler

    if isinstance(exc, DomainError):
        return Response(error_body(exc), status=exc.http_status)
    return exception_handler(exc, context)


class UsageError(DomainError):
    """Bad command-line arguments; :func:`usage_error` prints it and exits 2."""

    code = "usage"
    http_status = 400


def usage_error(command: Any, message: Any) -> NoReturn:
    """Print ``参数错误：<message>`` on the command's stderr and exit with status 2.

    ``command`` is the running ``BaseCommand`` (its ``stderr`` is used) or None for ``sys.stderr``.
    """
    text = f"参数错误：{message}"
    if command is not None and getattr(command, "stderr", None) is not None:
        command.stderr.write(text)
    else:
        print(text, file=sys.stderr)  # noqa: T201 - a command's error output
    sys.exit(2)
