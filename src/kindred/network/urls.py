from django.urls import include, path

from kindred.network.views import (
    communities,
    connections,
    directory,
    join,
    organizations,
    people,
)

app_name = "network"

urlpatterns = [
    # Join, step by step
    path("join/", join.join_about, name="join"),
    path("join/zip/", join.join_zip, name="join-zip"),
    path("join/organizations/", join.join_organizations, name="join-organizations"),
    path("join/interests/", join.join_interests, name="join-interests"),
    path("join/account/", join.join_account, name="join-account"),
    path("welcome/", join.welcome, name="welcome"),
    # People
    path("people/<int:pk>/", people.profile_detail, name="profile"),
    path("me/", people.my_profile, name="my-profile"),
    path("me/edit/", people.profile_edit, name="profile-edit"),
    path("me/organizations/<slug:slug>/add/", people.affiliation_add, name="affiliation-add"),
    path("me/organizations/<int:pk>/remove/", people.affiliation_remove, name="affiliation-remove"),
    # Connections
    path("connections/", connections.my_connections, name="connections"),
    path("people/<int:user_id>/connect/", connections.connection_request, name="connect"),
    path("people/<int:user_id>/block/", connections.block, name="block"),
    path("people/<int:user_id>/unblock/", connections.unblock, name="unblock"),
    path(
        "connections/<int:pk>/respond/", connections.connection_respond, name="connection-respond"
    ),
    path(
        "connections/<int:pk>/withdraw/",
        connections.connection_withdraw,
        name="connection-withdraw",
    ),
    # Organizations
    path("organizations/", organizations.organization_list, name="organization-list"),
    path("organizations/new/", organizations.organization_create, name="organization-create"),
    path("organizations/<slug:slug>/", organizations.organization_detail, name="organization"),
    path(
        "organizations/<slug:slug>/edit/",
        organizations.organization_edit,
        name="organization-edit",
    ),
    path(
        "organizations/<slug:slug>/members/",
        organizations.organization_members,
        name="organization-members",
    ),
    path(
        "organizations/<slug:slug>/members/<int:pk>/",
        organizations.organization_member_change,
        name="organization-member-change",
    ),
    path(
        "organizations/<slug:slug>/verify/",
        organizations.organization_verify,
        name="organization-verify",
    ),
    # Communities
    path("communities/", communities.community_list, name="community-list"),
    path("communities/new/", communities.community_create, name="community-create"),
    path("communities/<slug:slug>/", communities.community_detail, name="community"),
    path("communities/<slug:slug>/people/", communities.community_people, name="community-people"),
    path("communities/<slug:slug>/edit/", communities.community_edit, name="community-edit"),
    path("communities/<slug:slug>/join/", communities.community_join, name="community-join"),
    path("communities/<slug:slug>/leave/", communities.community_leave, name="community-leave"),
    path(
        "communities/<slug:slug>/members/",
        communities.community_requests,
        name="community-requests",
    ),
    path(
        "communities/<slug:slug>/members/<int:pk>/",
        communities.community_decide,
        name="community-decide",
    ),
    path("communities/<slug:slug>/posts/", communities.community_post, name="community-post"),
    # Directory
    path("directory/", directory.directory, name="directory"),
    path("directory/export.csv", directory.directory_export, name="directory-export"),
    path("", include("kindred.network.urls_partners")),
]
