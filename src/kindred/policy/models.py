"""Policy tracker and advocacy actions.

Jurisdictions use Open Civic Data division identifiers; policies keep a dated status history
in which every change cites a source; advocacy actions collect signatures that must never be
lost or duplicated (see ``SignatureQuerySet.insert_once``).
"""

from __future__ import annotations

import re
import secrets

from django.conf import settings
from django.db import connection, models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from kindred.core.db import fast
from kindred.core.models import Topic
from kindred.places.models import County, State


def _is_spanish() -> bool:
    return (get_language() or "en").startswith("es")


def bilingual(obj, field: str) -> str:
    """The Spanish text of ``field`` when Spanish is active and filled in, else English."""
    if _is_spanish():
        value = getattr(obj, f"{field}_es", "")
        if value:
            return value
    return getattr(obj, f"{field}_en", "")


def can_manage_policy(user) -> bool:
    """Network staff record policies, statuses, officials and actions."""
    return bool(user and user.is_authenticated and user.is_active and user.is_staff)


class JurisdictionQuerySet(models.QuerySet):
    def states(self) -> JurisdictionQuerySet:
        return self.filter(level=Jurisdiction.Level.STATE)


class Jurisdiction(models.Model):
    """A government that makes policy: the United States, a state or DC, a county, a city."""

    class Level(models.TextChoices):
        FEDERAL = "federal", _("Federal")
        STATE = "state", _("State")
        COUNTY = "county", _("County")
        CITY = "city", _("City or town")

    ocd_id = models.CharField(_("Open Civic Data identifier"), max_length=200, unique=True)
    slug = models.SlugField(_("web address"), max_length=120, unique=True)
    name = models.CharField(_("name"), max_length=200)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices, db_index=True)
    state = models.ForeignKey(
        State, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("state")
    )
    county = models.ForeignKey(
        County, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("county")
    )
    parent = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="children"
    )

    objects = JurisdictionQuerySet.as_manager()

    class Meta:
        ordering = ["level", "name"]
        verbose_name = _("jurisdiction")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("policy:index") + f"?jurisdiction={self.slug}"

    @property
    def is_federal(self) -> bool:
        return self.level == self.Level.FEDERAL


class PolicyQuerySet(models.QuerySet):
    def visible_to(self, user) -> PolicyQuerySet:
        if can_manage_policy(user):
            return self
        return self.filter(is_published=True)

    def search(self, query: str) -> PolicyQuerySet:
        query = query.strip()
        if not query:
            return self
        condition = models.Q()
        for field in ("title_en", "title_es", "identifier", "summary_en", "summary_es"):
            condition |= models.Q(**{f"{field}__icontains": query})
        return self.filter(condition)

    def in_state(self, state: State) -> PolicyQuerySet:
        """Policies made by the state itself or by its counties and cities."""
        return self.filter(jurisdiction__state=state)


