"""Python's cyclic garbage collector paused while a command builds hundreds of thousands of small objects.

The collector runs a pass every 700 new containers and a full pass over everything alive every few hundred
passes: reading 10,000 survey responses (200,000 answer dicts) paid for it with a third of its time. None of
those objects form cycles, so reference counting frees them all the same. The GUI already runs collection
itself on its own thread (gui/application.py): a paused collector is left as it was found."""

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collection_paused() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
