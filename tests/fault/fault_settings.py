"""Settings of the scale-out test only: Kindred's own, with the signing rate limit raised.

Behind nginx every request reaches Django from nginx's address, so the per-address limit of
60 signatures in 10 minutes becomes a limit for everyone together (a product bug that
test_scale_out.py shows with the join limit, which no setting changes).
"""

from kindred.settings import *  # noqa: F403

POLICY_SIGN_RATE_LIMIT = (10**6, 600)
