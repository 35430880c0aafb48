"""Every route and method, every kind of caller, both policy modes.

The rows are the route table itself (``placement.app.ROUTES`` and each
responder's ``@operation``): a route whose policy rule has no row in
``ALLOWED`` fails, and so does a row no route uses. Each cell is a real
request through the whole WSGI stack (noauth2 carries the identity):
a caller the rule refuses gets 403 naming the rule, any other gets
whatever the request earns (never 403).

``ALLOWED`` is written from upstream Placement's documented defaults
(placement/policies/*.py of 16.x: ``admin_or_service_api`` for nearly
everything, ``service_api`` for the reshaper, ``admin_or_project_reader_or
_service_api`` for GET /usages), under the legacy defaults (the deprecated
``role:admin`` rule OR-ed in) and under the new ones; and from our own
documentation (README, Extensions) for our extensions.
"""
import json

import pytest
from oslo_config import cfg
from oslo_policy import opts as policy_opts

from placement import app, microversion, operations
from tests.functional import app as test_app
from tests.functional.test_hostile_input import call

PROJECT = 'matrix-project'
OTHER = 'matrix-other'
RP = 'beefcafe-0000-4000-8000-000000000001'
CONSUMER = 'beefcafe-0000-4000-8000-000000000002'

# noauth2 identities: (token "user:project", roles as keystone expands them
# (admin implies member and reader, member implies reader)).
CALLERS = {
    'admin': ('matrix-admin:%s' % PROJECT, 'admin,member,reader'),
    'service': ('matrix-nova:service-project', 'service'),
    'member': ('matrix-member:%s' % PROJECT, 'member,reader'),
    'reader': ('matrix-reader:%s' % PROJECT, 'reader'),
    'other': ('matrix-other:%s' % OTHER, 'member,reader'),
    'none': ('matrix-none:%s' % PROJECT, ''),
}
EVERYONE = frozenset(CALLERS)
ADMIN_OR_SERVICE = frozenset({'admin', 'service'})
# GET /usages of PROJECT: its readers too (and so its members).
USAGES = frozenset({'admin', 'service', 'member', 'reader'})
# Our operator views: 'role:admin or role:reader', of any project.
OPERATOR_READER = frozenset({'admin', 'member', 'reader', 'other'})

# {rule: (allowed under the legacy defaults, under the new defaults)}.
ALLOWED = {
    'placement:resource_providers:list': (ADMIN_OR_SERVICE,) * 2,
    'placement:resource_providers:create': (ADMIN_OR_SERVICE,) * 2,
    'placement:resource_providers:show': (ADMIN_OR_SERVICE,) * 2,
    'placement:resource_providers:update': (ADMIN_OR_SERVICE,) * 2,
    'placement:resource_providers:delete': (ADMIN_OR_SERVICE,) * 2,
    'placement:resource_classes:list': (ADMIN_OR_SERVICE,) * 2,
    'placement:resource_classes:create': (ADMIN_OR_SERVICE,) * 2,
    'placement:resource_classes:show': (ADMIN_OR_SERVICE,) * 2,
    'placement:resource_classes:update': (ADMIN_OR_SERVICE,) * 2,
    'placement:resource_classes:delete': (ADMIN_OR_SERVICE,) * 2,
    'placement:resource_providers:inventories:list': (ADMIN_OR_SERVICE,) * 2,
    'placement:resource_providers:inventories:create':
        (ADMIN_OR_SERVICE,) * 2,
    'placement:resource_providers:inventories:show': (ADMIN_OR_SERVICE,) * 2,
    'placement:resource_providers:inventories:update':
        (ADMIN_OR_SERVICE,) * 2,
    'placement:resource_providers:inventories:delete':
        (ADMIN_OR_SERVICE,) * 2,
    'placement:resource_providers:aggregates:list': (ADMIN_OR_SERVICE,) * 2,
    'placement:resource_providers:aggregates:update':
        (ADMIN_OR_SERVICE,) * 2,
    'placement:resource_providers:usages': (ADMIN_OR_SERVICE,) * 2,
    'placement:usages': (USAGES,) * 2,
    'placement:traits:list': (ADMIN_OR_SERVICE,) * 2,
    'placement:traits:show': (ADMIN_OR_SERVICE,) * 2,
    'placement:traits:update': (ADMIN_OR_SERVICE,) * 2,
    'placement:traits:delete': (ADMIN_OR_SERVICE,) * 2,
    'placement:resource_providers:traits:list': (ADMIN_OR_SERVICE,) * 2,
    'placement:resource_providers:traits:update': (ADMIN_OR_SERVICE,) * 2,
    'placement:resource_providers:traits:delete': (ADMIN_OR_SERVICE,) * 2,
    'placement:allocations:manage': (ADMIN_OR_SERVICE,) * 2,
    'placement:allocations:list': (ADMIN_OR_SERVICE,) * 2,
    'placement:allocations:update': (ADMIN_OR_SERVICE,) * 2,
    'placement:allocations:delete': (ADMIN_OR_SERVICE,) * 2,
    'placement:resource_providers:allocations:list': (ADMIN_OR_SERVICE,) * 2,
    'placement:allocation_candidates:list': (ADMIN_OR_SERVICE,) * 2,
    # Services only, once the deprecated admin rule is no longer OR-ed in.
    'placement:reshaper:reshape': (ADMIN_OR_SERVICE, frozenset({'service'})),
    # Our extensions (README, Extensions).
    'placement:openapi:show': (EVERYONE,) * 2,
    'placement:capabilities:show': (EVERYONE,) * 2,
    'placement:capabilities:resource_providers:show':
        (ADMIN_OR_SERVICE,) * 2,
    'placement:capabilities:consumers:show': (ADMIN_OR_SERVICE,) * 2,
    'placement:resource_providers:tree:show': (OPERATOR_READER,) * 2,
    'placement:capacity:show': (OPERATOR_READER,) * 2,
    'placement:allocation_candidates:explain': (OPERATOR_READER,) * 2,
    'placement:metrics:show': (frozenset({'admin'}),) * 2,
}

