from django.test import Client


def test_pages_send_a_strict_content_security_policy_and_frame_and_referrer_policies(db):
    response = Client().get("/login/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_forms_are_csrf_protected(professional):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/login/", {"username": professional.email, "password": "x"})
    assert response.status_code == 403


def test_no_inline_script_in_the_base_template(db):
    content = Client().get("/login/").content.decode()
    assert "<script>" not in content
    assert " onclick=" not in content
