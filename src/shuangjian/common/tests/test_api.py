import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token

pytestmark = pytest.mark.django_db


def test_anonymous_api_is_refused(client):
    response = client.get(reverse("api-me"))
    assert response.status_code in (401, 403)
    assert client.get(reverse("api-schema")).status_code in (401, 403)


def test_token_authentication(client, make_user):
    user = make_user("COUNTY", region="430102", password="Token-pass-123")
    response = client.post(reverse("api-token"), {"username": user.username, "password": "Token-pass-123"})
    assert response.status_code == 200
    token = response.json()["token"]
    assert Token.objects.get(user=user).key == token
    me = client.get(reverse("api-me"), HTTP_AUTHORIZATION=f"Token {token}")
    assert me.status_code == 200 and me.json()["region"] == "430102"


def test_schema_is_openapi(client, make_user):
    client.force_login(make_user("PROVINCE", region="430000"))
    response = client.get(reverse("api-schema"), {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.") and "/api/me/" in schema["paths"]
    root = client.get(reverse("api-root")).json()
    assert "schema" in root and "me" in root
    assert root["funds-payments"].endswith("/funds/api/payments/") and "reports" in root


def test_regions_endpoint(client, make_user):
    client.force_login(make_user("COUNTY", region="430102"))
    data = client.get(reverse("api-regions"), {"parent": "430000"}).json()
    assert data["count"] == 14
