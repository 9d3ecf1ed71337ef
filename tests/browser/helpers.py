"""Helpers the journeys share: accessibility checks and signing in."""

import json
from pathlib import Path

AXE = Path(__file__).with_name("vendor") / "axe.min.js"


def assert_accessible(page, *, context: str = "") -> None:
    """Run axe-core on the current page: no serious or critical violations."""
    page.evaluate(AXE.read_text())
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    bad = [v for v in result["violations"] if v["impact"] in {"serious", "critical"}]
    details = json.dumps(
        [
            {
                "id": v["id"],
                "impact": v["impact"],
                "help": v["help"],
                "nodes": [n["target"] for n in v["nodes"][:5]],
            }
            for v in bad
        ],
        indent=1,
    )
    assert not bad, f"Accessibility problems on {page.url} {context}:\n{details}"


def sign_in(page, base: str, email: str, password: str = "kindred-demo-2026") -> None:
    page.goto(base + "/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    page.locator("form:has(input[name=password]) [type=submit]").first.click()
    page.wait_for_load_state()
