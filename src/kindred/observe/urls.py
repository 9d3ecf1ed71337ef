from django.urls import path

from kindred.observe.views import encounters, families, instruments, referrals, sites

app_name = "observe"

urlpatterns = [
    path("", sites.home, name="home"),
    path("network/", sites.network_summary, name="network"),
    path("instruments/", instruments.instrument_list, name="instruments"),
    path("instruments/import/", instruments.instrument_import, name="instrument-import"),
    path("sites/<slug:slug>/", sites.site_detail, name="site"),
    path("sites/<slug:slug>/families/", families.family_list, name="families"),
    path("sites/<slug:slug>/families/new/", families.family_create, name="family-create"),
    path("sites/<slug:slug>/audit/", sites.audit_log, name="audit"),
    path("sites/<slug:slug>/export.<str:fmt>", sites.site_export, name="export"),
    path("sites/<slug:slug>/reliability/", sites.site_reliability, name="reliability"),
    path("sites/<slug:slug>/content-packs/", sites.content_packs, name="content-packs"),
    path("sites/<slug:slug>/staff/", sites.site_members, name="site-members"),
    path("families/<int:pk>/", families.family_detail, name="family"),
    path("families/<int:pk>/edit/", families.family_edit, name="family-edit"),
    path("families/<int:pk>/consents/", families.consent_record, name="consent-record"),
    path(
        "families/<int:pk>/consents/<int:consent_id>/withdraw/",
        families.consent_withdraw,
        name="consent-withdraw",
    ),
    path("families/<int:pk>/visits/new/", encounters.encounter_new, name="encounter-new"),
    path("visits/<int:pk>/", encounters.encounter_detail, name="encounter"),
    path("visits/<int:pk>/finish/", encounters.encounter_finish, name="encounter-finish"),
    path("visits/<int:pk>/result/", encounters.encounter_result, name="encounter-result"),
    path("visits/<int:pk>/handout/", encounters.encounter_handout, name="encounter-handout"),
    path("visits/<int:pk>/handout.pdf", encounters.encounter_handout_pdf, name="encounter-pdf"),
    path("visits/<int:pk>/follow-up/", encounters.follow_up_update, name="follow-up"),
    path("visits/<int:pk>/referral/", referrals.send_referral, name="send-referral"),
    path("visits/<int:pk>/error/", encounters.encounter_error, name="encounter-error"),
    path(
        "visits/<int:pk>/second-rating/<int:version_id>/",
        encounters.second_rating_start,
        name="second-rating",
    ),
    path("responses/<int:pk>/", encounters.response_fill, name="response"),
    path("responses/<int:pk>/amend/", encounters.response_amend, name="response-amend"),
    path("responses/<int:pk>/error/", encounters.response_error, name="response-error"),
    path("alerts/<int:pk>/resolve/", encounters.alert_resolve, name="alert-resolve"),
]
