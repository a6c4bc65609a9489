"""The thumbnail loader: newest request first, each picture read once at a time, the queue and the
cache bounded."""

import threading

from PIL import Image

from desktop_app.gui import thumbnails
from desktop_app.gui.thumbnails import LOADING, ThumbnailLoader


def test_loader_newest_first_once_each_and_bounded(qtbot, qapp, tmp_path, monkeypatch):
    started, release = threading.Event(), threading.Event()
    order: list[str] = []

    def slow_load(root, sha, original, box):
        order.append(sha)
        if sha == "a":
            started.set()
            release.wait(10)
        image = Image.new("RGB", (40, 30), "#c0392b")
        path = tmp_path / f"{sha}.png"
        image.save(path)
        from PySide6.QtGui import QImage
        return QImage(str(path))

    monkeypatch.setattr(thumbnails, "load_thumbnail", slow_load)
    loader = ThumbnailLoader(tmp_path, lambda sha: tmp_path / sha, threads=1, max_pending=3, cache_size=2)
    try:
        loader.request("a")
        assert started.wait(5)
        for sha in "bcde":
            loader.request(sha)
        loader.request("a")  # already being read
        loader.request("c")  # wanted again: first in line
        release.set()
        qtbot.waitUntil(lambda: loader.idle, timeout=5000)
        qtbot.waitUntil(lambda: len(order) == 4 and loader.cached == 2, timeout=5000)
        assert order == ["a", "c", "e", "d"]  # b was dropped (scrolled past), c asked for again
        assert loader.state("b") == LOADING and loader.pixmap("d") is not None and loader.pixmap("a") is None
    finally:
        release.set()
        loader.close()
