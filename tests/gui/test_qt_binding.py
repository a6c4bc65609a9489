"""Guards against a known-broken Qt binding: PySide6 6.12.0 on Python 3.11 drops a reference to None
in every processEvents() call, and the interpreter aborts after a few thousand calls (pyproject.toml
pins below it). Tests, progress loops and the start-up all call processEvents."""

import sys

from PySide6.QtWidgets import QApplication


def test_process_events_keeps_none_alive(qapp):
    before = sys.getrefcount(None)
    for _ in range(500):
        QApplication.processEvents()
    assert sys.getrefcount(None) - before > -50
