"""Content packs: a site's licensed wording for an instrument whose text we may not ship.

A pack is JSON ``{"instrument": slug, "version": "1.0.0", "language": "en",
"intro": "...", "items": {linkId: {"text": "...", "options": {code: "label"}}}}`` or a
REDCap data dictionary with the same field names and choice codes. It must match the
instrument's structure exactly; otherwise nothing is saved and every mismatch is named.
"""

from __future__ import annotations

import json
from typing import Any

from django.utils.translation import gettext as _

from kindred.observe.engine.definition import Definition
from kindred.observe.engine.redcap import RedcapError, content_pack_from_dictionary


class ContentPackError(ValueError):
    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))


def read_content_pack(data: bytes | str, *, filename: str = "") -> dict[str, Any]:
    """The pack as {"language", "intro", "items"} from JSON or a REDCap dictionary."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ContentPackError([_("The file is not UTF-8 text.")]) from None
    stripped = data.lstrip()
    if filename.lower().endswith(".csv") or not stripped.startswith("{"):
        try:
            return {"items": content_pack_from_dictionary(data), "language": "", "intro": ""}
        except RedcapError as exc:
            raise ContentPackError(exc.problems) from None
    try:
        raw = json.loads(stripped)
    except ValueError as exc:
        raise ContentPackError(
            [_("The file is not valid JSON: %(error)s") % {"error": exc}]
        ) from None
    if not isinstance(raw, dict) or not isinstance(raw.get("items"), dict):
        raise ContentPackError([_('A JSON content pack needs an "items" object.')])
    return {
        "instrument": raw.get("instrument", ""),
        "version": raw.get("version", ""),
        "language": raw.get("language", ""),
        "intro": raw.get("intro", ""),
        "items": raw["items"],
    }


def check_content_pack(defn: Definition, pack: dict[str, Any]) -> dict[str, Any]:
    """The item texts of ``pack`` if it matches ``defn``'s structure; else ContentPackError."""
    problems: list[str] = []
    if pack.get("instrument") and pack["instrument"] != defn.slug:
        problems.append(
            _("The pack is for %(pack)s, not %(slug)s.")
            % {"pack": pack["instrument"], "slug": defn.slug}
        )
    if pack.get("version") and pack["version"] != defn.version:
        problems.append(
            _("The pack is for version %(pack)s, not %(version)s.")
            % {"pack": pack["version"], "version": defn.version}
        )
    items = pack.get("items", {})
    texts: dict[str, Any] = {}
    for link_id, entry in items.items():
        item = defn.item(link_id)
        if item is None:
            problems.append(
                _("%(id)s: not an item of %(slug)s %(version)s.")
                % {"id": link_id, "slug": defn.slug, "version": defn.version}
            )
            continue
        if not isinstance(entry, dict) or not str(entry.get("text", "")).strip():
            problems.append(_("%(id)s: needs a text.") % {"id": link_id})
            continue
        clean: dict[str, Any] = {"text": str(entry["text"])[:2000]}
        if item.type in {"choice", "multi_choice"}:
            options = entry.get("options") or {}
            expected = [o.code for o in item.options]
            if not isinstance(options, dict) or sorted(options) != sorted(expected):
                got = (", ".join(sorted(options)) if isinstance(options, dict) else "") or "none"
                wanted = ", ".join(expected)
                problems.append(
                    _("%(id)s: options must be exactly %(wanted)s (got %(got)s).")
                    % {"id": link_id, "wanted": wanted, "got": got}
                )
                continue
            clean["options"] = {code: str(label)[:500] for code, label in options.items()}
        texts[link_id] = clean
    for item in defn.answerable_items:
        if item.link_id not in items:
            problems.append(_("%(id)s: missing from the pack.") % {"id": item.link_id})
    if problems:
        raise ContentPackError(problems)
    return texts
