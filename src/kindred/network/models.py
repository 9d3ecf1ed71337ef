"""The network: people, organizations, communities, and the ties between them.

Access rules live here, once: ``MemberProfile.objects.visible_to(user)``,
``Community.can_organize(user)``, ``Organization.can_edit(user)`` and friends. Writes that
touch several rows or leave an audit trail are in ``services.py``.
"""

from __future__ import annotations

from statistics import mean

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Case, Count, Exists, F, OuterRef, Q, When
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from kindred.core.models import Role, Sector, Topic
from kindred.places.models import County, State, ZipCode


def _is_staff(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and (user.is_staff or user.is_superuser))


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Everyone")
    MEMBERS = "members", _("Signed-in members")
    HIDDEN = "hidden", _("Only me")


class Language(models.Model):
    """A language a member speaks (ISO 639 code), seeded by a data migration."""

    code = models.CharField(_("code"), max_length=12, primary_key=True)
    name_en = models.CharField(_("name (English)"), max_length=80)
    name_es = models.CharField(_("name (Spanish)"), max_length=80)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["sort_order", "name_en"]
        verbose_name = _("language")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_es if (get_language() or "en").startswith("es") else self.name_en


# --- People ---------------------------------------------------------------------------------


class MemberProfileQuerySet(models.QuerySet):
    def visible_to(self, user, *, own: bool = True) -> MemberProfileQuerySet:
        """Profiles ``user`` may see: public to all, members to signed-in people, hidden
        only to the person themselves (and to network staff). ``own=False`` leaves out the
        person's own hidden profile: what every signed-in member sees alike, for views
        shared between them."""
        if _is_staff(user):
            return self.all()
        if not getattr(user, "is_authenticated", False):
            return self.filter(visibility=Visibility.PUBLIC)
        shared = Q(visibility__in=[Visibility.PUBLIC, Visibility.MEMBERS])
        return self.filter(shared | Q(user=user) if own else shared)

    def listed(self) -> MemberProfileQuerySet:
        """Profiles their owners list in the directory, of accounts that are active.

        ``account_active`` is the profile's copy of ``User.is_active`` (kept by a signal), so
        that the directory reads its own index rather than the accounts table."""
        return self.filter(listed_in_directory=True, account_active=True)

    def directory_for(self, user) -> MemberProfileQuerySet:
        """Directory entries for ``user``: listed, public (or members-only for signed-in
        people; hidden profiles never appear), and not from anyone who blocked them."""
        if _is_staff(user):
            qs = self.listed()
        elif getattr(user, "is_authenticated", False):
            qs = self.listed().filter(visibility__in=[Visibility.PUBLIC, Visibility.MEMBERS])
        else:
            qs = self.listed().filter(visibility=Visibility.PUBLIC)
        if getattr(user, "is_authenticated", False):
            blockers = list(Block.objects.filter(blocked=user).values_list("blocker_id", flat=True))
            if blockers:
                qs = qs.exclude(user_id__in=blockers)
        return qs

    def suggested_for(self, profile: MemberProfile) -> MemberProfileQuerySet:
        """Listed people near ``profile`` (same county first, then same state) who work in
        sectors other than theirs: the ties that cross silos."""
        if not profile.state_id:
            return self.none()
        mine = list(profile.sectors.values_list("pk", flat=True))
        has_sector = Exists(
            MemberProfile.sectors.through.objects.filter(memberprofile_id=OuterRef("pk"))
        )
        return (
            self.directory_for(profile.user)
            .filter(has_sector, state_id=profile.state_id)
            .exclude(user_id=profile.user_id)
            .exclude(sectors__in=mine)
            .annotate(near=Case(When(county_id=profile.county_id, then=0), default=1))
            .order_by("near", "-created", "-id")
            .select_related("county", "state")
            .prefetch_related("roles", "sectors")
        )


LISTED = Q(listed_in_directory=True, account_active=True)


