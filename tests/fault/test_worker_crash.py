"""kill -9 the task worker while email tasks are queued and one is running, then restart it.

The running task is a policy status change that alerts 300 subscribers (one task, 300
emails); 30 one-email tasks wait behind it. Emails are files (EMAIL_URL=file://), counted
per address.
"""

import time
import uuid

import pytest

from tests.fault.support import ALERT_SUBSCRIBERS, wait_until

QUEUED = 30

ENQUEUE = """
import json
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from kindred.accounts.tasks import send_email_message
from kindred.policy import services
from kindred.policy.models import Policy
policy = Policy.objects.get(slug={policy!r})
statuses = [Policy.Status.IN_COMMITTEE, Policy.Status.PASSED_ONE_CHAMBER]
status = statuses[1] if policy.status == statuses[0] else statuses[0]
services.record_status_change(policy, status=status, date=timezone.localdate(),
                              source_title="Fault tests")
notify = DBTaskResult.objects.filter(task_path__endswith="notify_status_change")
notify = notify.order_by("-enqueued_at").first()
for i in range({queued}):
    send_email_message.enqueue("Fault", "Queued while the worker died.",
                               [f"{run}-queued-{{i}}@fault.example.org"])
print(json.dumps({{"notify": str(notify.id), "hex": notify.id.hex}}))
"""


@pytest.fixture(scope="module")
def worker_crash(stack):
    run = f"wc{uuid.uuid4().hex[:6]}"
    before = stack.emails()
    task = stack.db.django(ENQUEUE.format(policy=stack.data["policy"], queued=QUEUED, run=run))
    task_id = task["notify"] if stack.db.is_postgres else task["hex"]

    def notify_status():
        rows = stack.db.sql(
            "SELECT status FROM django_tasks_database_dbtaskresult WHERE id = %s", (task_id,)
        )
        return rows[0][0]

    worker = stack.worker(name="worker-crash").start()
    try:
        status = wait_until(
            lambda: (s := notify_status()) != "READY" and s, 60, 0.01, "the alert task to start"
        )
        worker.kill9()
        killed_while = status
        sent_at_kill = sum((stack.emails() - before).values())
        # What an operator (or `make run`) does before starting the only worker again.
        requeued = stack.db.manage("requeue_stale_tasks", "--older-than", "0")
        stack.worker(name="worker-restarted").start()

        def queued_sent():
            received = stack.emails() - before
            return sum(1 for a in received if a.startswith(f"{run}-queued-")) == QUEUED

        wait_until(queued_sent, 90, 0.5, "the queued emails after the restart")
        wait_until(
            lambda: notify_status() in {"SUCCESSFUL", "FAILED"}, 90, 0.5, "the alert task's rerun"
        )
        time.sleep(2)  # anything else the restarted worker would still send
        received = stack.emails() - before
        yield {
            "run": run,
            "received": received,
            "killed_while": killed_while,
            "sent_at_kill": sent_at_kill,
            "final_status": notify_status(),
            "requeued": requeued,
        }
    finally:
        stack.stop_all()


def _alerts(received):
    return {a: n for a, n in received.items() if a.startswith("alert-")}


def test_queued_email_tasks_are_sent_once_after_the_worker_restarts(worker_crash):
    queued = {a: n for a, n in worker_crash["received"].items() if "-queued-" in a}
    assert len(queued) == QUEUED
    assert set(queued.values()) == {1}


def test_no_email_is_sent_twice_after_a_worker_crash(worker_crash):
    alerts = _alerts(worker_crash["received"])
    print(
        f"\n[fault] worker killed while the alert task was {worker_crash['killed_while']}; "
        f"{worker_crash['sent_at_kill']} emails out at the kill; after the restart "
        f"{len(alerts)} of {ALERT_SUBSCRIBERS} subscribers alerted; the task is now "
        f"{worker_crash['final_status']}"
    )
    assert all(n == 1 for n in alerts.values())


def test_the_interrupted_alert_reaches_every_subscriber_once(worker_crash):
    # requeue_stale_tasks put the task a dead worker left running back on the queue, and
    # the alert task records each delivery with its send, so the rerun sends only the rest.
    assert "Requeued 1 task(s)" in worker_crash["requeued"]
    alerts = _alerts(worker_crash["received"])
    assert worker_crash["final_status"] == "SUCCESSFUL"
    assert len(alerts) == ALERT_SUBSCRIBERS
    assert set(alerts.values()) == {1}
