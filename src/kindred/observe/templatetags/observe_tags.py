from django import template

from kindred.observe.engine.definition import pick

register = template.Library()


@register.simple_tag
def spec_title(spec, language: str) -> str:
    return spec.title(language)


@register.simple_tag
def spec_text(text: dict, language: str) -> str:
    return pick(text, language)


@register.filter
def conditions_json(item) -> str:
    """An item's enableWhen as JSON for observe.js (escaped by the template)."""
    import json

    return json.dumps(
        {
            "behavior": item.enable_behavior,
            "conditions": [
                {"question": c.question, "operator": c.operator, "answer": c.answer}
                for c in item.enable_when
            ],
        }
    )