class MemberProfile(models.Model):
    """What a person shares with the network; one per account, created when they join."""

    class Contact(models.TextChoices):
        EMAIL = "email", _("Email")
        PHONE = "phone", _("Phone call")
        TEXT = "text", _("Text message")
        IN_APP = "in_app", _("Message in Kindred")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="profile", verbose_name=_("user")
    )
    display_name = models.CharField(_("name"), max_length=150)
    pronouns = models.CharField(_("pronouns"), max_length=40, blank=True)
    roles = models.ManyToManyField(
        Role, blank=True, related_name="member_profiles", verbose_name=_("roles")
    )
    sectors = models.ManyToManyField(
        Sector, blank=True, related_name="member_profiles", verbose_name=_("sectors")
    )
    topics = models.ManyToManyField(
        Topic, blank=True, related_name="member_profiles", verbose_name=_("topics")
    )
    languages = models.ManyToManyField(
        Language, blank=True, related_name="member_profiles", verbose_name=_("languages")
    )
    zip_code = models.ForeignKey(
        ZipCode, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("ZIP")
    )
    county = models.ForeignKey(
        County, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("county")
    )
    state = models.ForeignKey(
        State, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("state")
    )
    bio = models.TextField(_("about me"), max_length=2000, blank=True)
    photo = models.ImageField(_("photo"), upload_to="network/photos/%Y/%m/", blank=True)
    visibility = models.CharField(
        _("who can see my profile"),
        max_length=10,
        choices=Visibility.choices,
        default=Visibility.MEMBERS,
    )
    listed_in_directory = models.BooleanField(_("list me in the directory"), default=False)
    # A copy of user.is_active (see sync_account_active): deactivated people leave the
    # directory without a join to the accounts table on every search.
    account_active = models.BooleanField(_("account active"), default=True, editable=False)
    contact_methods = models.JSONField(_("how to contact me"), default=list, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    accepted_terms_at = models.DateTimeField(_("accepted the terms"), null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True, db_index=True)
    updated = models.DateTimeField(auto_now=True)

    objects = MemberProfileQuerySet.as_manager()

    class Meta:
        ordering = ["display_name", "id"]
        verbose_name = _("member profile")
        indexes = [
            # The directory's page order for every viewer. Partial indexes: SQLite can use
            # a bare "listed_in_directory AND account_active" (how Django writes True) only
            # as an index's condition, never as an equality on its columns. Visibility (one
            # value for visitors, two for members) comes after the order, read from the
            # index without breaking it; user_id for the exclusions.
            models.Index(
                fields=["display_name", "id", "visibility", "user_id"],
                condition=LISTED,
                name="network_listed_name",
            ),
            # A state or county filter: the place's listed people, already in page order.
            models.Index(
                fields=["state", "display_name", "id"],
                condition=LISTED,
                name="network_listed_state",
            ),
            models.Index(
                fields=["county", "display_name", "id"],
                condition=LISTED,
                name="network_listed_county",
            ),
            models.Index(fields=["display_name", "id"], name="network_profile_name"),
        ]

    def __str__(self) -> str:
        return self.display_name

    def get_absolute_url(self) -> str:
        return reverse("network:profile", args=[self.pk])

    def can_edit(self, user) -> bool:
        return getattr(user, "is_authenticated", False) and (
            user.pk == self.user_id or _is_staff(user)
        )

    @property
    def place_label(self) -> str:
        if self.county_id and self.state_id:
            return f"{self.county.name}, {self.state.usps}"
        return self.state.name if self.state_id else ""


class SearchToken(models.Model):
    """One word a profile can be found by (name, city, county, organizations), lower-cased
    and without accents. Directory text search matches word prefixes through the index on
    ``token``, the same way on SQLite and PostgreSQL. Kept current by
    ``services.refresh_search_text()``."""

    profile = models.ForeignKey(MemberProfile, models.CASCADE, related_name="search_tokens")
    token = models.CharField(max_length=50)

    class Meta:
        verbose_name = _("search word")
        constraints = [
            models.UniqueConstraint(fields=["profile", "token"], name="network_token_once")
        ]
        indexes = [models.Index(fields=["token", "profile"], name="network_token_lookup")]

    def __str__(self) -> str:
        return self.token


# --- Organizations --------------------------------------------------------------------------


class OrganizationQuerySet(models.QuerySet):
    def visible_to(self, user) -> OrganizationQuerySet:
        """Organization pages are public; the rule is here so that it can change once."""
        return self.all()


class Organization(models.Model):
    """A clinic, program, agency, nonprofit or coalition that takes part in the network."""

    name = models.CharField(_("name"), max_length=200, db_index=True)
    slug = models.SlugField(_("web address"), max_length=220, unique=True)
    description = models.TextField(_("description"), max_length=4000, blank=True)
    website = models.URLField(_("website"), blank=True)
    sectors = models.ManyToManyField(
        Sector, blank=True, related_name="organizations", verbose_name=_("sectors")
    )
    zip_code = models.ForeignKey(
        ZipCode, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("ZIP")
    )
    county = models.ForeignKey(
        County, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("county")
    )
    state = models.ForeignKey(
        State, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("state")
    )
    counties_served = models.ManyToManyField(
        County, blank=True, related_name="organizations_serving", verbose_name=_("counties served")
    )
    states_served = models.ManyToManyField(
        State, blank=True, related_name="organizations_serving", verbose_name=_("states served")
    )
    is_verified = models.BooleanField(_("verified by network staff"), default=False)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True, db_index=True)
    updated = models.DateTimeField(auto_now=True)

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("organization")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("network:organization", args=[self.slug])

    def can_edit(self, user) -> bool:
        """Organization admins and network staff may edit the page and its members."""
        if not getattr(user, "is_authenticated", False):
            return False
        if _is_staff(user):
            return True
        return self.memberships.filter(user=user, role=OrganizationMembership.Role.ADMIN).exists()


