"""gabbi fixtures for our gabbits/: each YAML file gets a fresh database
and application, and the environment variables its tests use."""
import os
import uuid

from gabbi import fixture

from placement import parsing
from placement.handlers import util
from tests import openapi_check
from tests.functional import app as test_app

# The application the current YAML file's requests are sent to.
CURRENT = {}
# The fixtures started so far (one per YAML file).
STARTED = []


# The request schemas the handlers validated with, per request: the
# description must publish exactly these.
VALIDATED = {}


def _recording(name, real):
    def record(data, schema):
        VALIDATED[name] = schema
        return real(data, schema)
    return record


def _record_body(req, schema):
    VALIDATED['body'] = schema
    return _real_read_json(req, schema)


_real_read_json = util.read_json
util.read_json = _record_body
util.validate_query = _recording('query', util.validate_query)
# (The query-string parsers beneath the handlers validate through parsing.)
parsing.validate_query = _recording('query', parsing.validate_query)


def _current_app(environ, start_response):
    """The file's app, every answer held to the OpenAPI description."""
    captured = {}
    VALIDATED.clear()

    def capture(status, headers, exc_info=None):
        captured.update(status=int(status.split()[0]), headers=dict(headers))
        return start_response(status, headers, exc_info)

    body = b''.join(CURRENT['app'](environ, capture))
    if 'HTTP_ACCESS_CONTROL_REQUEST_METHOD' not in environ:
        # (A CORS preflight is answered by the CORS middleware, by the
        # CORS specification, not by the API.)
        openapi_check.check(environ['REQUEST_METHOD'], environ['PATH_INFO'],
                            captured['status'], captured['headers'], body,
                            validated=VALIDATED)
    return [body]


def intercept():
    """gabbi asks for the app early; hand it one that finds the file's app
    at request time."""
    return _current_app


class APIFixture(fixture.GabbiFixture):
    """A fresh service (noauth2) and a set of uuids to name things by."""

    overrides = {}

    def start_fixture(self):
        STARTED.append(self)
        self.service = test_app.Service(self.overrides)
        CURRENT['app'] = self.service.app
        names = ['RP_UUID', 'RP_UUID2', 'PARENT_UUID', 'CHILD_UUID',
                 'CONSUMER_UUID', 'CONSUMER_UUID2', 'AGG_UUID', 'AGG_UUID2',
                 'PROJECT_ID', 'USER_ID', 'PROJECT_ID2', 'USER_ID2']
        # UUID_A .. UUID_T for files that need many names.
        names += ['UUID_%s' % letter for letter in 'ABCDEFGHIJKLMNOPQRST']
        for name in names:
            os.environ[name] = str(uuid.uuid4())
        os.environ['RP_NAME'] = 'rp-%s' % uuid.uuid4().hex[:8]
        os.environ['RP_NAME2'] = 'rp-%s' % uuid.uuid4().hex[:8]

    def stop_fixture(self):
        CURRENT.pop('app', None)
        self.service.close()


class SecureRBACFixture(APIFixture):
    """New policy defaults enforced (enforce_new_defaults = True)."""

    overrides = {('oslo_policy', 'enforce_new_defaults'): True}


class CORSFixture(APIFixture):
    """CORS configured for one origin."""

    overrides = {('cors', 'allowed_origin'): ['http://valid.example.com'],
                 ('cors', 'allow_headers'): ['openstack-api-version']}


class MaxCandidatesFixture(APIFixture):
    """[placement] max_allocation_candidates = 2 (depth-first)."""

    overrides = {('placement', 'max_allocation_candidates'): 2}


class BreadthFirstFixture(APIFixture):
    """max_allocation_candidates = 2 with the breadth-first strategy."""

    overrides = {('placement', 'max_allocation_candidates'): 2,
                 ('placement', 'allocation_candidates_generation_strategy'):
                 'breadth-first'}


class IncompleteConsumerFixture(APIFixture):
    """Placeholder project/user for consumers written before 1.8."""

    overrides = {('placement', 'incomplete_consumer_project_id'):
                 'incomplete-project',
                 ('placement', 'incomplete_consumer_user_id'):
                 'incomplete-user'}
