"""Tests of xhht_desktop.ui.tasks: work runs on a worker, results come back on the GUI thread."""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, QThreadPool, Slot

from xhht_desktop.ui.tasks import BackgroundTask


class _Receiver(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.got: list[tuple[str, object, threading.Thread]] = []

    @Slot(object)
    def finished(self, value: object) -> None:
        self.got.append(("finished", value, threading.current_thread()))

    @Slot(object)
    def failed(self, error: object) -> None:
        self.got.append(("failed", error, threading.current_thread()))


def _run(qtbot, work) -> tuple[_Receiver, BackgroundTask]:
    receiver = _Receiver()
    task = BackgroundTask(work, receiver)
    task.finished.connect(receiver.finished)
    task.failed.connect(receiver.failed)
    task.start()
    qtbot.waitUntil(lambda: bool(receiver.got))
    return receiver, task


def test_the_result_comes_back_on_the_gui_thread(qtbot):
    ran_on: list[threading.Thread] = []

    def work() -> int:
        ran_on.append(threading.current_thread())
        return 42

    receiver, task = _run(qtbot, work)
    assert receiver.got == [("finished", 42, threading.main_thread())]
    assert ran_on and ran_on[0] is not threading.main_thread()
    assert task.result == 42 and task.error is None


def test_an_error_comes_back_as_failed(qtbot):
    def work() -> int:
        raise ValueError("hỏng")

    receiver, task = _run(qtbot, work)
    [(kind, error, thread)] = receiver.got
    assert kind == "failed" and isinstance(error, ValueError) and str(error) == "hỏng"
    assert thread is threading.main_thread()
    assert task.error is error


def test_a_task_whose_owner_is_gone_says_nothing(qtbot):
    release = threading.Event()
    owner = QObject()
    task = BackgroundTask(lambda: release.wait(5), owner)
    task.start()
    owner.deleteLater()
    qtbot.wait(20)
    release.set()
    # The task was deleted with its owner: the worker must not touch it.
    assert QThreadPool.globalInstance().waitForDone(5000)


def test_only_the_newest_of_latest_tasks_is_delivered(qtbot):
    import threading

    from PySide6.QtCore import QObject, QThreadPool

    from xhht_desktop.ui.tasks import LatestTask

    owner = QObject()
    results: list[object] = []
    errors: list[BaseException] = []
    jobs = LatestTask(results.append, errors.append, owner)
    gate = threading.Event()
    jobs.start(lambda: gate.wait(10) and "old")
    jobs.start(lambda: "new")
    qtbot.waitUntil(lambda: results == ["new"])
    assert not jobs.running
    gate.set()
    QThreadPool.globalInstance().waitForDone()
    qtbot.waitUntil(lambda: not jobs.tasks)
    assert results == ["new"] and errors == []
    jobs.start(lambda: 1 / 0)
    qtbot.waitUntil(lambda: bool(errors))
    assert isinstance(errors[0], ZeroDivisionError) and results == ["new"]
