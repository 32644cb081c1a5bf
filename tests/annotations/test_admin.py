from annotations.models import Category
from courses.models import Course, CourseVersion


def test_an_administrator_edits_the_vocabulary_in_the_admin(client_for, administrator, category):
    client = client_for(administrator)
    kind, contact_principle = category.recording_kind, category.is_contact_principle

    listing = client.get("/admin/annotations/category/")
    response = client.post(
        f"/admin/annotations/category/{category.pk}/change/",
        {
            "course_version": category.course_version_id,
            "name": "Initiatief",
            "colour": "#112233",
            "description": "Nieuw",
            "order": 1,
            "recording_kind": category.recording_kind,
            **({"is_contact_principle": "on"} if category.is_contact_principle else {}),
        },
    )

    assert listing.status_code == 200
    assert response.status_code == 302
    category.refresh_from_db()
    assert (category.name, category.colour) == ("Initiatief", "#112233")
    assert (category.recording_kind, category.is_contact_principle) == (kind, contact_principle)


def test_an_invalid_colour_is_refused(client_for, administrator, category):
    response = client_for(administrator).post(
        f"/admin/annotations/category/{category.pk}/change/",
        {"course_version": category.course_version_id, "name": "X", "colour": "red", "order": 1},
    )

    assert response.status_code == 200
    assert "#1f77b4" in response.content.decode()


def test_categories_are_copied_to_a_new_current_version(client_for, administrator, vib_categories):
    course = Course.objects.get(code="vib")
    old = vib_categories[0].course_version
    old.is_current = False
    old.save()
    new = CourseVersion.objects.create(course=course, label="2027", is_current=True)

    client_for(administrator).post(
        "/admin/annotations/category/",
        {"action": "copy_to_current_version", "_selected_action": [c.pk for c in vib_categories]},
    )

    assert Category.objects.filter(course_version=new).count() == len(vib_categories)


def test_staff_who_are_not_national_administrators_cannot_change_the_vocabulary(client_for, category):
    from tests.conftest import make_person

    staff = make_person("sam@ncj.example", is_staff=True)

    assert client_for(staff).get(f"/admin/annotations/category/{category.pk}/change/").status_code in (
        302,
        403,
    )
