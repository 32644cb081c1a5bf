from annotations.models import Category
from annotations.services import categories_for_recording
from courses.models import Course, CourseVersion, Enrolment


def test_the_vib_contact_principles_and_working_points_ship_with_the_current_vib_version(vib_categories):
    names = [category.name for category in vib_categories]
    assert names == [
        "Initiatief nemen",
        "Ontvangen/bevestigen",
        "Beurt geven en nemen",
        "Benoemen",
        "Leiding geven",
        "Werkpunt",
    ]
    assert all(category.colour.startswith("#") and category.description for category in vib_categories)
    assert len({category.colour for category in vib_categories}) == len(vib_categories)


def test_a_recording_uses_the_current_vib_vocabulary_when_its_professional_is_not_enrolled(
    recording, vib_categories, django_assert_num_queries
):
    with django_assert_num_queries(1):
        assert list(categories_for_recording(recording)) == vib_categories


def test_a_recording_uses_the_vocabulary_of_the_version_its_professional_is_enrolled_in(
    recording, vib_categories
):
    course = Course.objects.get(code="vib")
    older = CourseVersion.objects.create(course=course, label="2019")
    own = Category.objects.create(course_version=older, name="Aansluiten", colour="#123456")
    Enrolment.objects.create(professional=recording.professional, version=older)

    assert list(categories_for_recording(recording)) == [own]
