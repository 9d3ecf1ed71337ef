"""Partnerships between organizations, PARTNER-style ratings and partnership survey rounds.

Who may do what is written once, here:

- A partnership is public (organization pages are public, and the network map shows ties).
- Administrators of either organization (and network staff) record, change or end it.
- Each side rates the other as an organization: only that organization's administrators
  (and network staff) give and read its ratings. Other people see averages only, and only
  when at least ``MIN_RATINGS_SHOWN`` ratings make them up, so no one partner's answer shows.
- Community organizers run survey rounds among the community's organizations, and see
  response rates and round averages, never one organization's answers.

Writes take keyword-only arguments, run in a transaction and leave an audit trail; a refusal
raises ``NetworkError`` with a message for people.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Avg, Count, F, FloatField, Q, QuerySet
from django.db.models.functions import Cast
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from kindred.accounts.models import User
from kindred.core.audit import log_action
from kindred.network.models import (
    Community,
    CommunityMembership,
    Organization,
    OrganizationMembership,
    Partnership,
    PartnershipRating,
    SurveyRound,
)
from kindred.network.services import NetworkError, strip_html

SCORE_FIELDS = PartnershipRating.TRUST_FIELDS + PartnershipRating.VALUE_FIELDS
MIN_RATINGS_SHOWN = 3


# --- Access rules ---------------------------------------------------------------------------


def _is_staff(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and (user.is_staff or user.is_superuser))


def admin_organization_ids(user) -> set[int]:
    """The organizations ``user`` administers (one query)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(
        OrganizationMembership.objects.filter(
            user=user, role=OrganizationMembership.Role.ADMIN
        ).values_list("organization_id", flat=True)
    )


def partnerships_visible_to(user) -> QuerySet[Partnership]:
    """Partnerships are public, like the organizations they join."""
    return Partnership.objects.all()


def partnerships_of(organization: Organization) -> QuerySet[Partnership]:
    return Partnership.objects.filter(Q(org_a=organization) | Q(org_b=organization))


def can_manage_partnership(user, partnership: Partnership) -> bool:
    """Administrators of either organization, and network staff."""
    if _is_staff(user):
        return True
    return bool(admin_organization_ids(user) & {partnership.org_a_id, partnership.org_b_id})


def can_rate_as(user, organization: Organization) -> bool:
    """Who may answer for ``organization``: its administrators and network staff."""
    return organization.can_edit(user)


def ratings_visible_to(user) -> QuerySet[PartnershipRating]:
    """Individual ratings: those given by organizations ``user`` administers (all for staff)."""
    if _is_staff(user):
        return PartnershipRating.objects.all()
    return PartnershipRating.objects.filter(rater_org_id__in=admin_organization_ids(user))


def can_run_surveys(user, community: Community) -> bool:
    return community.can_organize(user)


# --- Averages -------------------------------------------------------------------------------


def _mean_expression(fields: Iterable[str]):
    total = None
    for name in fields:
        total = F(name) if total is None else total + F(name)
    return Cast(total, FloatField()) / len(tuple(fields))


def rating_means(ratings: QuerySet[PartnershipRating]) -> dict:
    """``{"trust", "value", "count"}``: mean item scores (1–4) over ``ratings``."""
    result = ratings.aggregate(
        trust=Avg(_mean_expression(PartnershipRating.TRUST_FIELDS)),
        value=Avg(_mean_expression(PartnershipRating.VALUE_FIELDS)),
        count=Count("pk"),
    )
    for key in ("trust", "value"):
        if result[key] is not None:
            result[key] = round(result[key], 2)
    return result


def shareable_means(ratings: QuerySet[PartnershipRating]) -> dict | None:
    """Means shown to people who may not read the single answers: None below the minimum."""
    means = rating_means(ratings)
    return means if means["count"] >= MIN_RATINGS_SHOWN else None


# --- Partnerships ---------------------------------------------------------------------------


def _clean_types(types: Iterable[str]) -> list[str]:
    valid = [value for value, _label in Partnership.Type.choices]
    chosen = [value for value in valid if value in set(types)]
    if not chosen:
        raise NetworkError(_("Choose at least one way the organizations work together."))
    return chosen


