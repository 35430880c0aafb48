"""Capabilities' building blocks: the feature table, the route table they
read, the capacity bound, and the enforcer's non-raising check."""
import pytest
from oslo_config import cfg
from oslo_context import context
from oslo_policy import opts as policy_opts

from placement import app, capacity, errors, microversion, operations
from placement import policy
from placement.capabilities import features, judge, service
from placement.policies import capabilities as capability_policies


def test_every_microversion_brings_a_feature():
    versions = [feature.version for feature in features.FEATURES]
    assert versions == sorted(versions)
    assert set(versions) == {(1, minor) for minor in
                             range(1, microversion.MAX_VERSION[1] + 1)}
    names = [feature.name for feature in features.FEATURES]
    assert len(names) == len(set(names))
    assert all(feature.description for feature in features.FEATURES)


@pytest.mark.parametrize('name, version', [
    ('resource_classes', (1, 2)), ('traits', (1, 6)),
    ('dict_allocations', (1, 12)), ('post_allocations', (1, 13)),
    ('nested_providers', (1, 14)), ('error_codes', (1, 23)),
    ('reserved_equal_total', (1, 26)), ('consumer_generations', (1, 28)),
    ('reshaper', (1, 30)), ('reparenting', (1, 37)),
    ('consumer_types', (1, 38)), ('any_traits', (1, 39)),
])
def test_feature_versions(name, version):
    assert features.version_of(name) == version
    assert not features.available(name, (version[0], version[1] - 1))
    assert features.available(name, version)


def test_every_operation_is_named_and_typed():
    """Capabilities list operations from the route table: each needs a
    name (unique in its resource type) and a rule, and each upstream path
    a resource type."""
    seen = set()
    extensions = set()
    for path, method, op in operations.table(app.ROUTES):
        if path == '/':
            continue
        assert op.name and op.policy, (method, path)
        if op.extension:
            extensions.add(path)
            continue
        kind = service.resource_type(path)
        assert kind, path
        assert (kind, op.name) not in seen, (method, path)
        seen.add((kind, op.name))
    assert {'/capabilities', '/capabilities/resource_providers/{uuid}',
            '/capabilities/consumers/{consumer_uuid}',
            '/openapi.json'} <= extensions
    kinds = {kind for kind, _ in seen}
    assert kinds == {'resource_providers', 'inventories', 'aggregates',
                     'traits', 'resource_provider_traits',
                     'resource_classes', 'allocations', 'usages',
                     'allocation_candidates', 'reshaper'}


@pytest.mark.parametrize('used, reserved, ratio, expected', [
    (0, 0, 1.0, 0), (0, 4, 16.0, 4), (5, 0, 1.0, 5), (5, 2, 1.0, 7),
    (5, 0, 16.0, 1), (16, 0, 16.0, 1), (17, 0, 16.0, 2),
    (5, 0, 0.7, 8), (1, 0, 0.1, 10),
    # 21 / 0.7 is a little over 30 in floating point, yet 30 * 0.7 holds 21.
    (21, 0, 0.7, 30), (21, 3, 0.7, 33),
    (3, 0, 0.0, None), (3, 0, -1.0, None), (1, 0, 5e-324, None),
])
def test_smallest_total(used, reserved, ratio, expected):
    found = capacity.smallest_total(used, reserved, ratio)
    assert found == expected
    if found is not None:
        assert capacity.holds(used, found, reserved, ratio)
        if found > reserved:
            assert not capacity.holds(used, found - 1, reserved, ratio)


def _enforcer(new_defaults):
    conf = cfg.ConfigOpts()
    policy_opts.set_defaults(conf)
    conf([], project='placement-caps-test', default_config_files=[])
    conf.set_override('policy_file', '/nonexistent/policy.yaml',
                      group='oslo_policy')
    conf.set_override('enforce_new_defaults', new_defaults,
                      group='oslo_policy')
    return policy.Enforcer(conf)


@pytest.mark.parametrize('new_defaults', [True, False])
@pytest.mark.parametrize('roles', [['admin'], ['service'], ['reader'], []])
def test_allows_is_authorize_without_raising(new_defaults, roles):
    enforcer = _enforcer(new_defaults)
    ctx = context.RequestContext(user_id='u', project_id='p', roles=roles)
    for rule in ('placement:resource_providers:delete',
                 'placement:reshaper:reshape', 'placement:usages',
                 capability_policies.SHOW, capability_policies.PROVIDER,
                 capability_policies.CONSUMER):
        for target in (None, {'project_id': 'p', 'user_id': None},
                       {'project_id': 'other', 'user_id': None}):
            try:
                enforcer.authorize(ctx, rule, target)
                raised = None
            except errors.Forbidden as exc:
                raised = exc
            assert enforcer.allows(ctx, rule, target) is (raised is None)
            refusal = enforcer.refusal(ctx, rule, target)
            assert (refusal is None) is (raised is None)
            if raised is not None:
                assert refusal.detail == raised.detail == (
                    'Policy does not allow %s to be performed.' % rule)


def test_capability_rules_follow_the_rules_they_describe():
    enforcer = _enforcer(True)
    reader = context.RequestContext(user_id='u', project_id='p',
                                    roles=['reader'])
    service_caller = context.RequestContext(user_id='n', project_id='s',
                                            roles=['service'])
    assert enforcer.allows(reader, capability_policies.SHOW)
    assert not enforcer.allows(reader, capability_policies.PROVIDER)
    assert not enforcer.allows(reader, capability_policies.CONSUMER)
    assert enforcer.allows(service_caller, capability_policies.PROVIDER)
    assert enforcer.allows(service_caller, capability_policies.CONSUMER)


def test_fill_replaces_whole_placeholders_only():
    body = {'name': '{new_name}', 'list': ['{a}', 'x{a}'], 'n': 1,
            'keep': '{unknown}'}
    assert judge.fill(body, {'new_name': 'n1', 'a': 'A'}) == {
        'name': 'n1', 'list': ['A', 'x{a}'], 'n': 1, 'keep': '{unknown}'}
