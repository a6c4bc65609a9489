"""The GUI thread's garbage collector waits while the worker is busy (a pass then walks everything the worker
holds), but not for ever; and the core's paused collection leaves the collector as it found it."""

import gc

from desktop_app.core.collector import collection_paused
from desktop_app.gui.application import MainThreadGarbageCollector


def test_collection_waits_while_busy_but_not_for_ever(qapp, monkeypatch):
    collected = []
    monkeypatch.setattr(gc, "collect", lambda generation=2: collected.append(generation) or 0)
    monkeypatch.setattr(gc, "get_count", lambda: (10_000, 0, 0))
    collector = MainThreadGarbageCollector(qapp)
    collector._timer.stop()  # driven by hand below; the application's own collector keeps running
    busy = [True]
    collector.defer_while(lambda: busy[0])
    collector.collect_if_due()
    assert collected == []
    now = [1000.0]
    monkeypatch.setattr("desktop_app.gui.application.time.monotonic", lambda: now[0])
    collector._deferred_since = None
    collector.collect_if_due()
    now[0] += collector.MAX_DEFER_S + 1
    collector.collect_if_due()
    assert collected == [0]  # busy for too long: collected anyway
    busy[0] = False
    collector.collect_if_due()
    assert collected == [0, 0]


def test_paused_collection_restores_what_it_found():
    was = gc.isenabled()
    try:
        gc.disable()
        with collection_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the GUI had it off: it stays off
        gc.enable()
        with collection_paused():
            assert not gc.isenabled()
        assert gc.isenabled()
    finally:
        (gc.enable if was else gc.disable)()