@transaction.atomic
def record_partnership(
    *,
    actor: User,
    organization: Organization,
    partner: Organization,
    types: Iterable[str],
    started: datetime.date | None = None,
    notes: str = "",
) -> Partnership:
    """An administrator of ``organization`` records that it works with ``partner``."""
    if not organization.can_edit(actor):
        raise NetworkError(_("Only the organization's administrators can record partnerships."))
    if partner.pk == organization.pk:
        raise NetworkError(_("An organization can't be its own partner."))
    first, second = Partnership.ordered(organization, partner)
    if Partnership.objects.filter(org_a=first, org_b=second).exists():
        raise NetworkError(
            _("%(name)s is already listed as a partner. You can update that partnership.")
            % {"name": partner.name}
        )
    partnership = Partnership.objects.create(
        org_a=first,
        org_b=second,
        types=_clean_types(types),
        started=started,
        notes=strip_html(notes)[:4000],
        created_by=actor,
    )
    log_action(
        actor, "partnership.recorded", partnership, organization=organization.pk, partner=partner.pk
    )
    return partnership


@transaction.atomic
def update_partnership(
    *,
    partnership: Partnership,
    actor: User,
    types: Iterable[str],
    started: datetime.date | None,
    notes: str,
) -> Partnership:
    if not can_manage_partnership(actor, partnership):
        raise NetworkError(_("Only the partners' administrators can change this partnership."))
    partnership.types = _clean_types(types)
    partnership.started = started
    partnership.notes = strip_html(notes)[:4000]
    partnership.save(update_fields=["types", "started", "notes"])
    log_action(actor, "partnership.updated", partnership)
    return partnership


@transaction.atomic
def end_partnership(*, partnership: Partnership, actor: User) -> None:
    """Remove a partnership (and the ratings given within it)."""
    if not can_manage_partnership(actor, partnership):
        raise NetworkError(_("Only the partners' administrators can end this partnership."))
    pair = {"org_a": partnership.org_a_id, "org_b": partnership.org_b_id}
    log_action(actor, "partnership.ended", partnership, **pair)
    partnership.delete()


# --- Ratings --------------------------------------------------------------------------------


def _clean_scores(scores: dict) -> dict[str, int]:
    cleaned = {}
    for name in SCORE_FIELDS:
        try:
            value = int(scores.get(name))
        except (TypeError, ValueError):
            value = 0
        if not 1 <= value <= 4:
            raise NetworkError(_("Please answer every question with a number from 1 to 4."))
        cleaned[name] = value
    return cleaned


@transaction.atomic
def rate_partner(
    *,
    partnership: Partnership,
    rater_org: Organization,
    actor: User,
    scores: dict,
    survey_round: SurveyRound | None = None,
) -> PartnershipRating:
    """``rater_org`` rates the other side of ``partnership`` (trust and value items, 1–4).

    One rating per organization and partnership outside rounds, and one per round: a second
    answer replaces the first.
    """
    if rater_org.pk not in (partnership.org_a_id, partnership.org_b_id):
        raise NetworkError(_("Only the two partners can rate this partnership."))
    if not can_rate_as(actor, rater_org):
        raise NetworkError(
            _("Only administrators of %(name)s can answer for it.") % {"name": rater_org.name}
        )
    if survey_round is not None:
        if not round_is_open(survey_round):
            raise NetworkError(
                _("This survey round is not taking answers (it runs %(opens)s to %(closes)s).")
                % {
                    "opens": formats.date_format(survey_round.opens),
                    "closes": formats.date_format(survey_round.closes),
                }
            )
        if not round_partnerships(survey_round).filter(pk=partnership.pk).exists():
            raise NetworkError(_("This partnership is not part of the survey round."))
    rated_id = (
        partnership.org_b_id if rater_org.pk == partnership.org_a_id else partnership.org_a_id
    )
    values = _clean_scores(scores)
    rating = (
        PartnershipRating.objects.select_for_update()
        .filter(partnership=partnership, rater_org=rater_org, survey_round=survey_round)
        .first()
    )
    if rating is None:
        rating = PartnershipRating.objects.create(
            partnership=partnership,
            rater_org=rater_org,
            rated_org_id=rated_id,
            survey_round=survey_round,
            submitted_by=actor,
            **values,
        )
    else:
        for name, value in values.items():
            setattr(rating, name, value)
        rating.submitted_by = actor
        rating.save(update_fields=[*values, "submitted_by"])
    log_action(
        actor,
        "partnership.rated",
        partnership,
        rater_org=rater_org.pk,
        survey_round=survey_round.pk if survey_round else None,
    )
    return rating


