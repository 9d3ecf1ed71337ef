"""Shared by each app's test_htmx_swap.py: a filter's htmx swap, applied as the browser would."""

import re

SWAP_ATTRS = re.compile(r'<[a-z]+\b[^>]*\bhx-target="#(?P<id>[\w-]+)"[^>]*>', re.S)


def page_after_swap(client, url, container, **params):
    """The full page, then the page as htmx leaves it after the filter form's swap."""
    page = client.get(url, params).content.decode()
    fragment = client.get(url, params, HTTP_HX_REQUEST="true").content.decode()
    form = next(m.group(0) for m in SWAP_ATTRS.finditer(page) if m["id"] == container)
    swap = re.search(r'hx-swap="(\w+)', form)
    style = swap.group(1) if swap else "innerHTML"  # htmx's default
    opening = re.search(rf'<(?P<tag>[a-z]+)\b[^>]*\bid="{container}"[^>]*>', page)
    depth, tag = 0, opening["tag"]
    for tag_match in re.finditer(rf"<(/?){tag}\b[^>]*>", page[opening.start() :]):
        depth += -1 if tag_match.group(1) else 1
        if depth == 0:
            close_start = opening.start() + tag_match.start()
            close_end = opening.start() + tag_match.end()
            break
    if style == "outerHTML":
        # outerHTML replaces the container, so the fragment must be the container itself.
        assert re.match(rf'\s*<{tag}\b[^>]*\bid="{container}"', fragment), fragment[:200]
        return page, page[: opening.start()] + fragment + page[close_end:]
    assert style == "innerHTML"
    return page, page[: opening.end()] + fragment + page[close_start:]


def assert_swap_does_not_nest(client, url, container, **params):
    page, swapped = page_after_swap(client, url, container, **params)
    marker = f'id="{container}"'
    assert page.count(marker) == 1
    assert swapped.count(marker) == 1, f"a filter on {url} nests #{container} in itself"
