"""Page-number pagination of every list in the JSON API."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import pagination
from rest_framework.exceptions import ValidationError


class PageNumberPagination(pagination.PageNumberPagination):
    """DRF's page-number pagination (``?page=N``, 1-based), except that a ``page`` parameter given
    empty is refused with 400 instead of being read as page 1: the schema declares it an integer, so
    ``?page=`` is a malformed request, not a request for the first page.

    Raises ``ValidationError`` (400, ``{"page": [...]}``) for an empty value; a non-integer or
    out-of-range page stays DRF's 404 ("Invalid page").
    """

    def get_page_number(self, request, paginator):
        value = request.query_params.get(self.page_query_param)
        if value is not None and not value.strip():
            raise ValidationError({self.page_query_param: [_("页码应为正整数")]})
        return super().get_page_number(request, paginator)
