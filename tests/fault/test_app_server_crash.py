"""kill -9 the app server in the middle of a load of signatures, then start it again.

Every signature the server acknowledged (200 or 201) must be in the database, once.
"""

import threading
import time
import uuid

from tests.fault.support import LoadResult, run_load

COUNT_SIGNATURES = """
import json
from django.db.models import Count
from kindred.policy.models import Signature
rows = Signature.objects.filter(action__slug={slug!r}, email_normalised__startswith={run!r})
emails = list(rows.values_list("email_normalised", flat=True))
dupes = rows.values("email_normalised").annotate(n=Count("id")).filter(n__gt=1).count()
print(json.dumps({{"emails": emails, "duplicates": dupes}}))
"""


def test_acknowledged_signatures_survive_a_kill_9_of_the_app_server(fresh):
    app = fresh.app().start()
    result, stop = LoadResult(), threading.Event()
    run = f"crash{uuid.uuid4().hex[:6]}"
    slug = fresh.data["actions"]["crash"]
    load = threading.Thread(
        target=run_load,
        args=(app.port, 120, 8, ["sign"], fresh.data),
        kwargs={"slug": slug, "run": run, "result": result,
                "stop": stop},
    )  # fmt: skip
    load.start()
    time.sleep(5)
    acked_before_kill = len(result.acked)
    app.kill9()
    killed = time.monotonic()
    time.sleep(1)
    app.start()
    back_after = time.monotonic() - killed
    time.sleep(4)  # signing goes on against the restarted server
    stop.set()
    load.join(timeout=60)
    assert not load.is_alive()
    app.stop()

    stored = fresh.db.django(COUNT_SIGNATURES.format(slug=slug, run=run))
    emails = set(stored["emails"])
    missing = [email for email in result.acked if email.lower() not in emails]
    print(result.summary("sign load with kill -9 of gunicorn"))
    print(
        f"[fault] acknowledged {len(result.acked)} ({acked_before_kill} before the kill), "
        f"unanswered {len(result.unanswered)}, rows {len(stored['emails'])}, "
        f"server back {back_after:.1f} s after kill -9"
    )
    assert acked_before_kill > 0 and len(result.acked) > acked_before_kill, "no load after restart"
    assert missing == [], f"acknowledged but not stored: {missing[:5]}"
    assert stored["duplicates"] == 0
    assert len(stored["emails"]) == len(emails)
    # Requests cut off by the kill may or may not have been stored, never anything else.
    assert emails <= {email.lower() for email in result.acked + result.unanswered}
