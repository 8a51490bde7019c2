"""One writer per database: a second copy of the app (another process) only reads."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

import pytest
from sqlalchemy import func, select

from xhht_desktop.context import Actor, open_context
from xhht_desktop.core.registers import VillageDraft
from xhht_desktop.errors import ReadOnlyDatabase
from xhht_desktop.store.lock import WriterLock, lock_path
from xhht_desktop.store.models import Village

HOLDER = textwrap.dedent(
    """
    import sys
    from xhht_desktop.context import Actor, open_context
    from xhht_desktop.settings import Settings
    from xhht_desktop.store.engine import database_url

    settings = Settings(data_dir=__import__("pathlib").Path(sys.argv[2]),
                        database_url=database_url(sys.argv[1]))
    context = open_context(settings, Actor("first-window"))
    print("writer" if not context.read_only else "reader", flush=True)
    sys.stdin.read()  # holds the lock until the test closes stdin
    context.close()
    """
)


@pytest.fixture
def first_copy(context):
    """Another process that opened the same database first, and holds it."""
    settings = context.settings
    context.close()
    process = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(settings.database_file), str(settings.data_dir)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout.readline().strip() == "writer"
    yield process
    process.stdin.close()
    process.wait(timeout=60)
    process.stdout.close()


def _villages(context):
    with context.reading() as session:
        return session.scalar(select(func.count()).select_from(Village))


def test_the_second_copy_reads_and_refuses_every_write(first_copy, settings):
    second = open_context(settings, Actor("second-window"))
    try:
        assert second.read_only
        assert second.setup.is_set_up()  # reading works
        with pytest.raises(ReadOnlyDatabase, match="Một cửa sổ XHHT khác đang mở dữ liệu này"):
            second.villages.save(VillageDraft("thon", "Thôn 1"))
        # A bulk write without ORM objects (imports) is refused by SQLite itself.
        with pytest.raises(ReadOnlyDatabase), second.transaction() as session:
            session.execute(Village.__table__.delete())
        assert _villages(second) == 0
        # A backup only reads; a restore would overwrite the writer's file.
        made = second.backups.create()
        with pytest.raises(ReadOnlyDatabase):
            second.backups.restore(made.path)
    finally:
        second.close()


def test_the_second_command_line_writer_is_refused(first_copy, settings, tmp_path):
    env = {**os.environ, "XHHT_DATA_DIR": str(settings.data_dir)}
    db = ["--db", str(settings.database_file)]
    demo = subprocess.run(
        [sys.executable, "-m", "xhht_desktop", *db, "demo", "--persons", "10"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert demo.returncode == 1
    assert "Một cửa sổ XHHT khác đang mở dữ liệu này" in demo.stderr
    # Reading is fine meanwhile.
    info = subprocess.run(
        [sys.executable, "-m", "xhht_desktop", *db, "info"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert info.returncode == 0, info.stderr


def test_a_killed_writer_leaves_no_stale_lock(first_copy, settings):
    first_copy.send_signal(signal.SIGKILL)
    first_copy.wait(timeout=60)
    context = open_context(settings, Actor("after-the-crash"))
    try:
        assert not context.read_only
        context.villages.save(VillageDraft("thon", "Thôn 1"))
    finally:
        context.close()


def test_two_contexts_of_one_process_share_the_lock(context):
    second = open_context(context.settings, Actor("same-process"))
    try:
        assert not second.read_only
    finally:
        second.close()
    # The first still holds it: another process could not take it now.
    probe = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from xhht_desktop.store.lock import WriterLock; "
            "print(WriterLock(__import__('pathlib').Path(sys.argv[1])).acquired)",
            str(context.settings.database_file),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert probe.stdout.strip() == "False"


def test_the_lock_file_lies_beside_the_database(tmp_path):
    database = tmp_path / "xhht.sqlite"
    lock = WriterLock(database)
    try:
        assert lock.acquired
        assert lock_path(database).exists()
        assert lock_path(database).name == "xhht.sqlite.lock"
    finally:
        lock.release()
    lock.release()  # twice is harmless