class Policy(models.Model):
    class Type(models.TextChoices):
        BILL = "bill", _("Bill")
        REGULATION = "regulation", _("Regulation")
        EXECUTIVE_ACTION = "executive_action", _("Executive action")
        BUDGET_ITEM = "budget_item", _("Budget item")
        BALLOT_MEASURE = "ballot_measure", _("Ballot measure")
        PROGRAM_RULE = "program_rule", _("Program rule")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        INTRODUCED = "introduced", _("Introduced")
        IN_COMMITTEE = "in_committee", _("In committee")
        PASSED_ONE_CHAMBER = "passed_one_chamber", _("Passed one chamber")
        ENACTED = "enacted", _("Enacted")
        IMPLEMENTING = "implementing", _("Implementing")
        IN_EFFECT = "in_effect", _("In effect")
        FAILED = "failed", _("Failed")
        REPEALED = "repealed", _("Repealed")

    class Position(models.TextChoices):
        SUPPORT = "support", _("Support")
        OPPOSE = "oppose", _("Oppose")
        WATCH = "watch", _("Watch")

    # Statuses that count as "in place" on maps and the matrix, strongest first.
    ADOPTED = (Status.IN_EFFECT, Status.IMPLEMENTING, Status.ENACTED)
    PENDING = (
        Status.PASSED_ONE_CHAMBER,
        Status.IN_COMMITTEE,
        Status.INTRODUCED,
        Status.PROPOSED,
    )

    slug = models.SlugField(_("web address"), max_length=120, unique=True)
    title_en = models.CharField(_("title (English)"), max_length=250)
    title_es = models.CharField(_("title (Spanish)"), max_length=250, blank=True)
    jurisdiction = models.ForeignKey(
        Jurisdiction, models.PROTECT, related_name="policies", verbose_name=_("jurisdiction")
    )
    policy_type = models.CharField(_("type"), max_length=20, choices=Type.choices)
    identifier = models.CharField(
        _("identifier"), max_length=60, blank=True, help_text=_("For example a bill number.")
    )
    ocd_id = models.CharField(_("Open Civic Data bill identifier"), max_length=200, blank=True)
    topics = models.ManyToManyField(
        Topic, related_name="policies", blank=True, verbose_name=_("topics")
    )
    summary_en = models.TextField(_("plain-language summary (English)"))
    summary_es = models.TextField(_("plain-language summary (Spanish)"), blank=True)
    why_it_matters_en = models.TextField(_("why it matters for relational health (English)"))
    why_it_matters_es = models.TextField(
        _("why it matters for relational health (Spanish)"), blank=True
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, db_index=True)
    status_date = models.DateField(_("status date"), null=True, blank=True)
    effective_date = models.DateField(_("effective date"), null=True, blank=True)
    last_verified = models.DateField(_("last verified"), null=True, blank=True)
    position = models.CharField(_("network position"), max_length=10, choices=Position.choices)
    position_rationale_en = models.TextField(_("why we take this position (English)"), blank=True)
    position_rationale_es = models.TextField(_("why we take this position (Spanish)"), blank=True)
    related = models.ManyToManyField("self", blank=True, verbose_name=_("related policies"))
    is_fictional = models.BooleanField(
        _("fictional demo policy"),
        default=False,
        help_text=_("Demo data only: shown with a clear label."),
    )
    is_published = models.BooleanField(_("published"), default=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = PolicyQuerySet.as_manager()

    class Meta:
        ordering = ["jurisdiction__name", "title_en"]
        verbose_name = _("policy")
        verbose_name_plural = _("policies")
        indexes = [models.Index(fields=["jurisdiction", "status"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("policy:policy", args=[self.slug])

    @property
    def title(self) -> str:
        return bilingual(self, "title")

    @property
    def summary(self) -> str:
        return bilingual(self, "summary")

    @property
    def why_it_matters(self) -> str:
        return bilingual(self, "why_it_matters")

    @property
    def position_rationale(self) -> str:
        return bilingual(self, "position_rationale")

    @property
    def is_adopted(self) -> bool:
        return self.status in self.ADOPTED

    @property
    def is_pending(self) -> bool:
        return self.status in self.PENDING

    def can_edit(self, user) -> bool:
        return can_manage_policy(user)


class PolicySource(models.Model):
    """Where a fact about a policy comes from, with the date the source itself carries."""

    policy = models.ForeignKey(Policy, models.CASCADE, related_name="sources")
    title = models.CharField(_("source"), max_length=250)
    url = models.URLField(_("address (URL)"), max_length=500, blank=True)
    source_date = models.DateField(_("source date"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=250, blank=True)

    class Meta:
        ordering = ["-source_date", "title"]
        verbose_name = _("source")

    def __str__(self) -> str:
        return self.title


class StatusChange(models.Model):
    """One dated step in a policy's history; each cites its source."""

    policy = models.ForeignKey(Policy, models.CASCADE, related_name="history")
    status = models.CharField(_("status"), max_length=20, choices=Policy.Status.choices)
    date = models.DateField(_("date"))
    note_en = models.CharField(_("what happened (English)"), max_length=300, blank=True)
    note_es = models.CharField(_("what happened (Spanish)"), max_length=300, blank=True)
    source_title = models.CharField(_("source"), max_length=250)
    source_url = models.URLField(_("source address (URL)"), max_length=500, blank=True)
    source_date = models.DateField(_("source date"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["date", "created"]
        verbose_name = _("status change")

    def __str__(self) -> str:
        return f"{self.policy_id} {self.status} {self.date}"

    @property
    def note(self) -> str:
        return bilingual(self, "note")


class Hearing(models.Model):
    """A scheduled hearing, markup or public comment deadline for a policy."""

    policy = models.ForeignKey(Policy, models.CASCADE, related_name="hearings")
    title = models.CharField(_("what"), max_length=250)
    starts_at = models.DateTimeField(_("starts"), db_index=True)
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    location = models.CharField(_("where"), max_length=250, blank=True)
    url = models.URLField(_("details (URL)"), max_length=500, blank=True)

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("hearing")

    def __str__(self) -> str:
        return self.title


def _new_token() -> str:
    return secrets.token_urlsafe(24)


class Subscription(models.Model):
    """Someone who wants an email when a policy on a topic or in a place changes status."""

    class Frequency(models.TextChoices):
        IMMEDIATE = "immediate", _("Right away, one email per change")
        WEEKLY = "weekly", _("A weekly digest")

    email = models.EmailField(_("email address"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="policy_subscriptions",
    )
    topic = models.ForeignKey(
        Topic, models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("topic")
    )
    jurisdiction = models.ForeignKey(
        Jurisdiction,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="subscriptions",
        verbose_name=_("jurisdiction"),
    )
    frequency = models.CharField(
        _("how often"), max_length=10, choices=Frequency.choices, default=Frequency.IMMEDIATE
    )
    language = models.CharField(max_length=8, default="en")
    token = models.CharField(max_length=64, unique=True, default=_new_token)
    is_confirmed = models.BooleanField(default=False)
    created = models.DateTimeField(auto_now_add=True)
    last_digest_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created"]
        verbose_name = _("policy alert subscription")

    def __str__(self) -> str:
        return self.email

    def matches(self, policy: Policy, topic_ids: set[int] | None = None) -> bool:
        """Whether a change to ``policy`` concerns this subscriber.

        A state-level subscription also covers that state's counties and cities.
        """
        if topic_ids is None:
            topic_ids = {t.pk for t in policy.topics.all()}
        if self.topic_id and self.topic_id not in topic_ids:
            return False
        if self.jurisdiction_id:
            place = self.jurisdiction
            if place.pk == policy.jurisdiction_id:
                return True
            return place.level == Jurisdiction.Level.STATE and (
                policy.jurisdiction.state_id == place.state_id
            )
        return True


class AlertDelivery(models.Model):
    """A status-change alert sent to one subscription: a retried task never sends it twice."""

    change = models.ForeignKey(StatusChange, models.CASCADE, related_name="deliveries")
    subscription = models.ForeignKey(Subscription, models.CASCADE, related_name="deliveries")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["change", "subscription"], name="policy_alert_once")
        ]
        verbose_name = _("alert sent")

    def __str__(self) -> str:
        return f"{self.change_id} → {self.subscription_id}"


class Official(models.Model):
    """An elected or appointed official a letter can be addressed to."""

    name = models.CharField(_("name"), max_length=200)
    office = models.CharField(_("office"), max_length=200)
    jurisdiction = models.ForeignKey(
        Jurisdiction, models.PROTECT, related_name="officials", verbose_name=_("jurisdiction")
    )
    state = models.ForeignKey(
        State,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("state represented"),
    )
    district = models.CharField(_("district"), max_length=60, blank=True)
    email = models.EmailField(_("email address"), blank=True)
    contact_form_url = models.URLField(_("contact form (URL)"), max_length=500, blank=True)
    external_id = models.CharField(_("Open States person identifier"), max_length=120, blank=True)
    is_active = models.BooleanField(_("in office"), default=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["state__name", "office", "name"]
        verbose_name = _("official")
        indexes = [models.Index(fields=["state", "is_active"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.office})"


class ActionQuerySet(models.QuerySet):
    def open(self) -> ActionQuerySet:
        now = timezone.now()
        return self.filter(status=AdvocacyAction.Status.OPEN).filter(
            models.Q(closes_at__isnull=True) | models.Q(closes_at__gt=now)
        )

    def visible_to(self, user) -> ActionQuerySet:
        if can_manage_policy(user):
            return self
        return self.exclude(status=AdvocacyAction.Status.DRAFT)


# Placeholders a letter template may use; anything else in braces is left as typed.
PLACEHOLDER_RE = re.compile(r"\{(target_name|target_office|signer_name|signer_place)\}")


class AdvocacyAction(models.Model):
    class Kind(models.TextChoices):
        LETTER = "letter", _("Letter to officials")
        PETITION = "petition", _("Petition")
        SIGN_ON = "sign_on", _("Organizational sign-on letter")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    class TargetMode(models.TextChoices):
        LISTED = "listed", _("The officials listed on the action")
        SIGNER_STATE = "signer_state", _("Officials from each signer's state")

    slug = models.SlugField(_("web address"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    title_en = models.CharField(_("title (English)"), max_length=200)
    title_es = models.CharField(_("title (Spanish)"), max_length=200, blank=True)
    intro_en = models.TextField(_("introduction (English)"))
    intro_es = models.TextField(_("introduction (Spanish)"), blank=True)
    policy = models.ForeignKey(
        Policy,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="actions",
        verbose_name=_("policy"),
    )
    jurisdiction = models.ForeignKey(
        Jurisdiction,
        models.PROTECT,
        related_name="actions",
        verbose_name=_("who may sign"),
        help_text=_("Signers must live in this jurisdiction (the United States: anyone)."),
    )
    letter_subject_en = models.CharField(_("subject (English)"), max_length=200, blank=True)
    letter_subject_es = models.CharField(_("subject (Spanish)"), max_length=200, blank=True)
    letter_body_en = models.TextField(
        _("text (English)"),
        help_text=_(
            "Letters may use {target_name}, {target_office}, {signer_name} and {signer_place}."
        ),
    )
    letter_body_es = models.TextField(_("text (Spanish)"), blank=True)
    target_mode = models.CharField(
        _("who receives it"),
        max_length=15,
        choices=TargetMode.choices,
        default=TargetMode.LISTED,
    )
    target_level = models.CharField(
        _("level of officials matched by state"),
        max_length=10,
        choices=Jurisdiction.Level.choices,
        default=Jurisdiction.Level.STATE,
    )
    targets = models.ManyToManyField(
        Official, blank=True, related_name="actions", verbose_name=_("officials")
    )
    goal = models.PositiveIntegerField(_("goal"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["-created"]
        verbose_name = _("advocacy action")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("policy:action", args=[self.slug])

    @property
    def title(self) -> str:
        return bilingual(self, "title")

    @property
    def intro(self) -> str:
        return bilingual(self, "intro")

    @property
    def letter_subject(self) -> str:
        return bilingual(self, "letter_subject")

    @property
    def letter_body(self) -> str:
        return bilingual(self, "letter_body")

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN and (
            self.closes_at is None or self.closes_at > timezone.now()
        )

    @property
    def has_targets(self) -> bool:
        return self.kind != self.Kind.PETITION or self.target_mode == self.TargetMode.SIGNER_STATE

    def can_edit(self, user) -> bool:
        return can_manage_policy(user)


class ReferralCode(models.Model):
    """A short code in a share link; signatures that arrive with it credit a community."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    community = models.ForeignKey(
        "network.Community",
        models.CASCADE,
        related_name="policy_referral_codes",
        verbose_name=_("community"),
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("referral code")

    def __str__(self) -> str:
        return self.code


_INSERT_STATEMENTS: dict[str, tuple[str, list]] = {}


def _insert_statement(vendor: str) -> tuple[str, list]:
    """The INSERT … ON CONFLICT DO NOTHING statement for signatures, built once per backend."""
    if vendor not in _INSERT_STATEMENTS:
        meta = Signature._meta
        fields = [f for f in meta.concrete_fields if not f.primary_key]
        columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        marks = ", ".join(["%s"] * len(fields))
        table = connection.ops.quote_name(meta.db_table)
        # Table and column names come from the model, quoted; values are parameters.
        sql = f"INSERT INTO {table} ({columns}) VALUES ({marks}) ON CONFLICT DO NOTHING"  # noqa: S608
        _INSERT_STATEMENTS[vendor] = (sql, fields)
    return _INSERT_STATEMENTS[vendor]


class SignatureQuerySet(models.QuerySet):
    def insert_once(self, signature: Signature) -> bool:
        """Insert ``signature`` unless this email already signed this action.

        One statement, ``INSERT … ON CONFLICT DO NOTHING``, on SQLite and PostgreSQL alike:
        the unique constraint decides, so two racing requests can never both insert, and the
        row count tells a new signature (True) from a duplicate (False) without a second
        query or an exception. It runs in autocommit, so a True answer means the row is
        committed before the response is sent.
        """
        sql, fields = _insert_statement(connection.vendor)
        values = [f.get_db_prep_save(getattr(signature, f.attname), connection) for f in fields]
        return self._insert(sql, values)

    def insert_values(self, values: dict) -> bool:
        """``insert_once`` for the signing hot path, from plain values by attribute name
        (``action_id``, ``name``, ``email``, …): no model instance and no per-field
        conversion. Every value must already be checked (lengths, types: ``str``, ``int``,
        ``bool`` or ``None``); a field left out takes its default (``created``: now).
        """
        sql, fields = _insert_statement(connection.vendor)
        params = []
        for field in fields:
            value = values[field.attname] if field.attname in values else field.get_default()
            if isinstance(field, models.DateTimeField):
                value = connection.ops.adapt_datetimefield_value(value)
            params.append(value)
        return self._insert(sql, params)

    @staticmethod
    def _insert(sql: str, params: list) -> bool:
        # Prepared on the server on PostgreSQL (kindred.core.db.fast.cursor).
        with fast.cursor(connection) as cursor:
            cursor.execute(sql, params)
            return cursor.rowcount == 1


class Signature(models.Model):
    """One person's signature on an action. Unique per action and normalised email."""

    # Few indexes on purpose: each one is written on every signature. The unique constraint
    # (action, email) serves lookups by action; partial indexes skip the common NULLs.
    action = models.ForeignKey(
        AdvocacyAction, models.CASCADE, related_name="signatures", db_index=False
    )
    name = models.CharField(_("name"), max_length=150)
    email = models.EmailField(_("email address"), max_length=254)
    email_normalised = models.CharField(max_length=254)
    zip_code = models.CharField(_("ZIP code"), max_length=5)
    state = models.ForeignKey(
        State, models.PROTECT, related_name="+", db_constraint=False, db_index=False
    )
    county = models.ForeignKey(
        County,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    city = models.CharField(_("city"), max_length=100, blank=True)
    organization = models.CharField(_("organization"), max_length=200, blank=True)
    message = models.TextField(_("message"), blank=True)
    follow_up_consent = models.BooleanField(_("agreed to hear from us again"), default=False)
    referral_code = models.CharField(max_length=60, blank=True)
    community = models.ForeignKey(
        "network.Community",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    language = models.CharField(max_length=8, default="en")
    created = models.DateTimeField(default=timezone.now)

    objects = SignatureQuerySet.as_manager()

    class Meta:
        ordering = ["created"]
        verbose_name = _("signature")
        constraints = [
            models.UniqueConstraint(
                fields=["action", "email_normalised"], name="policy_signature_once_per_email"
            )
        ]
        indexes = [
            models.Index(fields=["action", "state"], name="policy_sig_action_state"),
            models.Index(
                fields=["action", "community"],
                name="policy_sig_action_community",
                condition=models.Q(community__isnull=False),
            ),
            models.Index(
                fields=["user"], name="policy_sig_user", condition=models.Q(user__isnull=False)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} → {self.action_id}"

    @property
    def place_label(self) -> str:
        return ", ".join(part for part in (self.city, self.state_id and self.state.usps) if part)


class LetterDelivery(models.Model):
    """One letter sent by email to one official; unique so a retried task never re-sends."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Could not send")

    signature = models.ForeignKey(Signature, models.CASCADE, related_name="deliveries")
    official = models.ForeignKey(Official, models.CASCADE, related_name="deliveries")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = _("letter delivery")
        verbose_name_plural = _("letter deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["signature", "official"], name="policy_delivery_once_per_target"
            )
        ]

    def __str__(self) -> str:
        return f"{self.signature_id} → {self.official_id}: {self.status}"
