"""The control route of a test cloud, ``/_testcloud``: what is loaded,
reset to a scenario, faults. Only placement.testcloud.cloud routes it;
the production route table (placement.app.ROUTES) never holds it.
Callers need the admin role (noauth2 token ``admin``)."""
import os

from placement import errors
from placement.handlers import util

RESET = {
    'type': 'object',
    'properties': {'scenario': {'type': 'string', 'minLength': 1}},
    'additionalProperties': False,
}
COUNTER = {'type': 'integer', 'minimum': 0, 'maximum': 1000000}
FAULTS = {
    'type': 'object',
    'properties': {'conflicts': COUNTER, 'unavailable': COUNTER,
                   'latency_ms': {'type': 'integer', 'minimum': 0,
                                  'maximum': 60000}},
    'additionalProperties': False,
}


def _admin_only(req):
    if 'admin' not in (req.context.caller.roles or []):
        raise errors.Forbidden('The test cloud control route needs the '
                               'admin role (token "admin").')


def _body(req, schema):
    if not req.content_length:
        return {}
    return util.read_json(req, schema)


class Status:
    """GET /_testcloud: the scenario served, its names → uuids, the
    ceiling and the faults armed."""

    def __init__(self, cloud):
        self.cloud = cloud

    def on_get(self, req, resp):
        _admin_only(req)
        util.send_json(req, resp, self.cloud.status(pid=os.getpid()))


class Reset:
    """POST /_testcloud/reset {"scenario": NAME}: the scenario again (the
    current one when no name is given); faults are cleared too."""

    def __init__(self, cloud):
        self.cloud = cloud

    def on_post(self, req, resp):
        _admin_only(req)
        name = _body(req, RESET).get('scenario')
        if name is not None and name not in self.cloud.scenario_names():
            raise errors.BadRequest(
                'Unknown scenario %r; this test cloud has: %s'
                % (name, ', '.join(self.cloud.scenario_names())))
        elapsed = self.cloud.reset(name)
        util.send_json(req, resp, {
            'scenario': self.cloud.scenario_name,
            'elapsed_ms': round(elapsed * 1000, 3),
            'index': self.cloud.scenario().index()})


class Faults:
    """GET, POST (set some counters) and DELETE (clear all) of the faults:
    {"conflicts": N, "unavailable": N, "latency_ms": MS}."""

    def __init__(self, cloud):
        self.cloud = cloud

    def on_get(self, req, resp):
        _admin_only(req)
        util.send_json(req, resp, self.cloud.faults.state())

    def on_post(self, req, resp):
        _admin_only(req)
        util.send_json(req, resp, self.cloud.faults.update(
            **_body(req, FAULTS)))

    def on_delete(self, req, resp):
        _admin_only(req)
        self.cloud.faults.clear()
        resp.status = 204
