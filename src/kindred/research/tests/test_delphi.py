"""Delphi rounds: panel, ratings 1–9, feedback from round 2, equal group weighting, results
page, chart and CSV."""

import numpy as np
import pytest
from django.urls import reverse

from kindred.accounts.services import create_account
from kindred.core.models import AuditEvent
from kindred.research import services
from kindred.research.delphi import compute_results, quantile
from kindred.research.models import Rating, Round
from kindred.research.tests.factories import make_curator


def make_question(by, title="What helps parents feel confident?"):
    question = services.propose_question(by=by, title=title, why="It matters.", theme="promotion")
    services.decide_question(question, accept=True, by=by)
    return question


def people(prefix, n):
    return [create_account(f"{prefix}{i}@example.org", None, verified=True) for i in range(n)]


def rate_all(round_, users, group, scores_by_question):
    for user in users:
        panelist = services.add_panelist(round_, user, group=group)
        services.submit_ratings(
            panelist, {q.pk: (s, "") for q, s in scores_by_question.items()}, by=user
        )


@pytest.fixture
def curator(alice):
    make_curator(alice)
    return alice


def test_quantiles_of_a_rating_distribution():
    counts = np.zeros(9)
    counts[[1, 2]] = 1  # one rating of 2 and one of 3
    assert quantile(counts, 0.5) == 2.5
    counts = np.zeros(9)
    counts[[0, 1, 2]] = 1
    assert quantile(counts, 0.5) == 2
    assert quantile(np.zeros(9), 0.5) is None


def test_each_group_counts_the_same_so_parents_are_not_outnumbered(db, curator):
    family_q = make_question(curator, "What makes families trust a program?")
    measure_q = make_question(curator, "Which measures work in clinics?")
    round_ = services.create_round(by=curator, title="R1", questions=[family_q, measure_q])
    services.open_round(round_, by=curator)
    # 4 parents rate the family question 9 and the measures question 3;
    # 20 practitioners rate the opposite.
    rate_all(round_, people("p", 4), "parents", {family_q: 9, measure_q: 3})
    rate_all(round_, people("c", 20), "practitioners", {family_q: 5, measure_q: 8})
    results = {r.question.pk: r for r in compute_results(round_)}
    family, measure = results[family_q.pk], results[measure_q.pk]
    # Unweighted, practitioners dominate; weighted, each group is half.
    assert family.overall.high == pytest.approx(4 / 24)
    assert family.weighted.high == pytest.approx(0.5)
    assert measure.weighted.high == pytest.approx(0.5)
    assert measure.weighted.low == pytest.approx(0.5)
    assert family.groups["parents"].n == 4 and family.groups["parents"].median == 9
    assert family.groups["practitioners"].median == 5
    assert family.groups["researchers"].n == 0


def test_consensus_rule_is_configurable(db, curator):
    question = make_question(curator)
    round_ = services.create_round(by=curator, title="R1", questions=[question])
    services.open_round(round_, by=curator)
    rate_all(round_, people("a", 7), "parents", {question: 8})
    rate_all(round_, people("b", 3), "parents", {question: 5})
    [result] = compute_results(round_)
    assert result.weighted.high == pytest.approx(0.7)
    assert result.consensus == "important"  # default: ≥ 70 % rate 7–9, ≤ 15 % rate 1–3
    round_.agree_percent = 80
    round_.save(update_fields=["agree_percent"])
    assert compute_results(round_)[0].consensus == "none"


def test_panelist_rates_through_the_page_and_can_change_it(db, curator, bob, client_as):
    question = make_question(curator)
    round_ = services.create_round(by=curator, title="R1", questions=[question])
    services.add_panelist(round_, bob, group="parents", by=curator)
    services.open_round(round_, by=curator)
    client = client_as(bob)
    url = reverse("research:round-rate", args=[round_.pk])
    page = client.get(url)
    assert page.status_code == 200 and question.title in page.content.decode()
    response = client.post(url, {f"score_{question.pk}": "8", f"comment_{question.pk}": "Yes!"})
    assert response.status_code == 302
    rating = Rating.objects.get(panelist__user=bob)
    assert (rating.score, rating.comment, rating.group) == (8, "Yes!", "parents")
    client.post(url, {f"score_{question.pk}": "6"})
    rating.refresh_from_db()
    assert rating.score == 6
    assert AuditEvent.objects.filter(verb="round.rated", actor=bob).count() == 2


def test_bad_rating_changes_nothing(db, curator, bob, client_as):
    question = make_question(curator)
    round_ = services.create_round(by=curator, title="R1", questions=[question])
    services.add_panelist(round_, bob, by=curator)
    services.open_round(round_, by=curator)
    url = reverse("research:round-rate", args=[round_.pk])
    response = client_as(bob).post(url, {f"score_{question.pk}": "12"})
    assert response.status_code == 200
    assert "12" in response.content.decode()  # the error names the bad choice
    response = client_as(bob).post(url, {})
    assert "Rate at least one question" in response.content.decode()
    assert not Rating.objects.exists()


