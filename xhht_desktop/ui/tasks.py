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


class LatestTask(QObject):
    """Background jobs of one view, of which only the newest one counts.

    A page recomputes whenever the year, the plan or the data changes; a slow
    older job can finish after a newer one and must not overwrite it. Each
    :meth:`start` supersedes the jobs before it: their results are dropped,
    and only the newest job's result or error reaches the callbacks.

    Attributes:
        tasks: The jobs still running, by generation (oldest first).
    """

    def __init__(
        self,
        on_result: Callable[[object], None],
        on_error: Callable[[BaseException], None],
        parent: QObject,
    ) -> None:
        super().__init__(parent)
        self._on_result = on_result
        self._on_error = on_error
        self._generation = 0
        self.tasks: dict[int, BackgroundTask] = {}

    @property
    def running(self) -> bool:
        """Whether the newest job is still running."""
        return self._generation in self.tasks

    def start(self, work: Callable[[], object]) -> None:
        self._generation += 1
        generation = self._generation
        # Owned by this object, so deleted on the GUI thread (deleteLater
        # once back, or with the page).
        task = BackgroundTask(work, self)
        task.finished.connect(lambda value: self._finished(generation, value, None))
        task.failed.connect(lambda error: self._finished(generation, None, error))
        self.tasks[generation] = task
        task.start()

    def _finished(self, generation: int, value: object, error: BaseException | None) -> None:
        task = self.tasks.pop(generation, None)
        if task is not None:
            task.deleteLater()
        if generation != self._generation:
            return  # superseded by a newer job
        if error is not None:
            self._on_error(error)
        else:
            self._on_result(value)
