from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PolicyConfig(AppConfig):
    name = "kindred.policy"
    verbose_name = _("Policy")

    def ready(self) -> None:
        from kindred.places.sections import register_state_section

        register_state_section(
            key="policy",
            title=_("Policy"),
            template="policy/_state_section_body.html",
            get_context=_state_section_context,
            empty_text=_("No state or local policy is tracked here yet."),
            order=40,
        )


def _state_section_context(request, state) -> dict:
    from kindred.policy.services import policies_for_state

    section = policies_for_state(state, user=request.user)
    return {"items": section.policies + section.actions, "policy_section": section}
