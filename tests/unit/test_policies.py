"""Policy defaults must match upstream placement's names and check strings."""
import pytest
from oslo_config import cfg
from oslo_context import context
from oslo_log import versionutils
from oslo_policy import policy

from placement import policies
from placement.policies import list_rules

ADMIN_OR_SERVICE = 'rule:admin_or_service_api'

# name -> (check_str, scope_types), as defined by upstream placement.
EXPECTED = {
    'admin_api': ('role:admin', ['project']),
    'service_api': ('role:service', ['project']),
    'admin_or_service_api': ('role:admin or role:service', ['project']),
    'project_reader_api': ('role:reader and project_id:%(project_id)s', None),
    'admin_or_project_reader_or_service_api': (
        'role:admin or rule:project_reader_api or role:service', ['project']),
    'placement:resource_providers:list': (ADMIN_OR_SERVICE, ['project']),
    'placement:resource_providers:create': (ADMIN_OR_SERVICE, ['project']),
    'placement:resource_providers:show': (ADMIN_OR_SERVICE, ['project']),
    'placement:resource_providers:update': (ADMIN_OR_SERVICE, ['project']),
    'placement:resource_providers:delete': (ADMIN_OR_SERVICE, ['project']),
    'placement:resource_classes:list': (ADMIN_OR_SERVICE, ['project']),
    'placement:resource_classes:create': (ADMIN_OR_SERVICE, ['project']),
    'placement:resource_classes:show': (ADMIN_OR_SERVICE, ['project']),
    'placement:resource_classes:update': (ADMIN_OR_SERVICE, ['project']),
    'placement:resource_classes:delete': (ADMIN_OR_SERVICE, ['project']),
    'placement:resource_providers:inventories:list': (
        ADMIN_OR_SERVICE, ['project']),
    'placement:resource_providers:inventories:create': (
        ADMIN_OR_SERVICE, ['project']),
    'placement:resource_providers:inventories:show': (
        ADMIN_OR_SERVICE, ['project']),
    'placement:resource_providers:inventories:update': (
        ADMIN_OR_SERVICE, ['project']),
    'placement:resource_providers:inventories:delete': (
        ADMIN_OR_SERVICE, ['project']),
    'placement:resource_providers:aggregates:list': (
        ADMIN_OR_SERVICE, ['project']),
    'placement:resource_providers:aggregates:update': (
        ADMIN_OR_SERVICE, ['project']),
    'placement:resource_providers:usages': (ADMIN_OR_SERVICE, ['project']),
    'placement:usages': (
        'rule:admin_or_project_reader_or_service_api', ['project']),
    'placement:traits:list': (ADMIN_OR_SERVICE, ['project']),
    'placement:traits:show': (ADMIN_OR_SERVICE, ['project']),
    'placement:traits:update': (ADMIN_OR_SERVICE, ['project']),
    'placement:traits:delete': (ADMIN_OR_SERVICE, ['project']),
    'placement:resource_providers:traits:list': (ADMIN_OR_SERVICE, ['project']),
    'placement:resource_providers:traits:update': (
        ADMIN_OR_SERVICE, ['project']),
    'placement:resource_providers:traits:delete': (
        ADMIN_OR_SERVICE, ['project']),
    'placement:allocations:manage': (ADMIN_OR_SERVICE, ['project']),
    'placement:allocations:list': (ADMIN_OR_SERVICE, ['project']),
    'placement:allocations:update': (ADMIN_OR_SERVICE, ['project']),
    'placement:allocations:delete': (ADMIN_OR_SERVICE, ['project']),
    'placement:resource_providers:allocations:list': (
        ADMIN_OR_SERVICE, ['project']),
    'placement:allocation_candidates:list': (ADMIN_OR_SERVICE, ['project']),
    'placement:reshaper:reshape': ('rule:service_api', ['project']),
}

