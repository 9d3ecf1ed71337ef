import pytest
from django.utils import translation
from django_tasks import task

from kindred.core.models import TaskProgress
from kindred.core.progress import (
    advance,
    enqueue_with_progress,
    fail,
    finish,
    start_progress,
    tracking,
)

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def progress(alice):
    return start_progress(alice, "Counting the network", total=40)


def test_the_owner_sees_the_progress_page(client_as, alice, progress):
    advance(progress.pk, done=10)
    response = client_as(alice).get(f"/tasks/{progress.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Counting the network</h1>" in html
    assert "Working" in html and "10 of 40" in html
    assert '<progress value="25" max="100"' in html
    assert f'hx-get="/tasks/{progress.pk}/?seen=' in html
    assert 'hx-trigger="every 1s"' in html


def test_an_outsider_gets_404(client_as, charlie, progress):
    assert client_as(charlie).get(f"/tasks/{progress.pk}/").status_code == 404


def test_a_visitor_gets_404(client, progress):
    assert client.get(f"/tasks/{progress.pk}/").status_code == 404


def test_htmx_gets_the_fragment_while_running(client_as, alice, progress):
    advance(progress.pk, done=1)
    response = client_as(alice).get(f"/tasks/{progress.pk}/", **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith(f'<div id="progress-{progress.pk}"')
    assert "<html" not in html and "1 of 40" in html


def test_htmx_gets_204_when_nothing_changed(client_as, alice, progress):
    client = client_as(alice)
    advance(progress.pk, done=5)
    progress.refresh_from_db()
    url = f"/tasks/{progress.pk}/?seen={progress.version}"
    assert client.get(url, **HTMX).status_code == 204
    advance(progress.pk, done=6)
    assert client.get(url, **HTMX).status_code == 200


def test_htmx_gets_286_when_finished_so_polling_stops(client_as, alice, progress):
    finish(progress.pk, message="All counted.", result_url="/network/")
    response = client_as(alice).get(f"/tasks/{progress.pk}/?seen=1", **HTMX)
    assert response.status_code == 286
    html = response.content.decode()
    assert "Finished" in html and "All counted." in html
    assert '<a href="/network/">See the result</a>' in html
    assert 'value="100"' in html and "hx-get" not in html


def test_a_failure_shows_its_message(client_as, alice, progress):
    fail(progress.pk, message="The file was empty.")
    response = client_as(alice).get(f"/tasks/{progress.pk}/", **HTMX)
    assert response.status_code == 286
    assert "Could not finish" in response.content.decode()
    assert "The file was empty." in response.content.decode()


def test_advance_counts_steps_and_touches_updated(progress):
    before = progress.updated
    advance(progress.pk, step=3)
    advance(progress.pk, step=2, message="Halfway")
    progress.refresh_from_db()
    assert (progress.done, progress.status, progress.message) == (5, "running", "Halfway")
    assert progress.updated > before


@task()
def count_to(*, n: int, progress_id: str) -> int:
    with tracking(progress_id):
        advance(progress_id, total=n)
        for _ in range(n):
            advance(progress_id, step=1)
        finish(progress_id, message=translation.gettext("Finished"))
    return n


@task()
def break_down(*, progress_id: str) -> None:
    with tracking(progress_id):
        raise ValueError("boom")


def test_enqueue_with_progress_passes_the_progress_to_the_task(alice):
    with translation.override("es"):
        progress = enqueue_with_progress(count_to, alice, "Contar", n=4)
    # Tests run tasks immediately, so the work is already done.
    assert progress.owner == alice and progress.language == "es"
    assert (progress.status, progress.done, progress.total) == ("done", 4, 4)
    # The task spoke the language of the person who started it.
    assert progress.message == "Terminado"


def test_a_task_that_raises_marks_its_progress_failed(alice):
    progress = enqueue_with_progress(break_down, alice, "Break")
    assert progress.status == TaskProgress.Status.FAILED
    assert progress.message == "Something went wrong and the task stopped."


def test_a_task_that_cannot_be_queued_fails_loudly(alice):
    with pytest.raises(TypeError):
        enqueue_with_progress(count_to, alice, "Bad", n=object())
    assert TaskProgress.objects.get().status == TaskProgress.Status.FAILED
