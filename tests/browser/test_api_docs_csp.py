"""The API docs page renders Swagger UI under the app's own CSP, with no inline styles."""

from playwright.sync_api import expect

from tests.browser.conftest import sign_in


def test_swagger_ui_renders_without_any_csp_violation(phone, world):
    violations = []
    phone.on("console", lambda message: violations.append(message.text)
             if "Content Security Policy" in message.text else None)
    sign_in(phone, world.one.admin)
    response = phone.goto("/api/v1/docs")
    assert "unsafe-inline" not in response.headers["content-security-policy"]
    expect(phone.locator(".opblock").first).to_be_visible()
    phone.locator(".opblock-summary").first.click()
    expect(phone.locator(".opblock-body").first).to_be_visible()
    assert violations == []
