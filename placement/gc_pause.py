"""Pause Python's cyclic garbage collector around a big request.

A candidates response builds tens of thousands of small objects that
plain reference counting frees; meanwhile the cyclic collector, triggered
by the number of allocations, would walk every live object of the process
again and again (measured: half the time of a 2,000-candidate request).
Collection resumes when the last paused request ends.
"""
import contextlib
import gc
import threading

_lock = threading.Lock()
_paused = 0


@contextlib.contextmanager
def paused():
    global _paused
    with _lock:
        _paused += 1
        if _paused == 1:
            gc.disable()
    try:
        yield
    finally:
        with _lock:
            _paused -= 1
            if _paused == 0:
                gc.enable()
