"""Work that runs off the GUI thread and reports back on it.

Picard's rule applies: no widget is touched from a worker thread. A
:class:`BackgroundTask` runs a plain function on Qt's global thread pool and
hands its result, or the exception it raised, to the GUI thread through
signals; the widgets connected to those signals do the showing.
"""

from __future__ import annotations

from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QObject, QThreadPool, Signal


class BackgroundTask(QObject):
    """Run a function on the thread pool; report back on the GUI thread.

    The task object lives on the GUI thread, so slots of GUI objects connected
    to its signals run there, never on the worker. A task is started once.

    Example::

        task = BackgroundTask(lambda: context.literacy.rates(2026), parent=page)
        task.finished.connect(page.show_rates)
        task.failed.connect(page.show_error)
        task.start()

    Signals:
        finished(object): the function's return value.
        failed(object): the exception it raised.

    Attributes:
        result: The return value, once the function has returned.
        error: The exception, once the function has raised one.
    """

    finished = Signal(object)
    failed = Signal(object)

    def __init__(self, work: Callable[[], object], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._work = work
        self.result: object = None
        self.error: BaseException | None = None

    def start(self) -> None:
        QThreadPool.globalInstance().start(self._run)

    def _run(self) -> None:
        try:
            self.result = self._work()
        except Exception as exc:  # reported to the GUI thread, which decides
            self.error = exc
            self._emit(self.failed, exc)
        else:
            self._emit(self.finished, self.result)

    def _emit(self, signal: Signal, value: object) -> None:
        # The parent (a page, a window) may have been closed and deleted while
        # the work ran: then nobody is left to tell.
        if shiboken6.isValid(self):
            signal.emit(value)  # type: ignore[attr-defined]