# What each path's parameters name, and the query a request needs to get
# as far as its policy check.
VALUES = {'uuid': RP, 'consumer_uuid': CONSUMER, 'name': 'CUSTOM_MATRIX',
          'resource_class': 'VCPU'}
QUERIES = {'/usages': 'project_id=%s' % PROJECT,
           '/allocation_candidates': 'resources=VCPU:1',
           '/allocation_candidates/explain': 'resources=VCPU:1'}


def _modes():
    legacy = {('oslo_policy', 'enforce_new_defaults'): False}
    secure = {('oslo_policy', 'enforce_new_defaults'): True}
    probe = cfg.ConfigOpts()
    policy_opts.set_defaults(probe)
    probe([], default_config_files=[])
    try:
        probe.oslo_policy.enforce_scope
    except cfg.NoSuchOptError:
        pass  # oslo.policy >= 6 has no such option: scope is always checked
    else:
        secure[('oslo_policy', 'enforce_scope')] = True
    return {'legacy': legacy, 'secure': secure}


MODES = _modes()


@pytest.fixture(scope='module', params=sorted(MODES))
def mode(request):
    service = test_app.Service(MODES[request.param])
    for method, target, body in [
            ('POST', '/resource_providers', {'name': 'matrix', 'uuid': RP}),
            ('PUT', '/resource_providers/%s/inventories' % RP,
             {'resource_provider_generation': 0,
              'inventories': {'VCPU': {'total': 8}}}),
            ('PUT', '/allocations/%s' % CONSUMER,
             {'allocations': {RP: {'resources': {'VCPU': 1}}},
              'project_id': PROJECT, 'user_id': 'matrix-member',
              'consumer_generation': None, 'consumer_type': 'INSTANCE'})]:
        response = call(service.app, method, target, body,
                        {'x-roles': 'admin,service'})
        assert response.status < 300, response.body
    yield request.param, service.app
    service.close()


def _rows():
    return [(path, method, op) for path, method, op in
            operations.table(app.ROUTES) if op.policy is not None]


def test_every_rule_a_route_checks_has_a_row_and_no_row_is_stale():
    used = {op.policy for _path, _method, op in _rows()}
    assert sorted(used - set(ALLOWED)) == []
    assert sorted(set(ALLOWED) - used) == []


def test_routes_without_a_policy_are_only_the_root():
    assert [(path, method) for path, method, op in
            operations.table(app.ROUTES) if op.policy is None] == [
        ('/', 'GET')]


def _target(path):
    target = path
    for name, value in VALUES.items():
        target = target.replace('{%s}' % name, value)
    if path in QUERIES:
        target += '?' + QUERIES[path]
    return target


def _version(op):
    """The newest microversion the operation exists at."""
    return op.until or microversion.MAX


@pytest.mark.parametrize('caller', sorted(CALLERS))
def test_each_route_answers_each_caller_by_its_rule(mode, caller):
    name, application = mode
    token, roles = CALLERS[caller]
    wrong = []
    for path, method, op in _rows():
        allowed = caller in ALLOWED[op.policy][name == 'secure']
        version = _version(op)
        body = json.dumps({}) if op.body is not None else None
        response = call(application, method, _target(path), body, {
            'x-auth-token': token, 'x-roles': roles,
            'accept': getattr(op, 'media_type', 'application/json'),
            'openstack-api-version': 'placement %d.%d' % version})
        refused = response.status == 403
        if refused:
            # (In whatever media type the caller takes.)
            detail = response.body.decode()
            assert 'Policy does not allow %s' % op.policy in detail, detail
        if refused == allowed:
            wrong.append('%s %s (%s): %d' % (method, path, op.policy,
                                             response.status))
    assert wrong == [], '%s under %s defaults' % (caller, name)


def test_the_root_needs_no_token(mode):
    _name, application = mode
    response = call(application, 'GET', '/', headers={
        'x-auth-token': None, 'openstack-api-version': None})
    assert response.status == 200
