"""The public, read-only research API."""

from kindred.research import services
from kindred.research.tests.factories import make_study


def test_api_lists_questions_studies_findings_and_closed_results(db, alice, bob, client):
    question = services.propose_question(by=alice, title="Does play help?", why="-", theme="impact")
    services.decide_question(question, accept=True, by=alice)
    study = make_study(alice, questions=[question])
    finding = services.create_finding(
        by=alice,
        study=study,
        title_en="Play helps",
        title_es="El juego ayuda",
        summary_en="Yes.",
        summary_es="Sí.",
        questions=[question],
    )
    services.publish_finding(finding, by=alice)
    round_ = services.create_round(by=alice, title="R1", questions=[question])
    services.open_round(round_, by=alice)
    panelist = services.add_panelist(round_, bob, group="parents")
    services.submit_ratings(panelist, {question.pk: (8, "")}, by=bob)

    assert client.get("/api/research/questions").json()[0]["title"] == "Does play help?"
    assert client.get("/api/research/studies").json()[0]["question_ids"] == [question.pk]
    assert client.get("/api/research/findings").json()[0]["summary_es"] == "Sí."
    url = f"/api/research/rounds/{round_.pk}/results"
    assert client.get(url).status_code == 404  # results are public once the round closes
    services.close_round(round_, by=alice)
    [result] = client.get(url).json()
    assert result["weighted_median"] == 8 and result["groups"]["parents"]["n"] == 1
    assert client.get("/api/research/rounds/99999999999/results").status_code == 404
