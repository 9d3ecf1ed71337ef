from django.urls import path

from kindred.systems.views import commitments, directory, home, learning, referrals

app_name = "systems"

urlpatterns = [
    path("", home.index, name="index"),
    # commitments
    path("commitments/", commitments.commitment_list, name="commitments"),
    path("commitments/map/", commitments.commitment_map, name="commitment-map"),
    path("commitments/new/", commitments.commitment_new, name="commitment-new"),
    path("commitments/evidence/<int:pk>/", commitments.evidence_file, name="evidence"),
    path("commitments/<slug:slug>/", commitments.commitment_detail, name="commitment"),
    path(
        "commitments/<slug:slug>/progress/",
        commitments.commitment_update,
        name="commitment-progress",
    ),
    path("commitments/<slug:slug>/milestones/", commitments.milestone_add, name="milestone-add"),
    # learning
    path("learning/", learning.path_list, name="paths"),
    path("learning/competencies/", learning.competency_list, name="competencies"),
    path("learning/competencies/new/", learning.competency_edit, name="competency-new"),
    path(
        "learning/competencies/<slug:slug>/edit/", learning.competency_edit, name="competency-edit"
    ),
    path("learning/<slug:slug>/", learning.path_detail, name="path"),
    path("learning/<slug:slug>/enrol/", learning.path_enrol, name="path-enrol"),
    path("learning/<slug:slug>/finish/", learning.path_finish, name="path-finish"),
    path("learning/<slug:slug>/modules/<int:order>/", learning.module_detail, name="module"),
    path(
        "learning/<slug:slug>/modules/<int:order>/quiz/", learning.module_quiz, name="module-quiz"
    ),
    path("certificates/", learning.certificate_lookup, name="certificate-lookup"),
    path("certificates/<str:code>/", learning.certificate_detail, name="certificate"),
    path("certificates/<str:code>/pdf/", learning.certificate_download, name="certificate-pdf"),
    # service directory
    path("services/", directory.service_search, name="services"),
    path("services/<uuid:pk>/", directory.service_detail, name="service"),
    path("services/<uuid:pk>/edit/", directory.service_edit, name="service-edit"),
    path("services/<uuid:pk>/capacity/", directory.service_capacity, name="service-capacity"),
    path("services/<uuid:pk>/refer/", referrals.referral_new, name="referral-new"),
    path(
        "organizations/<slug:slug>/services/",
        directory.organization_services,
        name="organization-services",
    ),
    path("organizations/<slug:slug>/services/new/", directory.service_new, name="service-new"),
    path(
        "organizations/<slug:slug>/services/import/",
        directory.organization_import,
        name="organization-import",
    ),
    path(
        "organizations/<slug:slug>/learning/",
        learning.organization_learning,
        name="organization-learning",
    ),
    # referrals
    path("referrals/", referrals.referral_inbox, name="inbox"),
    path("referrals/sent/", referrals.referral_sent, name="sent"),
    path("referrals/metrics/", referrals.referral_metrics, name="referral-metrics"),
    path("referrals/<uuid:pk>/", referrals.referral_detail, name="referral"),
    path("referrals/<uuid:pk>/move/", referrals.referral_move, name="referral-move"),
    path("referrals/<uuid:pk>/fhir.json", referrals.referral_fhir, name="referral-fhir"),
]
