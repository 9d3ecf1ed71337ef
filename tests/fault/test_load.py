"""A load run over public pages, joining the network and signing an action.

Prints p50/p95/p99 per kind of request and the error rate; asserts only on errors (speed
targets live in bench/, never in tests).
"""

import uuid

from tests.fault.support import PUBLIC_PAGES, get, run_load, wait_until

COUNT = """
import json
from kindred.accounts.models import User
from kindred.policy.models import Signature
print(json.dumps({{
    "users": list(User.objects.filter(email__startswith={run!r}).values_list("email", flat=True)),
    "signatures": list(Signature.objects.filter(email_normalised__startswith={run!r})
                       .values_list("email_normalised", flat=True)),
}}))
"""


def test_load_over_public_pages_joining_and_signing(fresh):
    app = fresh.app().start()
    fresh.worker().start()  # joining sends a verification email
    for path in PUBLIC_PAGES:  # warm each page once
        assert get(app.port, path).status == 200, path
    run = f"load{uuid.uuid4().hex[:6]}"
    mix = ["page", "sign", "page", "page", "sign", "join"]
    result = run_load(app.port, 20, 6, mix, fresh.data, slug=fresh.data["actions"]["load"], run=run)
    print("\n" + result.summary(f"load on {'PostgreSQL' if fresh.db.is_postgres else 'SQLite'}"))
    print(f"[fault] joins completed {len(result.joined)}, signatures acknowledged "
          f"{len(result.acked)}")  # fmt: skip
    stored = fresh.db.django(COUNT.format(run=run))
    assert result.failures == [], result.failures[:10]
    assert result.joined and result.acked
    assert set(stored["users"]) == set(result.joined)
    assert set(stored["signatures"]) == {email.lower() for email in result.acked}
    # Every new member's verification email goes out, once.
    wait_until(
        lambda: all(fresh.emails()[email] >= 1 for email in result.joined),
        60, 0.5, "the verification emails",
    )  # fmt: skip
    emails = fresh.emails()
    assert all(emails[email] == 1 for email in result.joined)
