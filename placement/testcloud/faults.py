"""Faults on request, for testing a client's error paths: the next N
writes answer 409 placement.concurrent_update, the next N requests answer
503, and every request may be delayed.

Counters are exact because the test cloud serves from one process (see
server.py); the control route itself is never delayed nor failed.
"""
import threading
import time

from placement import errors

CONTROL_PREFIX = '/_testcloud'
WRITES = ('POST', 'PUT', 'PATCH', 'DELETE')
FIELDS = ('conflicts', 'unavailable', 'latency_ms')

CONFLICT = ("Resource provider's generation already changed. Please update "
            'the generation and try again. (Fault injected by the test '
            'cloud.)')
UNAVAILABLE = 'The service is unavailable. (Fault injected by the test cloud.)'


class Faults:
    def __init__(self):
        self._lock = threading.Lock()
        self._state = dict.fromkeys(FIELDS, 0)

    def state(self):
        with self._lock:
            return dict(self._state)

    def update(self, **values):
        """Set the given counters (others unchanged); the new state."""
        with self._lock:
            self._state.update(values)
            return dict(self._state)

    def clear(self):
        return self.update(**dict.fromkeys(FIELDS, 0))

    def take(self, method):
        """The fault this request gets ('unavailable', 'conflict' or
        None) and its latency in seconds, counting it off."""
        with self._lock:
            latency = self._state['latency_ms'] / 1000.0
            if self._state['unavailable'] > 0:
                self._state['unavailable'] -= 1
                return 'unavailable', latency
            if method in WRITES and self._state['conflicts'] > 0:
                self._state['conflicts'] -= 1
                return 'conflict', latency
            return None, latency


class FaultMiddleware:
    """Falcon middleware, after ApiMiddleware: the error is rendered at
    the request's microversion like any other (its code from 1.23)."""

    def __init__(self, faults):
        self.faults = faults

    def process_request(self, req, resp):
        if req.path.startswith(CONTROL_PREFIX):
            return
        fault, latency = self.faults.take(req.method)
        if latency:
            time.sleep(latency)
        if fault == 'unavailable':
            raise errors.ServiceUnavailable(UNAVAILABLE)
        if fault == 'conflict':
            raise errors.ConcurrentUpdate(CONFLICT)