# name -> [(method, path), ...] for the documented (per-API) rules.
EXPECTED_OPERATIONS = {
    'placement:resource_providers:list': [('GET', '/resource_providers')],
    'placement:resource_providers:create': [('POST', '/resource_providers')],
    'placement:resource_providers:show': [
        ('GET', '/resource_providers/{uuid}')],
    'placement:resource_providers:update': [
        ('PUT', '/resource_providers/{uuid}')],
    'placement:resource_providers:delete': [
        ('DELETE', '/resource_providers/{uuid}')],
    'placement:resource_classes:list': [('GET', '/resource_classes')],
    'placement:resource_classes:create': [('POST', '/resource_classes')],
    'placement:resource_classes:show': [('GET', '/resource_classes/{name}')],
    'placement:resource_classes:update': [
        ('PUT', '/resource_classes/{name}')],
    'placement:resource_classes:delete': [
        ('DELETE', '/resource_classes/{name}')],
    'placement:resource_providers:inventories:list': [
        ('GET', '/resource_providers/{uuid}/inventories')],
    'placement:resource_providers:inventories:create': [
        ('POST', '/resource_providers/{uuid}/inventories')],
    'placement:resource_providers:inventories:show': [
        ('GET', '/resource_providers/{uuid}/inventories/{resource_class}')],
    'placement:resource_providers:inventories:update': [
        ('PUT', '/resource_providers/{uuid}/inventories'),
        ('PUT', '/resource_providers/{uuid}/inventories/{resource_class}')],
    'placement:resource_providers:inventories:delete': [
        ('DELETE', '/resource_providers/{uuid}/inventories'),
        ('DELETE',
         '/resource_providers/{uuid}/inventories/{resource_class}')],
    'placement:resource_providers:aggregates:list': [
        ('GET', '/resource_providers/{uuid}/aggregates')],
    'placement:resource_providers:aggregates:update': [
        ('PUT', '/resource_providers/{uuid}/aggregates')],
    'placement:resource_providers:usages': [
        ('GET', '/resource_providers/{uuid}/usages')],
    'placement:usages': [('GET', '/usages')],
    'placement:traits:list': [('GET', '/traits')],
    'placement:traits:show': [('GET', '/traits/{name}')],
    'placement:traits:update': [('PUT', '/traits/{name}')],
    'placement:traits:delete': [('DELETE', '/traits/{name}')],
    'placement:resource_providers:traits:list': [
        ('GET', '/resource_providers/{uuid}/traits')],
    'placement:resource_providers:traits:update': [
        ('PUT', '/resource_providers/{uuid}/traits')],
    'placement:resource_providers:traits:delete': [
        ('DELETE', '/resource_providers/{uuid}/traits')],
    'placement:allocations:manage': [('POST', '/allocations')],
    'placement:allocations:list': [('GET', '/allocations/{consumer_uuid}')],
    'placement:allocations:update': [('PUT', '/allocations/{consumer_uuid}')],
    'placement:allocations:delete': [
        ('DELETE', '/allocations/{consumer_uuid}')],
    'placement:resource_providers:allocations:list': [
        ('GET', '/resource_providers/{uuid}/allocations')],
    'placement:allocation_candidates:list': [
        ('GET', '/allocation_candidates')],
    'placement:reshaper:reshape': [('POST', '/reshaper')],
}

# Generic rules that fall back to the old admin-only default.
DEPRECATED_TO_ADMIN = {'service_api', 'admin_or_service_api',
                       'project_reader_api',
                       'admin_or_project_reader_or_service_api'}

# Registering with the old defaults warns about every deprecated fallback.
pytestmark = pytest.mark.filterwarnings(
    'ignore:Policy .* was deprecated:UserWarning')

PROJECT = 'a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5'
OTHER_PROJECT = 'f5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0'


def _by_name():
    """Upstream's rules (our extensions' are tested below)."""
    ours = {rule.name for rule in policies.extension_rules()}
    return {rule.name: rule for rule in list_rules() if rule.name not in ours}


def test_extension_rules_are_ours():
    """Our extensions' rules have their own names, after upstream's."""
    names = [rule.name for rule in list_rules()]
    ours = [rule.name for rule in policies.extension_rules()]
    assert ours and names[-len(ours):] == ours
    for name in ours:
        assert name.startswith(('placement:capabilities',
                                'placement:openapi',
                                'placement:capacity',
                                'placement:resource_providers:tree',
                                'placement:allocation_candidates:explain',
                                'placement:metrics')), name
        assert name not in EXPECTED


def test_names_are_unique():
    names = [rule.name for rule in list_rules()]
    assert len(names) == len(set(names))


def test_check_strings_and_scopes_match_upstream():
    actual = {name: (rule.check_str, rule.scope_types)
              for name, rule in _by_name().items()}
    assert actual == EXPECTED


def test_generic_rules_come_first():
    names = [rule.name for rule in list_rules()]
    assert names[:5] == ['admin_api', 'service_api', 'admin_or_service_api',
                         'project_reader_api',
                         'admin_or_project_reader_or_service_api']


def test_operations_match_upstream():
    rules = _by_name()
    for name, expected in EXPECTED_OPERATIONS.items():
        rule = rules[name]
        assert isinstance(rule, policy.DocumentedRuleDefault), name
        assert [(op['method'], op['path']) for op in rule.operations] == \
            expected, name
        assert rule.description
    documented = {n for n, r in rules.items()
                  if isinstance(r, policy.DocumentedRuleDefault)}
    assert documented == set(EXPECTED_OPERATIONS)


