"""Systems models, split by sub-area: commitments, learning, the service directory and
referrals. Access rules live on the querysets and models, once (``visible_to``,
``can_edit``)."""

from kindred.systems.models.commitments import (
    Commitment,
    Milestone,
    ProgressUpdate,
)
from kindred.systems.models.directory import (
    Need,
    OrganizationHsdsId,
    Schedule,
    Service,
    ServiceAtLocation,
    ServiceLocation,
)
from kindred.systems.models.learning import (
    Certificate,
    Competency,
    Enrolment,
    LearningPath,
    Module,
    ModulePage,
    ModuleProgress,
    QuizQuestion,
)
from kindred.systems.models.referrals import Referral, ReferralEvent

__all__ = [
    "Certificate",
    "Commitment",
    "Competency",
    "Enrolment",
    "LearningPath",
    "Milestone",
    "Module",
    "ModulePage",
    "ModuleProgress",
    "Need",
    "OrganizationHsdsId",
    "ProgressUpdate",
    "QuizQuestion",
    "Referral",
    "ReferralEvent",
    "Schedule",
    "Service",
    "ServiceAtLocation",
    "ServiceLocation",
]
