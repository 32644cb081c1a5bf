from types import SimpleNamespace

from annotations import demo
from annotations.models import Annotation
from families.models import Family


def test_the_demo_film_gets_annotations_once(professional, supervisor, recording):
    Family.objects.filter(pk=recording.family_id).update(code="DEMO-0001")
    people = SimpleNamespace(trainee=professional, supervisor=supervisor)

    demo.seed(people)
    demo.seed(people)

    assert Annotation.objects.filter(recording=recording).count() == 4
    assert Annotation.objects.filter(kind="feedback", visibility="published").exists()


def test_the_demo_does_nothing_without_the_demo_film(professional, supervisor, recording):
    demo.seed(SimpleNamespace(trainee=professional, supervisor=supervisor))

    assert not Annotation.objects.exists()
