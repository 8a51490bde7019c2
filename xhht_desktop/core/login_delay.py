"""How long a user name waits after refused logins in a row.

A typo or two costs nothing; from the third refusal in a row each further
try waits twice as long as the one before, up to five minutes. Guessing a
password by hand becomes hopeless, while a user who remembers it after a few
tries waits seconds.
"""

from __future__ import annotations

from datetime import datetime, timedelta

FREE_FAILURES = 2
FIRST_WAIT_SECONDS = 1
MAX_WAIT_SECONDS = 300


def wait_after(failures: int) -> timedelta:
    """The wait before the next try after ``failures`` refusals in a row."""
    if failures <= FREE_FAILURES:
        return timedelta(0)
    doublings = min(failures - FREE_FAILURES - 1, 16)
    return timedelta(seconds=min(FIRST_WAIT_SECONDS * 2**doublings, MAX_WAIT_SECONDS))


def remaining(failures: int, last_failed_at: datetime | None, now: datetime) -> timedelta:
    """What is left of the wait at ``now`` (zero when the next try may go ahead)."""
    if last_failed_at is None:
        return timedelta(0)
    left = last_failed_at + wait_after(failures) - now
    # A clock set back (a laptop with a flat battery) must not lock a name for
    # days: the wait never exceeds its own length.
    return max(timedelta(0), min(left, wait_after(failures)))