def test_outsider_cannot_rate_and_closed_round_refuses(db, curator, bob, charlie, client_as):
    question = make_question(curator)
    round_ = services.create_round(by=curator, title="R1", questions=[question])
    services.add_panelist(round_, bob, by=curator)
    services.open_round(round_, by=curator)
    url = reverse("research:round-rate", args=[round_.pk])
    assert client_as(charlie).get(url).status_code == 403
    assert client_as(charlie).post(url, {f"score_{question.pk}": "5"}).status_code == 403
    services.close_round(round_, by=curator)
    client_as(bob).post(url, {f"score_{question.pk}": "5"})
    assert not Rating.objects.exists()


def test_round_two_shows_last_rounds_median_and_own_rating(db, curator, bob, client_as):
    question = make_question(curator)
    first = services.create_round(by=curator, title="R1", questions=[question])
    services.open_round(first, by=curator)
    rate_all(first, people("x", 3), "practitioners", {question: 4})
    rate_all(first, [bob], "parents", {question: 9})
    services.close_round(first, by=curator)
    second = services.create_round(by=curator, title="R2", previous=first)
    assert second.number == 2 and list(second.questions.all()) == [question]
    services.add_panelist(second, bob, by=curator)
    services.open_round(second, by=curator)
    page = client_as(bob).get(reverse("research:round-rate", args=[second.pk])).content.decode()
    # Weighted: half the weight at 4, half at 9 → median 6.5.
    assert "middle rating was 6.5" in page
    assert "You rated it 9" in page


def test_members_join_an_open_enrolment_round(db, curator, charlie, client_as):
    question = make_question(curator)
    round_ = services.create_round(
        by=curator, title="R1", questions=[question], open_enrolment=True
    )
    services.open_round(round_, by=curator)
    response = client_as(charlie).post(reverse("research:round-join", args=[round_.pk]))
    assert response.status_code == 302
    assert round_.panelists.get(user=charlie).group == "others"


def test_results_are_public_after_closing_with_chart_table_and_csv(db, curator, client):
    question = make_question(curator, "=HYPERLINK('x') trust")
    round_ = services.create_round(by=curator, title="R1", questions=[question])
    services.open_round(round_, by=curator)
    rate_all(round_, people("q", 3), "researchers", {question: 7})
    url = reverse("research:round-results", args=[round_.pk])
    assert client.get(url).status_code == 403  # still open
    services.close_round(round_, by=curator)
    page = client.get(url).content.decode()
    assert "<svg" in page and 'scope="col"' in page and "Agreed: important" in page
    csv_text = client.get(reverse("research:round-results-csv", args=[round_.pk])).content.decode()
    header, row = csv_text.splitlines()[:2]
    assert header.startswith("rank,question_id,question") and "parents_n" in header
    assert "'=HYPERLINK" in row  # never a live spreadsheet formula


def test_curator_sets_up_a_round_through_the_pages(db, curator, bob, client_as):
    question = make_question(curator)
    client = client_as(curator)
    response = client.post(
        reverse("research:round-new"),
        {
            "title": "Spring round",
            "questions": [question.pk],
            "high_from": 7,
            "low_to": 3,
            "agree_percent": 70,
            "disagree_percent": 15,
        },
    )
    round_ = Round.objects.get(title="Spring round")
    assert response.status_code == 302 and list(round_.questions.all()) == [question]
    client.post(
        reverse("research:round-panelists", args=[round_.pk]),
        {"emails": "bob@example.org", "group": "parents"},
    )
    assert round_.panelists.get().user == bob
    client.post(
        reverse("research:round-panelists", args=[round_.pk]), {"emails": "nobody@example.org"}
    )
    assert round_.panelists.count() == 1
    client.post(reverse("research:round-status", args=[round_.pk]), {"action": "open"})
    round_.refresh_from_db()
    assert round_.is_open


def test_only_curators_set_up_rounds(db, bob, client_as):
    assert client_as(bob).get(reverse("research:round-new")).status_code == 403
    draft = services.create_round(by=None, title="Hidden")
    assert client_as(bob).get(draft.get_absolute_url()).status_code == 404


def test_round_list_has_bounded_queries(db, curator, client, django_assert_max_num_queries):
    for n in range(5):
        round_ = services.create_round(by=curator, title=f"R{n}")
        round_.status = Round.Status.CLOSED
        round_.save(update_fields=["status"])
    with django_assert_max_num_queries(8):
        assert client.get(reverse("research:rounds")).status_code == 200
