"""Helpers of the security tests: clients at chosen addresses, sign-in by API and by form."""

import re

from tests.factories import PASSWORD


def client_at(app, address: str):
    """A test client whose requests come from ``address`` (as the WSGI server sees it)."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def api_login(client, nip, password=PASSWORD, **kwargs):
    return client.post("/api/v1/auth/login", json={"nip": nip, "password": password}, **kwargs)


def csrf_from(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def page_login(client, nip, password=PASSWORD, **headers):
    """Sign in through the /masuk form, as a browser does (the CSRF token from the page)."""
    token = csrf_from(client.get("/masuk", headers=headers).get_data(as_text=True))
    return client.post("/masuk", data={"nip": nip, "password": password, "csrf_token": token},
                       headers=headers)


def set_cookies(response) -> dict[str, str]:
    """The Set-Cookie headers of ``response`` by cookie name."""
    return {header.split("=", 1)[0]: header for header in response.headers.getlist("Set-Cookie")}
