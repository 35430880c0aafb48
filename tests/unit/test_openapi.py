"""The OpenAPI description: valid at every microversion, complete for the
route table, and true to the code's version gates and policy rules."""
import json
import os

import pytest
from openapi_spec_validator import validate
from oslo_policy import policy as oslo_policy

from placement import app, microversion, operations, policies
from placement.cmd import openapi as openapi_cmd
from placement.openapi import document

VERSIONS = [microversion.Version(1, minor) for minor in
            range(microversion.MIN[1], microversion.MAX[1] + 1)]


def _op(version, path, method):
    return document.build(version)['paths'].get(path, {}).get(method)


@pytest.mark.skipif(
    os.environ.get('PLACEMENT_TEST_DB', 'sqlite') != 'sqlite',
    reason='the document does not depend on the database (1 s each)')
@pytest.mark.parametrize('version', VERSIONS, ids=str)
def test_document_validates(version):
    validate(document.build(version))


def test_every_responder_is_described():
    for path, resource in app.ROUTES:
        for attr in dir(resource):
            if attr.startswith('on_'):
                responder = getattr(resource, attr)
                assert isinstance(getattr(responder, 'operation', None),
                                  operations.Operation), (path, attr)


def test_operation_ids_are_unique():
    ids = [op['operationId']
           for item in document.build(microversion.MAX)['paths'].values()
           for op in item.values()]
    assert len(ids) == len(set(ids))


def _documented_operations():
    """{(METHOD, path): rule name} from the policy rules' own docs."""
    found = {}
    for rule in policies.list_rules():
        if isinstance(rule, oslo_policy.DocumentedRuleDefault):
            for op in rule.operations:
                found[(op['method'], op['path'])] = rule.name
    return found


def test_policy_rule_is_the_one_documented_for_the_operation():
    documented = _documented_operations()
    for path, method, op in operations.table(app.ROUTES):
        if op.policy is None:
            assert path == '/'
            continue
        assert documented[(method, path)] == op.policy, (method, path)


def test_extensions_are_marked_and_off_upstream_paths():
    ours = {rule.name for rule in policies.extension_rules()}
    upstream = {(m, p) for (m, p), rule in _documented_operations().items()
                if rule not in ours}
    for path, method, op in operations.table(app.ROUTES):
        if op.extension:
            assert (method, path) not in upstream
            assert op.policy in ours, (method, path)
            described = _op(microversion.MAX, path, method.lower())
            assert described['x-extension'] is True
        elif path != '/':
            assert (method, path) in upstream, (method, path)


@pytest.mark.parametrize('path, method, first', [
    ('/resource_providers/{uuid}/aggregates', 'get', (1, 1)),
    ('/resource_classes', 'post', (1, 2)),
    ('/resource_providers/{uuid}/inventories', 'delete', (1, 5)),
    ('/traits', 'get', (1, 6)),
    ('/usages', 'get', (1, 9)),
    ('/allocation_candidates', 'get', (1, 10)),
    ('/allocations', 'post', (1, 13)),
    ('/reshaper', 'post', (1, 30)),
])
def test_operations_appear_at_their_microversion(path, method, first):
    before = microversion.Version(first[0], first[1] - 1)
    at = microversion.Version(*first)
    assert _op(before, path, method) is None
    described = _op(at, path, method)
    assert described['x-openstack-microversion'] == {
        'min': '%d.%d' % first, 'max': str(microversion.MAX)}


def _param(version, path, method, name):
    described = _op(version, path, method)
    return next((p for p in described['parameters'] if p['name'] == name),
                None)


@pytest.mark.parametrize('path, name, first', [
    ('/resource_providers', 'member_of', '1.3'),
    ('/resource_providers', 'resources', '1.4'),
    ('/resource_providers', 'in_tree', '1.14'),
    ('/resource_providers', 'required', '1.18'),
    ('/allocation_candidates', 'limit', '1.16'),
    ('/allocation_candidates', 'group_policy', '1.25'),
    ('/allocation_candidates', 'root_required', '1.35'),
    ('/allocation_candidates', 'same_subtree', '1.36'),
    ('/usages', 'consumer_type', '1.38'),
])
def test_query_parameters_say_when_they_came(path, name, first):
    found = _param(microversion.MAX, path, 'get', name)
    assert found['x-openstack-microversion']['min'] == first
    before = microversion.Version(1, int(first.split('.')[1]) - 1)
    if _op(before, path, 'get') is not None:
        assert _param(before, path, 'get', name) is None


def test_parameters_dropped_at_granular_groups_say_so():
    # Before 1.25 'resources' is a named parameter; from 1.25 it is one of
    # the request-group patterns.
    found = _param(microversion.Version(1, 24), '/allocation_candidates',
                   'get', 'resources')
    assert found['required'] is True
    assert found['x-openstack-microversion'] == {'min': '1.10',
                                                 'max': '1.24'}
    groups = _param(microversion.MAX, '/allocation_candidates', 'get',
                    'groups')
    assert '^resources([a-zA-Z0-9_-]{1,64})?$' in \
        groups['schema']['patternProperties']


def test_error_codes_by_microversion():
    old = _op(microversion.Version(1, 22), '/resource_providers/{uuid}',
              'delete')
    new = _op(microversion.MAX, '/resource_providers/{uuid}', 'delete')

    def item(described):
        schema = described['responses']['409']['content'][
            'application/json']['schema']
        return schema['properties']['errors']['items']
    assert 'code' not in item(old)['properties']
    assert set(item(new)['properties']['code']['enum']) == {
        'placement.undefined_code', 'placement.resource_provider.inuse',
        'placement.resource_provider.cannot_delete_parent'}
    assert 'code' in item(new)['required']


def test_cache_headers_from_1_15():
    def headers(version):
        return _op(version, '/resource_providers', 'get')['responses'][
            '200']['headers']
    assert 'Cache-Control' not in headers(microversion.Version(1, 14))
    assert headers(microversion.Version(1, 15))['Cache-Control'][
        'required'] is True


def test_command_writes_one_document(tmp_path, capsys):
    target = tmp_path / 'doc.json'
    assert openapi_cmd.main(['--microversion', '1.14',
                             '--output', str(target)]) == 0
    written = json.loads(target.read_text())
    assert written == json.loads(json.dumps(document.build(
        microversion.Version(1, 14))))
    assert openapi_cmd.main([]) == 0
    assert json.loads(capsys.readouterr().out)['info']['version'] == '1.39'


def test_command_writes_every_microversion(tmp_path):
    assert openapi_cmd.main(['--microversion', 'all',
                             '--output', str(tmp_path)]) == 0
    assert sorted(os.listdir(tmp_path)) == sorted(
        'placement-%s.json' % (v,) for v in VERSIONS)


@pytest.mark.parametrize('bad', ['1.40', 'x', '2.0'])
def test_command_refuses_unknown_microversions(bad):
    with pytest.raises(SystemExit):
        openapi_cmd.main(['--microversion', bad])
