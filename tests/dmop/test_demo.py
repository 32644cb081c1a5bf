from certification.demo import seed as seed_certification
from courses.demo import seed as seed_courses
from dmop.demo import FAMILY_CODE, seed
from dmop.models import ContactMoment, Domain, Family, Partner, domains_without_partner
from dmop.timeline import timeline_for_family
from organisations.demo import seed_people


def test_the_demo_has_a_sociale_kaart_with_a_gap_and_a_family_whose_concern_rose(db):
    people = seed_people()
    seed_courses(people)  # the colleague's DMOP certificate follows from the passed final assessment
    seed_certification(people)
    seed(people)
    seed(people)  # idempotent
    partners = list(
        Partner.objects.filter(organisation=people.organisation).prefetch_related("served_domains")
    )
    assert len(partners) == 3
    assert domains_without_partner(partners) == [Domain.PARTNER_ROLE]
    family = Family.objects.get(code=FAMILY_CODE)
    assert ContactMoment.objects.filter(family=family, professional=people.colleague).count() == 2
    assert timeline_for_family(family).rising_domains == ["social_network", "events_circumstances"]


def test_without_a_certified_colleague_the_demo_skips_the_family(db):
    people = seed_people()
    seed(people)
    assert Partner.objects.count() == 3
    assert not Family.objects.exists()
