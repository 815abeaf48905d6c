"""The API's pagination refuses an empty ``page`` (schemathesis found ``?page=`` answered 200)."""

from __future__ import annotations

import pytest
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from shuangjian.common.pagination import PageNumberPagination


def _page(query: str):
    paginator = PageNumberPagination()
    paginator.page_size = 2
    request = Request(APIRequestFactory().get(f"/x/{query}"))
    return paginator.paginate_queryset(list(range(5)), request)


def test_pages_as_drf_does():
    assert _page("") == [0, 1]
    assert _page("?page=3") == [4]
    with pytest.raises(NotFound):
        _page("?page=abc")


def test_an_empty_page_is_a_bad_request():
    with pytest.raises(ValidationError) as raised:
        _page("?page=")
    assert raised.value.status_code == 400
    assert "page" in raised.value.detail