def test_deprecated_rules():
    for name, rule in _by_name().items():
        old = rule.deprecated_rule
        if name in DEPRECATED_TO_ADMIN:
            assert old is not None, name
            assert old.name == 'rule:admin_api'
            assert old.check_str == 'role:admin'
            assert old.deprecated_since == versionutils.deprecated.WALLABY
            assert old.deprecated_reason
        else:
            assert old is None, name


def test_module_constants():
    from placement.policies import (aggregate, allocation,
                                    allocation_candidate, inventory, reshaper,
                                    resource_class, resource_provider, trait,
                                    usage)
    assert resource_provider.LIST == 'placement:resource_providers:list'
    assert usage.TOTAL_USAGES == 'placement:usages'
    assert usage.PROVIDER_USAGES == 'placement:resource_providers:usages'
    assert reshaper.RESHAPE == 'placement:reshaper:reshape'
    assert allocation.RP_LIST == \
        'placement:resource_providers:allocations:list'
    assert trait.RP_DELETE == 'placement:resource_providers:traits:delete'
    assert allocation_candidate.LIST == 'placement:allocation_candidates:list'
    assert aggregate.UPDATE == \
        'placement:resource_providers:aggregates:update'
    assert inventory.SHOW == 'placement:resource_providers:inventories:show'
    assert resource_class.DELETE == 'placement:resource_classes:delete'
    for module in (aggregate, allocation, allocation_candidate, inventory,
                   reshaper, resource_class, resource_provider, trait, usage):
        for rule in module.rules:
            assert rule.name in vars(module).values(), rule.name


def _make_enforcer(tmp_path, new_defaults):
    conf = cfg.ConfigOpts()
    conf([], project='placement-policy-test')
    enf = policy.Enforcer(conf)
    # No operator policy file: only the registered defaults apply.
    conf.set_override('policy_file', str(tmp_path / 'absent.yaml'),
                      group='oslo_policy')
    enf.policy_file = conf.oslo_policy.policy_file
    conf.set_override('enforce_new_defaults', new_defaults,
                      group='oslo_policy')
    enf.register_defaults(list_rules())
    enf.load_rules()
    return enf


@pytest.fixture(params=[True, False], ids=['new-defaults', 'old-defaults'])
def enforcer(request, tmp_path):
    enf = _make_enforcer(tmp_path, request.param)
    yield enf
    enf.clear()


def _creds(roles, project_id=PROJECT):
    ctx = context.RequestContext(user_id='u1', project_id=project_id,
                                 roles=roles)
    return ctx.to_policy_values()


def test_every_rule_registered(enforcer):
    for name in EXPECTED:
        assert name in enforcer.registered_rules
        assert name in enforcer.rules


def test_admin_and_service_pass_reader_fails(enforcer):
    target = {'project_id': PROJECT}
    rp_list = 'placement:resource_providers:list'
    assert enforcer.enforce(rp_list, target, _creds(['admin']))
    assert enforcer.enforce(rp_list, target, _creds(['service']))
    assert not enforcer.enforce(rp_list, target, _creds(['reader']))
    assert not enforcer.enforce(rp_list, target, _creds(['member']))


def test_reshaper_is_service_only_with_new_defaults(enforcer):
    rule = 'placement:reshaper:reshape'
    target = {'project_id': PROJECT}
    assert enforcer.enforce(rule, target, _creds(['service']))
    assert not enforcer.enforce(rule, target, _creds(['reader']))
    # With the old defaults the deprecated admin rule is OR-ed in.
    expected_admin = not enforcer.conf.oslo_policy.enforce_new_defaults
    assert bool(enforcer.enforce(rule, target, _creds(['admin']))) is \
        expected_admin


def test_project_reader_sees_own_usages_only(tmp_path):
    enforcer = _make_enforcer(tmp_path, new_defaults=True)
    reader = _creds(['reader'])
    assert enforcer.enforce('placement:usages', {'project_id': PROJECT},
                            reader)
    assert not enforcer.enforce('placement:usages',
                                {'project_id': OTHER_PROJECT}, reader)
    assert not enforcer.enforce('placement:resource_providers:usages',
                                {'project_id': PROJECT}, reader)
    assert enforcer.enforce('placement:usages',
                            {'project_id': OTHER_PROJECT}, _creds(['admin']))
    # A RequestContext is accepted directly as creds too.
    ctx = context.RequestContext(user_id='u1', project_id=PROJECT,
                                 roles=['reader'])
    assert enforcer.enforce('placement:usages', {'project_id': PROJECT}, ctx)