# --- Survey rounds --------------------------------------------------------------------------


def community_organizations(community: Community) -> QuerySet[Organization]:
    """Organizations taking part in a community: those with someone who is an active member."""
    people = CommunityMembership.objects.filter(
        community=community, status=CommunityMembership.Status.ACTIVE
    ).values("user_id")
    return Organization.objects.filter(
        pk__in=OrganizationMembership.objects.filter(user_id__in=people).values("organization_id")
    )


def partnerships_among(organizations: QuerySet[Organization]) -> QuerySet[Partnership]:
    ids = organizations.values("pk")
    return Partnership.objects.filter(org_a_id__in=ids, org_b_id__in=ids)


def round_partnerships(survey_round: SurveyRound) -> QuerySet[Partnership]:
    return partnerships_among(community_organizations(survey_round.community))


def round_is_open(survey_round: SurveyRound) -> bool:
    today = timezone.localdate()
    return (
        survey_round.status == SurveyRound.Status.OPEN
        and survey_round.opens <= today <= survey_round.closes
    )


@dataclass(frozen=True)
class ResponseRate:
    organizations: int  # organizations with at least one partner in the round
    responded: int  # ... that rated every one of those partners
    ratings_expected: int
    ratings_given: int

    @property
    def percent(self) -> int | None:
        if not self.organizations:
            return None
        return round(100 * self.responded / self.organizations)

    @property
    def ratings_percent(self) -> int | None:
        if not self.ratings_expected:
            return None
        return round(100 * self.ratings_given / self.ratings_expected)


def response_rate(survey_round: SurveyRound) -> ResponseRate:
    """How many organizations answered for all their partners in the round (three queries)."""
    pairs = list(round_partnerships(survey_round).values_list("pk", "org_a_id", "org_b_id"))
    expected: dict[int, set[int]] = {}
    for pk, first, second in pairs:
        expected.setdefault(first, set()).add(pk)
        expected.setdefault(second, set()).add(pk)
    given: dict[int, set[int]] = {}
    for partnership_id, rater in PartnershipRating.objects.filter(
        survey_round=survey_round
    ).values_list("partnership_id", "rater_org_id"):
        given.setdefault(rater, set()).add(partnership_id)
    responded = sum(1 for org, wanted in expected.items() if wanted <= given.get(org, set()))
    ratings_given = sum(len(wanted & given.get(org, set())) for org, wanted in expected.items())
    return ResponseRate(
        organizations=len(expected),
        responded=responded,
        ratings_expected=2 * len(pairs),
        ratings_given=ratings_given,
    )


@transaction.atomic
def open_survey_round(
    *,
    community: Community,
    actor: User,
    title: str,
    opens: datetime.date,
    closes: datetime.date,
) -> SurveyRound:
    """An organizer asks the community's organizations to rate their partners."""
    if not can_run_surveys(actor, community):
        raise NetworkError(_("Only the community's organizers can run a partnership survey."))
    title = strip_html(title)[:200]
    if not title:
        raise NetworkError(_("Please give the survey round a title."))
    if closes < opens:
        raise NetworkError(_("The round must close on or after the day it opens."))
    survey_round = SurveyRound.objects.create(
        community=community, title=title, opens=opens, closes=closes, created_by=actor
    )
    log_action(actor, "survey_round.opened", community, survey_round=survey_round.pk)
    return survey_round


@transaction.atomic
def close_survey_round(*, survey_round: SurveyRound, actor: User) -> SurveyRound:
    if not can_run_surveys(actor, survey_round.community):
        raise NetworkError(_("Only the community's organizers can close this round."))
    if survey_round.status == SurveyRound.Status.CLOSED:
        raise NetworkError(_("This survey round is already closed."))
    survey_round.status = SurveyRound.Status.CLOSED
    survey_round.save(update_fields=["status"])
    log_action(actor, "survey_round.closed", survey_round.community, survey_round=survey_round.pk)
    return survey_round
