import pytest


@pytest.mark.parametrize("url", ["/admin/", "/admin/organisations/organisation/", "/admin/courses/course/"])
def test_national_administrator_manages_the_platform_in_the_admin(client_for, administrator, url):
    assert client_for(administrator).get(url).status_code == 200


@pytest.mark.parametrize("persona", ["professional", "supervisor", "coordinator"])
def test_other_roles_are_kept_out_of_the_admin(request, client_for, persona):
    response = client_for(request.getfixturevalue(persona)).get("/admin/organisations/organisation/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_staff_without_the_administrator_role_gets_no_model_permissions(client_for, coordinator):
    coordinator.is_staff = True
    coordinator.save(update_fields=["is_staff"])
    assert client_for(coordinator).get("/admin/organisations/organisation/").status_code == 403
