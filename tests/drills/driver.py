"""The child side of the crash drills: runs one real operation per forked process.

``python driver.py serve`` imports the app once, says ``ready`` and then reads
one JSON request per line from stdin. For each it forks a child that runs the
operation (the real ``xhht`` command line, or a few service calls) with its
output line-buffered into a file, waits ``delay`` seconds and kills the child
with SIGKILL unless it finished; then it answers one JSON line. Forking from a
warm process puts the kills inside the operation instead of in Python's
start-up; the parent of the child (this server) reaps it, so the pid it kills
is always the child's.

A line the child prints after a commit ("committed …") reaches the file
before the next statement runs, so every such line names a transaction that
SQLite reported as committed.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any


def _warm_up() -> None:
    # Everything the operations use, imported before any fork.
    import openpyxl  # noqa: F401

    import xhht_desktop.cli
    import xhht_desktop.exchange.package
    import xhht_desktop.services.backups
    import xhht_desktop.services.exchange
    import xhht_desktop.services.households
    import xhht_desktop.services.learning_models
    import xhht_desktop.services.roster
    import xhht_desktop.services.signing  # noqa: F401


def _context(request: dict[str, Any]) -> Any:
    from xhht_desktop.context import Actor, open_context
    from xhht_desktop.settings import Settings
    from xhht_desktop.store.engine import database_url

    settings = Settings(
        data_dir=Path(request["data_dir"]), database_url=database_url(request["db"])
    )
    return open_context(settings, Actor("drill", "admin"))


def _save(request: dict[str, Any]) -> int:
    from xhht_desktop.core.registers import HouseholdDraft, VillageDraft

    context = _context(request)
    village = context.villages.save(VillageDraft("thon", f"Thôn diễn tập {os.getpid()}"))
    print(f"committed villages {village.id}")
    for number in range(request["count"]):
        saved = context.households.save(
            HouseholdDraft(f"DT{number:04d}", village.id, f"Nguyễn Văn Diễn {number}")
        )
        print(f"committed households {saved.id}")
    context.close()
    return 0


def _recognise(request: dict[str, Any]) -> int:
    from xhht_desktop.core.models_cycle import DecisionDraft

    context = _context(request)
    year = request["year"]
    from sqlalchemy import select

    from xhht_desktop.store.models import Household, ModelEntry

    recognised = select(ModelEntry.subject_id).where(
        ModelEntry.model == "gdht", ModelEntry.year == year, ModelEntry.decision_id.is_not(None)
    )
    with context.reading() as session:
        households = session.scalars(
            select(Household.id)
            .where(Household.deleted_at.is_(None), Household.id.not_in(recognised))
            .order_by(Household.code)
            .limit(request["count"])
        ).all()
    for number, household in enumerate(households, start=1):
        decision = DecisionDraft(
            f"{number}/QĐ-DT", date(year, 12, 1), "Nguyễn Văn Minh", "Chủ tịch"
        )
        context.learning_models.recognise(
            "gdht",
            year,
            [household],
            decision,
            override_reason="Diễn tập mất điện: công nhận theo quyết định của Chủ tịch",
            today=date(year, 12, 2),
        )
        print(f"committed decisions {number}/QĐ-DT {household}")
    context.close()
    return 0


def _cli(request: dict[str, Any]) -> int:
    from xhht_desktop.cli import main

    return main(request["argv"])


OPERATIONS = {"cli": _cli, "save": _save, "recognise": _recognise}


def _child(request: dict[str, Any]) -> None:
    code = 70
    try:
        fd = os.open(request["out"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.dup2(fd, 1)
        os.dup2(fd, 2)
        os.close(fd)
        sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]
        sys.stderr.reconfigure(line_buffering=True)  # type: ignore[union-attr]
        os.environ.update(request.get("env", {}))
        code = OPERATIONS[request["op"]](request)
        sys.stdout.flush()
        sys.stderr.flush()
    except BaseException as exc:  # reported through the output file
        print(f"driver: {type(exc).__name__}: {exc}", file=sys.stderr, flush=True)
    finally:
        os._exit(code)


def _run(request: dict[str, Any]) -> dict[str, Any]:
    sys.stdout.flush()
    sys.stderr.flush()
    started = time.monotonic()
    pid = os.fork()
    if pid == 0:
        _child(request)
    delay = request.get("delay")
    killed = False
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        if delay is not None and time.monotonic() - started >= delay:
            os.kill(pid, signal.SIGKILL)
            killed = True
            _done, status = os.waitpid(pid, 0)
            break
        time.sleep(0.001)
    return {
        "killed": killed,
        "code": os.waitstatus_to_exitcode(status),
        "elapsed": time.monotonic() - started,
    }


def serve() -> None:
    _warm_up()
    print("ready", flush=True)
    for line in sys.stdin:
        if not line.strip():
            continue
        print(json.dumps(_run(json.loads(line))), flush=True)


if __name__ == "__main__":
    serve()
