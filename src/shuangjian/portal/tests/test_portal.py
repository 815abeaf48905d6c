from django.urls import reverse


def test_portal_links_every_public_service_without_login(client, db):
    response = client.get(reverse("portal:index"))
    assert response.status_code == 200
    html = response.content.decode()
    for name in (
        "institutions:public_search",
        "institutions:public_blacklist",
        "complaints:public_new",
        "complaints:public_track",
        "funds:lookup",
    ):
        url = reverse(name)
        assert url in html
        assert client.get(url).status_code == 200, name
    assert reverse("portal:index") in client.get(reverse("accounts:login")).content.decode()
