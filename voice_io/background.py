"""Work outside the model workers that yields the cores while speech is transcribed.

The embedded LLM runs in its own process. Under four sessions on two cores, its time slices, even at
the lowest priority, stalled Whisper's threads: 6-8 s turns took 2-5 s to decode instead of 0.3-0.5 s.
Its work comes after the transcript anyway. So it registers here (`pause_during_stt`): `pause()` is
called when the first STT job starts and `resume()` when the last one ends (`paused()`, around each
STT job in `voice_io.workers`).
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator

_REGISTERED: list[tuple[Callable[[], None], Callable[[], None]]] = []
_running = 0
_lock = threading.Lock()


def pause_during_stt(pause: Callable[[], None], resume: Callable[[], None]) -> Callable[[], None]:
    """Register work to pause while any STT job runs; returns a function that unregisters it (and
    resumes the work if a job is running then)."""
    entry = (pause, resume)
    with _lock:
        _REGISTERED.append(entry)
        if _running:
            pause()

    def remove() -> None:
        with _lock:
            if entry in _REGISTERED:
                _REGISTERED.remove(entry)
                if _running:
                    resume()

    return remove


def _call_all(index: int) -> None:
    for entry in _REGISTERED:
        with contextlib.suppress(Exception):  # a process that just died: nothing to pause
            entry[index]()


@contextlib.contextmanager
def paused() -> Iterator[None]:
    """Around one STT job (any thread): the registered work is paused while at least one runs."""
    global _running
    with _lock:
        _running += 1
        if _running == 1:
            _call_all(0)
    try:
        yield
    finally:
        with _lock:
            _running -= 1
            if _running == 0:
                _call_all(1)
