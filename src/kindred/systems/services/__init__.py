"""Writes of the systems area (and the reads other apps use), split by sub-area.

Other apps use: ``create_referral(...)`` and ``matching_services(...)`` (observe's result
page), ``needs_for_result(codes)``, and ``systems_for_state(state)`` (a state's page).
"""

from kindred.systems.services.commitments import (
    add_milestone,
    check_evidence_file,
    create_commitment,
    post_progress_update,
    state_change_summary,
)
from kindred.systems.services.directory import (
    create_location,
    create_service,
    hsds_id_for,
    matching_services,
    needs_for_result,
    set_capacity,
    update_service,
)
from kindred.systems.services.errors import SystemsError
from kindred.systems.services.learning import (
    complete_path,
    enrol_in_path,
    find_certificate,
    modules_left,
    staff_progress,
    submit_quiz,
)
from kindred.systems.services.referrals import (
    clean_shared_info,
    create_referral,
    move_referral,
    referral_metrics,
)
from kindred.systems.services.state import systems_for_state

__all__ = [
    "SystemsError",
    "add_milestone",
    "check_evidence_file",
    "clean_shared_info",
    "complete_path",
    "create_commitment",
    "create_location",
    "create_referral",
    "create_service",
    "enrol_in_path",
    "find_certificate",
    "hsds_id_for",
    "matching_services",
    "modules_left",
    "move_referral",
    "post_progress_update",
    "needs_for_result",
    "referral_metrics",
    "set_capacity",
    "state_change_summary",
    "staff_progress",
    "submit_quiz",
    "systems_for_state",
    "update_service",
]
