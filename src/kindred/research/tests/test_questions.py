"""Questions: anyone proposes; curators accept, decline and merge; members follow and
discuss."""

from django.urls import reverse

from kindred.core.models import AuditEvent
from kindred.research import services
from kindred.research.models import Question
from kindred.research.tests.factories import make_curator


def test_member_proposes_a_question(db, bob, client_as):
    response = client_as(bob).post(
        reverse("research:question-new"),
        {
            "title": "What helps dads play with their babies?",
            "why": "Dads want ideas.",
            "theme": "promotion",
            "populations": "Fathers",
            "care_settings": "",
        },
    )
    question = Question.objects.get()
    assert response.status_code == 302
    assert question.proposed_by == bob and question.status == "proposed"
    assert bob in question.followers.all()
    assert AuditEvent.objects.filter(verb="question.proposed", actor=bob).exists()


def test_bad_question_keeps_what_was_typed(db, bob, client_as):
    response = client_as(bob).post(
        reverse("research:question-new"), {"title": "Half a thought", "why": "", "theme": "x"}
    )
    page = response.content.decode()
    assert response.status_code == 200 and "Half a thought" in page
    assert not Question.objects.exists()


def test_anonymous_visitor_is_sent_to_sign_in(db, client):
    response = client.get(reverse("research:question-new"))
    assert response.status_code == 302 and "login" in response["Location"]


def _question(by):
    return services.propose_question(
        by=by, title="Does reading together help?", why="Books are cheap.", theme="promotion"
    )


def test_curator_accepts_and_outsider_cannot(db, alice, bob, charlie, client_as):
    make_curator(alice)
    question = _question(bob)
    url = reverse("research:question-decide", args=[question.pk])
    assert client_as(charlie).post(url, {"decision": "accept"}).status_code == 403
    assert client_as(charlie).get(url).status_code == 405
    client_as(alice).post(url, {"decision": "accept"})
    question.refresh_from_db()
    assert question.status == "accepted"


def test_declined_question_is_hidden_from_other_members(db, alice, bob, charlie, client_as):
    question = _question(bob)
    services.decide_question(question, accept=False, by=alice)
    url = question.get_absolute_url()
    assert client_as(charlie).get(url).status_code == 404
    assert client_as(bob).get(url).status_code == 200  # the proposer still sees it


def test_merging_moves_followers_and_studies(db, alice, bob, charlie):
    original = _question(alice)
    duplicate = _question(bob)
    services.follow_question(duplicate, charlie)
    from kindred.research.tests.factories import make_study

    study = make_study(alice, questions=[duplicate])
    services.merge_question(duplicate, into=original, by=alice)
    duplicate.refresh_from_db()
    assert duplicate.status == "merged" and duplicate.merged_into == original
    assert {bob, charlie} <= set(original.followers.all())
    assert original in study.questions.all()


def test_curator_merges_through_the_page(db, alice, bob, client_as):
    make_curator(alice)
    original, duplicate = _question(alice), _question(bob)
    url = reverse("research:question-merge", args=[duplicate.pk])
    response = client_as(alice).post(url, {"into": original.pk})
    assert response["Location"] == original.get_absolute_url()
    response = client_as(alice).post(url, {"into": ""})
    assert response.status_code == 302  # a message explains; nothing else changed


def test_follow_with_htmx_returns_the_fragment(db, bob, charlie, client_as):
    question = _question(bob)
    url = reverse("research:question-follow", args=[question.pk])
    response = client_as(charlie).post(url, {"follow": "1"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert 'id="follow"' in response.content.decode()
    assert "<html" not in response.content.decode()
    assert charlie in question.followers.all()
    client_as(charlie).post(url, {"follow": "0"})
    assert charlie not in question.followers.all()


def test_members_discuss_and_visitors_are_asked_to_sign_in(db, bob, charlie, client_as, client):
    question = _question(bob)
    client_as(charlie).post(
        reverse("research:question-comment", args=[question.pk]),
        {"body": "We need this in Spanish too."},
    )
    assert question.comments.get().author == charlie
    assert (
        "We need this in Spanish too."
        in client_as(bob).get(question.get_absolute_url()).content.decode()
    )
    public = client.get(question.get_absolute_url()).content.decode()
    assert "We need this in Spanish too." not in public and "Sign in" in public
    client_as(charlie).post(reverse("research:question-comment", args=[question.pk]), {"body": ""})
    assert question.comments.count() == 1


def test_only_proposer_or_curator_edits(db, bob, charlie, client_as):
    question = _question(bob)
    url = reverse("research:question-edit", args=[question.pk])
    assert client_as(charlie).get(url).status_code == 403
    client_as(bob).post(
        url, {"title": "Does reading aloud help?", "why": "Yes.", "theme": "promotion"}
    )
    question.refresh_from_db()
    assert question.title == "Does reading aloud help?"


def test_question_list_filters_and_paginates(db, bob, client, django_assert_max_num_queries):
    for n in range(30):
        services.propose_question(by=bob, title=f"Question {n}", why="-", theme="barriers")
    with django_assert_max_num_queries(6):
        response = client.get(reverse("research:questions"), {"theme": "barriers"})
    assert response.status_code == 200 and "Page 1 of 2" in response.content.decode()
    partial = client.get(reverse("research:questions"), HTTP_HX_REQUEST="true")
    assert 'id="results"' in partial.content.decode()