class OrganizationMembership(models.Model):
    """A person's affiliation with an organization: their title and their rights on its page."""

    class Role(models.TextChoices):
        ADMIN = "admin", _("Administrator")
        MEMBER = "member", _("Member")

    organization = models.ForeignKey(
        Organization, models.CASCADE, related_name="memberships", verbose_name=_("organization")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="organization_memberships",
        verbose_name=_("person"),
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    title = models.CharField(_("title"), max_length=150, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organization__name", "id"]
        verbose_name = _("affiliation")
        constraints = [
            models.UniqueConstraint(fields=["organization", "user"], name="network_orgmember_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organization}"

    @property
    def is_admin(self) -> bool:
        return self.role == self.Role.ADMIN


# --- Communities ----------------------------------------------------------------------------


class CommunityQuerySet(models.QuerySet):
    def active(self) -> CommunityQuerySet:
        return self.filter(is_active=True)

    def visible_to(self, user) -> CommunityQuerySet:
        """Community pages are public while active; staff also see inactive ones."""
        return self.all() if _is_staff(user) else self.active()

    def with_member_count(self) -> CommunityQuerySet:
        return self.annotate(
            member_count=Count(
                "memberships", filter=Q(memberships__status=CommunityMembership.Status.ACTIVE)
            )
        )

    def count_members(self, communities) -> list[Community]:
        """``communities`` (a page of them) as a list, each with ``member_count`` set, in one
        query that counts only their memberships through the (community, status) index.
        ``with_member_count()`` on a whole list groups every membership in the network."""
        communities = list(communities)
        counts = dict(
            CommunityMembership.objects.filter(
                community_id__in=[c.pk for c in communities],
                status=CommunityMembership.Status.ACTIVE,
            )
            .values_list("community_id")
            .annotate(n=Count("*"))
            .values_list("community_id", "n")
            .order_by()
        )
        for community in communities:
            community.member_count = counts.get(community.pk, 0)
        return communities

    def suggested_for(self, profile: MemberProfile) -> CommunityQuerySet:
        """Communities for a member: their county's first, then their state's hub, then
        communities about their topics, then the national network."""
        topics = [topic.pk for topic in profile.topics.all()]
        whens = [
            When(level=Community.Level.TOPIC, topic_id__in=topics, then=2),
            When(level=Community.Level.NATIONAL, then=3),
        ]
        if profile.state_id:
            whens.insert(0, When(level=Community.Level.STATE, state_id=profile.state_id, then=1))
        if profile.county_id:
            whens.insert(0, When(county_id=profile.county_id, then=0))
        relevance = Case(*whens, default=9)
        return (
            self.active()
            .exclude(memberships__user_id=profile.user_id)
            .annotate(relevance=relevance)
            .filter(relevance__lt=9)
            .with_member_count()
            .select_related("state", "county", "topic")
            .order_by("relevance", "name")
        )


class Community(models.Model):
    """A hub of the network at one level (a neighborhood up to the national network, or a
    topic). Communities nest under several parents and link to peers, as in Hylo."""

    class Level(models.TextChoices):
        NEIGHBORHOOD = "neighborhood", _("Neighborhood")
        CITY = "city", _("City or town")
        COUNTY = "county", _("County")
        STATE = "state", _("State")
        NATIONAL = "national", _("National")
        TOPIC = "topic", _("Topic")

    class JoinPolicy(models.TextChoices):
        OPEN = "open", _("Anyone can join")
        QUESTIONS = "questions", _("Answer a few questions; organizers welcome you in")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("web address"), max_length=220, unique=True)
    level = models.CharField(_("level"), max_length=15, choices=Level.choices, db_index=True)
    description = models.TextField(_("description"), max_length=4000, blank=True)
    state = models.ForeignKey(
        State, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("state")
    )
    county = models.ForeignKey(
        County, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("county")
    )
    topic = models.ForeignKey(
        Topic, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("topic")
    )
    join_policy = models.CharField(
        _("how people join"), max_length=10, choices=JoinPolicy.choices, default=JoinPolicy.OPEN
    )
    join_questions = models.TextField(
        _("join questions"), blank=True, help_text=_("One question per line.")
    )
    parents = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="children",
        verbose_name=_("part of"),
    )
    peers = models.ManyToManyField(
        "self", symmetrical=True, blank=True, verbose_name=_("linked communities")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    is_active = models.BooleanField(_("active"), default=True)
    created = models.DateTimeField(auto_now_add=True)

    objects = CommunityQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("community")
        verbose_name_plural = _("communities")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("network:community", args=[self.slug])

    @property
    def question_list(self) -> list[str]:
        return [line.strip() for line in self.join_questions.splitlines() if line.strip()]

    def membership_for(self, user) -> CommunityMembership | None:
        if not getattr(user, "is_authenticated", False):
            return None
        return self.memberships.filter(user=user).first()

    def is_member(self, user) -> bool:
        if not getattr(user, "is_authenticated", False):
            return False
        return self.memberships.filter(user=user, status=CommunityMembership.Status.ACTIVE).exists()

    def can_organize(self, user) -> bool:
        """Active organizers and network staff run the community."""
        if _is_staff(user):
            return True
        if not getattr(user, "is_authenticated", False):
            return False
        return self.memberships.filter(
            user=user,
            role=CommunityMembership.Role.ORGANIZER,
            status=CommunityMembership.Status.ACTIVE,
        ).exists()


class CommunityMembership(models.Model):
    """A person in a community: organizer or member, and whether they are in yet."""

    class Role(models.TextChoices):
        ORGANIZER = "organizer", _("Organizer")
        MEMBER = "member", _("Member")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for a welcome")
        ACTIVE = "active", _("Member")
        DECLINED = "declined", _("Not accepted")

    community = models.ForeignKey(
        Community, models.CASCADE, related_name="memberships", verbose_name=_("community")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="community_memberships",
        verbose_name=_("person"),
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    answers = models.TextField(_("answers to the join questions"), blank=True)
    joined_at = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created"]
        verbose_name = _("community membership")
        constraints = [
            models.UniqueConstraint(fields=["community", "user"], name="network_commember_once")
        ]
        indexes = [
            models.Index(fields=["community", "status", "role"], name="network_commember_status")
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.community}"


class PostQuerySet(models.QuerySet):
    def visible_to(self, user) -> PostQuerySet:
        """Posts are for active members of their community (and network staff)."""
        if _is_staff(user):
            return self.all()
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(
            community__memberships__user=user,
            community__memberships__status=CommunityMembership.Status.ACTIVE,
        )


class Post(models.Model):
    """An announcement from organizers, or a discussion any member starts."""

    class Kind(models.TextChoices):
        ANNOUNCEMENT = "announcement", _("Announcement")
        DISCUSSION = "discussion", _("Discussion")

    community = models.ForeignKey(
        Community, models.CASCADE, related_name="posts", verbose_name=_("community")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        related_name="community_posts",
        verbose_name=_("author"),
    )
    kind = models.CharField(_("kind"), max_length=15, choices=Kind.choices, default=Kind.DISCUSSION)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message"), max_length=10000)
    created = models.DateTimeField(auto_now_add=True)

    objects = PostQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("post")
        indexes = [models.Index(fields=["community", "-created"], name="network_post_recent")]

    def __str__(self) -> str:
        return self.title


# --- Person-to-person connections -----------------------------------------------------------


class Connection(models.Model):
    """A request from one person to another; once accepted, they are connected."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for an answer")
        ACCEPTED = "accepted", _("Connected")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    from_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="connections_sent"
    )
    to_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="connections_received"
    )
    note = models.TextField(_("note"), max_length=1000, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    created = models.DateTimeField(auto_now_add=True)
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("connection")
        constraints = [
            models.UniqueConstraint(
                fields=["from_user", "to_user"], name="network_connection_once"
            ),
            models.CheckConstraint(
                condition=~Q(from_user=F("to_user")), name="network_connection_not_self"
            ),
        ]
        indexes = [
            models.Index(fields=["to_user", "status"], name="network_connection_to"),
            models.Index(fields=["from_user", "status"], name="network_connection_from"),
        ]

    def __str__(self) -> str:
        return f"{self.from_user_id} → {self.to_user_id} ({self.status})"

    def other(self, user):
        return self.to_user if user.pk == self.from_user_id else self.from_user


class Block(models.Model):
    """``blocker`` does not want contact from ``blocked``: no requests, no directory entry."""

    blocker = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="blocks_made"
    )
    blocked = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="blocks_received"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("block")
        constraints = [
            models.UniqueConstraint(fields=["blocker", "blocked"], name="network_block_once"),
            models.CheckConstraint(
                condition=~Q(blocker=F("blocked")), name="network_block_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.blocker_id} blocks {self.blocked_id}"


# --- Organization-to-organization partnerships (PARTNER-style, domain.md §11) ---------------


class Partnership(models.Model):
    """A working relationship between two organizations, stored once per pair with
    ``org_a.pk < org_b.pk`` so that (A, B) and (B, A) cannot both exist."""

    class Type(models.TextChoices):
        REFERRALS = "referrals", _("Referrals")
        SHARED_PROGRAMS = "shared_programs", _("Shared programs")
        DATA_SHARING = "data_sharing", _("Data sharing")
        FUNDING = "funding", _("Funding")
        JOINT_ADVOCACY = "joint_advocacy", _("Joint advocacy")

    org_a = models.ForeignKey(Organization, models.CASCADE, related_name="partnerships_as_a")
    org_b = models.ForeignKey(Organization, models.CASCADE, related_name="partnerships_as_b")
    types = models.JSONField(_("kinds of work together"), default=list, blank=True)
    started = models.DateField(_("working together since"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("partnership")
        constraints = [
            models.UniqueConstraint(fields=["org_a", "org_b"], name="network_partnership_once"),
            models.CheckConstraint(
                condition=Q(org_a__lt=F("org_b")), name="network_partnership_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.org_a} ↔ {self.org_b}"

    @staticmethod
    def ordered(first: Organization, second: Organization) -> tuple[Organization, Organization]:
        """The pair in storage order (lower primary key first)."""
        return (first, second) if first.pk < second.pk else (second, first)


class SurveyRound(models.Model):
    """A partnership survey an organizer runs among a community's organizations."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    community = models.ForeignKey(
        Community, models.CASCADE, related_name="survey_rounds", verbose_name=_("community")
    )
    title = models.CharField(_("title"), max_length=200)
    opens = models.DateField(_("opens"))
    closes = models.DateField(_("closes"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opens", "-id"]
        verbose_name = _("partnership survey round")

    def __str__(self) -> str:
        return self.title


_SCORE = [MinValueValidator(1), MaxValueValidator(4)]
_TRUST_FIELDS = ("trust_openness", "trust_reliability", "trust_shared_mission")
_VALUE_FIELDS = ("value_influence", "value_resources", "value_involvement")


class PartnershipRating(models.Model):
    """How one organization rates a partner, on PARTNER's trust and value items (1–4 each)."""

    TRUST_FIELDS = _TRUST_FIELDS
    VALUE_FIELDS = _VALUE_FIELDS

    partnership = models.ForeignKey(Partnership, models.CASCADE, related_name="ratings")
    rater_org = models.ForeignKey(Organization, models.CASCADE, related_name="ratings_given")
    rated_org = models.ForeignKey(Organization, models.CASCADE, related_name="ratings_received")
    survey_round = models.ForeignKey(
        SurveyRound, models.SET_NULL, null=True, blank=True, related_name="ratings"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    trust_openness = models.PositiveSmallIntegerField(_("open to communication"), validators=_SCORE)
    trust_reliability = models.PositiveSmallIntegerField(_("reliable"), validators=_SCORE)
    trust_shared_mission = models.PositiveSmallIntegerField(
        _("shares our mission"), validators=_SCORE
    )
    value_influence = models.PositiveSmallIntegerField(_("power and influence"), validators=_SCORE)
    value_resources = models.PositiveSmallIntegerField(
        _("resources contributed"), validators=_SCORE
    )
    value_involvement = models.PositiveSmallIntegerField(
        _("level of involvement"), validators=_SCORE
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("partnership rating")
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    **{f"{name}__gte": 1 for name in _TRUST_FIELDS + _VALUE_FIELDS},
                    **{f"{name}__lte": 4 for name in _TRUST_FIELDS + _VALUE_FIELDS},
                ),
                name="network_rating_scores_1_to_4",
            ),
            models.CheckConstraint(
                condition=~Q(rater_org=F("rated_org")), name="network_rating_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rater_org} rates {self.rated_org}"

    @property
    def trust(self) -> float:
        return mean(getattr(self, name) for name in self.TRUST_FIELDS)

    @property
    def value(self) -> float:
        return mean(getattr(self, name) for name in self.VALUE_FIELDS)


# --- Precomputed network health -------------------------------------------------------------


class NetworkMetrics(models.Model):
    """A snapshot of network-health metrics for the nation, a state or a community,
    computed by a background task (the latest row per scope is the one shown)."""

    class Scope(models.TextChoices):
        NATIONAL = "national", _("National")
        STATE = "state", _("State")
        COMMUNITY = "community", _("Community")

    scope = models.CharField(_("scope"), max_length=10, choices=Scope.choices)
    state = models.ForeignKey(State, models.CASCADE, null=True, blank=True, related_name="+")
    community = models.ForeignKey(
        Community, models.CASCADE, null=True, blank=True, related_name="metrics"
    )
    computed_at = models.DateTimeField(_("computed at"), db_index=True)
    node_count = models.PositiveIntegerField(default=0)
    edge_count = models.PositiveIntegerField(default=0)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-computed_at", "-id"]
        verbose_name = _("network metrics")
        verbose_name_plural = _("network metrics")
        indexes = [
            models.Index(
                fields=["scope", "state", "community", "-computed_at"],
                name="network_metrics_latest",
            )
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.computed_at:%Y-%m-%d %H:%M}"
