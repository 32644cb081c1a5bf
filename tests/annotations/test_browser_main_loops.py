"""Each role's main loop in a real browser, on a laptop (1366x900) and a phone (390x844).

On every page of the loop: the page is no wider than the screen (document width equals viewport
width), no request fails with 404 (the favicon), and axe-core finds no serious or critical problem. Where
the loop shows a film, the film and the primary action are on screen without scrolling.
"""

from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.conftest import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SIZES = {"laptop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}
AXE = Path(__file__).resolve().parent.parent.parent / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(params=list(SIZES))
def sized_page(request, browser, live_server):  # type: ignore[no-untyped-def]
    context = browser.new_context(base_url=live_server.url, locale="nl-NL", viewport=SIZES[request.param])
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.not_found = []  # type: ignore[attr-defined]
    page.on("response", lambda response: response.status == 404 and page.not_found.append(response.url))
    yield page
    context.close()


def _check_page(page) -> None:  # type: ignore[no-untyped-def]
    page.wait_for_load_state("load")
    widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] == widths[1], f"{page.url} is {widths[0]} px wide on a {widths[1]} px screen"
    assert page.not_found == [], page.not_found
    if not AXE.exists():
        pytest.skip("axe-core is not installed (make test runs npm ci)")
    page.evaluate(AXE.read_text())
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    serious = [
        f"{violation['id']}: {node['target']}"
        for violation in result["violations"]
        if violation["impact"] in ("serious", "critical")
        for node in violation["nodes"]
    ]
    assert serious == [], f"{page.url}: {serious}"


def _on_screen(page, locator) -> None:  # type: ignore[no-untyped-def]
    """Fully inside the first screen, without scrolling."""
    assert page.evaluate("() => window.scrollY") == 0
    box = locator.bounding_box()
    viewport = page.viewport_size
    assert box is not None
    assert box["y"] >= 0 and box["y"] + box["height"] <= viewport["height"], (page.url, box)
    assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"], (page.url, box)


def _visit(page, url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(url)
    _check_page(page)


@pytest.mark.django_db(transaction=True)
def test_the_professionals_loop(sized_page, professional, supervisor, playable_recording, make_annotation):
    page = sized_page
    make_annotation(playable_recording, supervisor, kind="feedback", start_ms=800, text="Mooi moment")
    browser_login(page, professional)
    _check_page(page)
    _on_screen(page, page.get_by_role("link", name="Nieuwe opname"))

    _visit(page, reverse("recordings:list"))
    _visit(page, reverse("recordings:detail", args=[playable_recording.pk]))
    _on_screen(page, page.locator(".film video"))
    _on_screen(page, page.get_by_role("link", name="Open de analysewerkplek"))

    page.get_by_role("link", name="Open de analysewerkplek").click()
    page.wait_for_function("() => document.querySelector('[data-video]')?.readyState >= 1")
    _check_page(page)
    _on_screen(page, page.locator("[data-video]"))
    mark = page.get_by_role("button", name="Dit moment markeren")
    _on_screen(page, mark)
    mark.click()
    text = page.get_by_label("Tekst", exact=True)
    expect(text).to_be_visible()
    expect(text).to_be_in_viewport()
    expect(page.locator("[data-video]")).to_be_in_viewport()  # the film stays in view above the form
    assert page.evaluate("() => document.documentElement.scrollWidth") == page.viewport_size["width"]

    _visit(page, reverse("notifications:list"))


@pytest.mark.django_db(transaction=True)
def test_the_supervisors_loop(sized_page, professional, supervisor, playable_recording):
    page = sized_page
    browser_login(page, supervisor)
    _check_page(page)
    _on_screen(page, page.get_by_role("link", name="Feedbackwachtrij").last)

    _visit(page, reverse("annotations:queue"))
    page.get_by_role("link", name="Feedback geven").click()
    page.wait_for_function("() => document.querySelector('[data-video]')?.readyState >= 1")
    _check_page(page)
    _on_screen(page, page.locator("[data-video]"))
    _on_screen(page, page.get_by_role("button", name="Dit moment markeren"))

    _visit(page, reverse("annotations:cycle", args=[playable_recording.cycle_id]))
    _on_screen(page, page.get_by_role("button", name="Cyclus als besproken markeren"))


@pytest.mark.django_db(transaction=True)
def test_the_coordinators_loop(sized_page, coordinator, professional):
    page = sized_page
    browser_login(page, coordinator)
    _check_page(page)
    _on_screen(page, page.get_by_role("link", name="Opleidingsoverzicht").last)
    _visit(page, reverse("courses:overview"))
    _visit(page, reverse("certification:overview"))


@pytest.mark.django_db(transaction=True)
def test_side_by_side_is_two_columns_on_a_laptop_and_stacked_on_a_phone(
    sized_page, professional, playable_recording, film_path, sprite_bytes
):
    from tests.annotations.conftest import make_playable

    review = make_playable(professional, film_path, sprite_bytes)
    review.kind = "review_conversation"
    review.cycle = playable_recording.cycle
    review.save(update_fields=["kind", "cycle"])
    page = sized_page
    browser_login(page, professional)

    _visit(page, reverse("annotations:cycle", args=[playable_recording.cycle_id]))

    boxes = [panel.bounding_box() for panel in page.locator(".side-by-side > div").all()]
    assert len(boxes) == 2 and all(boxes)
    if page.viewport_size["width"] > 900:
        assert boxes[0]["y"] == boxes[1]["y"] and boxes[0]["x"] + boxes[0]["width"] <= boxes[1]["x"]
    else:
        assert boxes[0]["y"] + boxes[0]["height"] <= boxes[1]["y"]
