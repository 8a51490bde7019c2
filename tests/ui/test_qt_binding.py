"""The Qt binding itself: a known-bad release must never be what we run on."""

import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    fired = Signal()
    counted = Signal(int)


def test_emitting_signals_keeps_the_reference_count_of_true(qapp):
    # PySide6 6.12.0 under Python 3.11 dropped one reference to True per
    # emit; after a few thousand the interpreter aborted (bool_dealloc).
    emitter = _Emitter()
    received: list[int] = []
    emitter.fired.connect(lambda: received.append(0))
    emitter.counted.connect(received.append)
    before = sys.getrefcount(True)
    for number in range(2000):
        emitter.fired.emit()
        emitter.counted.emit(number)
    assert len(received) == 4000
    assert sys.getrefcount(True) >= before - 10
