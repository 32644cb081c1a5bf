"""axe-core in a real browser: no serious or critical violation on the main pages of each role.

The main pages are the home page and every page the menu offers to that role, so a new page in the
menu is checked without changing this test.
"""

from pathlib import Path

import pytest

from tests.conftest import browser_login

AXE = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"


def _serious_violations(page) -> list[str]:  # type: ignore[no-untyped-def]
    # Evaluated over the DevTools protocol: a <script> tag would (rightly) be blocked by our CSP.
    page.evaluate(AXE.read_text())
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{violation['id']} ({violation['impact']}): {node['target']}"
        for violation in result["violations"]
        if violation["impact"] in ("serious", "critical")
        for node in violation["nodes"]
    ]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("persona", ["professional", "supervisor", "coordinator", "administrator"])
def test_main_pages_of_each_role_have_no_serious_accessibility_violations(request, page, persona):
    if not AXE.exists():
        pytest.skip("axe-core is not installed (make test runs npm ci)")
    browser_login(page, request.getfixturevalue(persona))
    menu = page.locator(".topbar nav a").evaluate_all("links => links.map(link => link.getAttribute('href'))")
    problems = {}
    for url in dict.fromkeys(["/", *menu]):
        page.goto(url)
        found = _serious_violations(page)
        if found:
            problems[url] = found
    assert problems == {}
