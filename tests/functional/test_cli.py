"""The openstackclient plugin (placement/cli/, extra ``cli``): the real
``openstack`` command of the venv against a real gunicorn, with
``--os-auth-type admin_token --os-endpoint URL`` (noauth2 takes the token
``admin`` as an admin)."""
import json
import os
import subprocess
import sys
import uuid

import httpx
import pytest
import yaml

from tests import dbs
from tests.functional import server as servers

OPENSTACK = os.path.join(os.path.dirname(sys.executable), 'openstack')
HEADERS = {'x-auth-token': 'admin', 'accept': 'application/json',
           'openstack-api-version': 'placement 1.39'}
AGG1 = '11111111-1111-4111-8111-111111111111'
AGG2 = '22222222-2222-4222-8222-222222222222'
CN1 = 'c0000001-0000-4000-8000-000000000001'
NUMA0 = 'c0000001-0000-4000-8000-000000000010'
NUMA1 = 'c0000001-0000-4000-8000-000000000011'
CN2 = 'c0000002-0000-4000-8000-000000000002'
# name, uuid, parent, inventories, traits, aggregates
WORLD = [
    ('cn1', CN1, None, {'MEMORY_MB': {'total': 8192},
                        'DISK_GB': {'total': 100, 'reserved': 10}},
     [], [AGG1]),
    ('cn1-numa1', NUMA1, CN1, {'VCPU': {'total': 8}}, [], []),
    ('cn1-numa0', NUMA0, CN1, {'VCPU': {'total': 8}},
     ['HW_CPU_X86_AVX2'], []),
    ('cn2', CN2, None, {'VCPU': {'total': 16},
                        'MEMORY_MB': {'total': 4096},
                        'DISK_GB': {'total': 50}}, [], [AGG2]),
]
ALLOCATIONS = [
    {NUMA0: {'VCPU': 4}, CN1: {'MEMORY_MB': 2048}},
    {CN2: {'VCPU': 10, 'MEMORY_MB': 1024, 'DISK_GB': 10}},
]


def _ok(response):
    assert response.status_code < 300, response.text
    return response


def seed(client):
    for name, rp_uuid, parent, inventories, traits, aggregates in WORLD:
        body = {'name': name, 'uuid': rp_uuid}
        if parent:
            body['parent_provider_uuid'] = parent
        _ok(client.post('/resource_providers', json=body))
        path = '/resource_providers/%s' % rp_uuid
        gen = _ok(client.put(path + '/inventories', json={
            'resource_provider_generation': 0,
            'inventories': inventories})).json()[
            'resource_provider_generation']
        if traits:
            gen = _ok(client.put(path + '/traits', json={
                'resource_provider_generation': gen,
                'traits': traits})).json()['resource_provider_generation']
        if aggregates:
            _ok(client.put(path + '/aggregates', json={
                'resource_provider_generation': gen,
                'aggregates': aggregates}))
    for allocations in ALLOCATIONS:
        _ok(client.put('/allocations/%s' % uuid.uuid4(), json={
            'allocations': {rp: {'resources': resources}
                            for rp, resources in allocations.items()},
            'project_id': 'p', 'user_id': 'u', 'consumer_generation': None,
            'consumer_type': 'INSTANCE'}))


@pytest.fixture(scope='module')
def cloud():
    database = dbs.TestDatabase()
    try:
        server = servers.GunicornServer(database.url, workers=2)
        try:
            with httpx.Client(base_url=server.url, headers=HEADERS,
                              timeout=30) as client:
                seed(client)
                yield server, client
        finally:
            server.stop()
    finally:
        database.drop()


def openstack(server, *args, check=True):
    """The venv's ``openstack`` command on the server: (stdout, stderr),
    or the finished process when ``check`` is False."""
    env = {key: value for key, value in os.environ.items()
           if not key.startswith('OS_')}
    done = subprocess.run(
        [OPENSTACK, '--os-auth-type', 'admin_token', '--os-token', 'admin',
         '--os-endpoint', server.url, *args],
        capture_output=True, text=True, env=env, timeout=120)
    assert 'Could not load' not in done.stderr, done.stderr
    if not check:
        return done
    assert done.returncode == 0, done.stderr
    return done.stdout


def table_rows(text):
    """The cells of each row of the tables in ``text``, headings too."""
    return [[cell.strip() for cell in line.strip()[1:-1].split('|')]
            for line in text.splitlines() if line.startswith('|')]


# --- resource provider tree show ---------------------------------------------

def test_tree_show_draws_the_tree_with_usage_bars(cloud):
    server, _ = cloud
    out = openstack(server, 'resource', 'provider', 'tree', 'show', NUMA0)
    assert out.splitlines() == [
        'cn1 (%s), 1 consumer' % CN1,
        '|   DISK_GB   [....................]    0/90',
        '|   MEMORY_MB [#####...............] 2048/8192',
        '|-- cn1-numa0 (%s), 1 consumer  <=' % NUMA0,
        '|       VCPU  [##########..........]    4/8',
        '`-- cn1-numa1 (%s)' % NUMA1,
        '        VCPU  [....................]    0/8',
        '3 providers',
    ]


@pytest.mark.parametrize('fmt, load', [('json', json.loads),
                                       ('yaml', yaml.safe_load)])
def test_tree_show_machine_formats_are_the_routes_json(cloud, fmt, load):
    server, client = cloud
    out = openstack(server, 'resource', 'provider', 'tree', 'show', CN2,
                    '-f', fmt)
    assert load(out) == _ok(client.get(
        '/resource_providers/%s/tree' % CN2)).json()


def test_tree_show_of_an_unknown_provider_fails_with_the_detail(cloud):
    server, _ = cloud
    missing = str(uuid.uuid4())
    done = openstack(server, 'resource', 'provider', 'tree', 'show',
                     missing, check=False)
    assert done.returncode == 1
    assert ('GET /resource_providers/%s/tree (microversion 1.39): 404 Not '
            'Found: No resource provider with uuid %s found'
            % (missing, missing)) in done.stderr


# --- placement capacity -------------------------------------------------------

FIGURE_HEADINGS = ['Resource Class', 'Providers', 'Total', 'Reserved',
                   'Capacity', 'Used', 'Free', 'Largest Allocation']


def test_capacity_tabulates_each_class(cloud):
    server, _ = cloud
    out = openstack(server, 'placement', 'capacity')
    assert table_rows(out) == [
        FIGURE_HEADINGS,
        ['DISK_GB', '2', '150', '10', '140', '10', '130', '90'],
        ['MEMORY_MB', '2', '12288', '0', '12288', '3072', '9216', '6144'],
        ['VCPU', '3', '32', '0', '32', '14', '18', '8'],
    ]


def test_capacity_fits_per_root_and_where_most_fit(cloud):
    server, _ = cloud
    out = openstack(server, 'placement', 'capacity', '--resource', 'VCPU=2',
                    '--resource', 'MEMORY_MB=512', '--group-by', 'root',
                    '--resource-class', 'VCPU', '--method', 'tree',
                    '--top', '1')
    tables = out.split('\n\n')
    assert table_rows(tables[0]) == [
        FIGURE_HEADINGS, ['VCPU', '3', '32', '0', '32', '14', '18', '8']]
    assert table_rows(tables[1]) == [
        ['Root Provider', 'Name'] + FIGURE_HEADINGS + ['Fits'],
        [CN1, 'cn1', 'VCPU', '2', '16', '0', '16', '4', '12', '8', '6'],
        [CN2, 'cn2', 'VCPU', '1', '16', '0', '16', '10', '6', '6', '3'],
    ]
    assert tables[2].splitlines()[0] == (
        'Fits: 9 more of VCPU=2, MEMORY_MB=512 (method tree)')
    assert table_rows(tables[2]) == [['Name', 'UUID', 'Fits'],
                                     ['cn1', CN1, '6']]


@pytest.mark.parametrize('args, params', [
    ([], {}),
    (['--resource', 'VCPU=2', '--resource', 'DISK_GB=5', '--group-by',
      'aggregate', '--top', '3'],
     {'resources': 'VCPU:2,DISK_GB:5', 'group_by': 'aggregate',
      'top': '3'}),
    (['--member-of', AGG2, '--group-by', 'trait', '--resource-class',
      'VCPU', '--resource-class', 'PCI_DEVICE'],
     {'member_of': 'in:' + AGG2, 'group_by': 'trait',
      'resource_class': 'VCPU,PCI_DEVICE'}),
    (['--in-tree', NUMA1, '--required', 'HW_CPU_X86_AVX2,HW_CPU_X86_SSE',
      '--forbidden', 'HW_CPU_X86_SSE2'],
     {'in_tree': NUMA1,
      'required': ['in:HW_CPU_X86_AVX2,HW_CPU_X86_SSE', '!HW_CPU_X86_SSE2']}),
])
def test_capacity_json_is_the_routes_json(cloud, args, params):
    server, client = cloud
    out = openstack(server, 'placement', 'capacity', '-f', 'json', *args)
    assert json.loads(out) == _ok(client.get('/capacity',
                                             params=params)).json()


def test_capacity_filters_narrow_the_providers(cloud):
    server, _ = cloud
    out = openstack(server, 'placement', 'capacity', '--member-of', AGG2,
                    '--required', '!HW_CPU_X86_AVX2')
    assert table_rows(out)[1:] == [
        ['DISK_GB', '1', '50', '0', '50', '10', '40', '40'],
        ['MEMORY_MB', '1', '4096', '0', '4096', '1024', '3072', '3072'],
        ['VCPU', '1', '16', '0', '16', '10', '6', '6'],
    ]


def test_capacity_refusal_is_the_apis_detail(cloud):
    server, _ = cloud
    done = openstack(server, 'placement', 'capacity', '--method', 'tree',
                     check=False)
    assert done.returncode == 1
    assert ('GET /capacity (microversion 1.39): 400 Bad Request: Invalid '
            'query string parameters: method needs resources.'
            ) in done.stderr


def test_the_microversion_option_is_sent(cloud):
    server, _ = cloud
    # required comes to GET /capacity with GET /resource_providers' 1.18.
    done = openstack(server, '--os-placement-ops-api-version', '1.17',
                     'placement', 'capacity', '--required',
                     'HW_CPU_X86_AVX2', check=False)
    assert done.returncode == 1
    assert ('GET /capacity (microversion 1.17): 400 Bad Request: Invalid '
            "query string parameters: Additional properties are not allowed "
            "('required' was unexpected)\n") in done.stderr
    out = openstack(server, '--os-placement-ops-api-version', '1.18',
                    'placement', 'capacity', '--required', 'HW_CPU_X86_AVX2')
    assert table_rows(out)[1] == [
        'VCPU', '1', '8', '0', '8', '4', '4', '4']


# --- allocation candidate explain ---------------------------------------------

def _explain_query(argv):
    from placement.cli import explain
    command = explain.ExplainCandidates(None, None)
    return explain.query(command.get_parser('explain').parse_args(argv))


@pytest.mark.parametrize('argv, params', [
    # As osc-placement's "allocation candidate list" sends them.
    ('--resource VCPU=4 --resource MEMORY_MB=512',
     {'resources': 'VCPU:4,MEMORY_MB:512'}),
    ('--resource VCPU=1 --required A --required B,C --forbidden D '
     '--member-of x,y --member-of z --limit 3',
     {'resources': 'VCPU:1', 'required': ['in:B,C', 'A,!D'],
      'member_of': ['in:x,y', 'in:z'], 'limit': '3'}),
    ('--resource VCPU=1 --aggregate-uuid x --aggregate-uuid y',
     {'resources': 'VCPU:1', 'member_of': ['in:x,y']}),
    ('--resource VCPU=1 --group 1 --resource VF=1 --required E '
     '--group _NIC --resource BW=10 --member-of !x --group-policy isolate',
     {'resources': 'VCPU:1', 'resources1': 'VF:1', 'required1': ['E'],
      'resources_NIC': 'BW:10', 'member_of_NIC': ['!x'],
      'group_policy': 'isolate'}),
    ('--group 1 --resource VF=1',
     {'resources1': 'VF:1', 'group_policy': 'none'}),
    # Ours: what osc-placement lacks.
    ('--resource VCPU=1 --in-tree T --group 1 --resource VF=1 --in-tree U '
     '--root-required R --root-required !S --same-subtree 1,_N '
     '--same-subtree 2,3',
     {'resources': 'VCPU:1', 'in_tree': 'T', 'resources1': 'VF:1',
      'in_tree1': 'U', 'group_policy': 'none', 'root_required': 'R,!S',
      'same_subtree': ['1,_N', '2,3']}),
])
def test_explain_sends_the_candidates_query(argv, params):
    sent = {key: value for key, value in _explain_query(argv.split()).items()
            if value not in (None, [], '')}
    assert sent == params


def test_explain_prints_the_funnel_with_reasons(cloud):
    server, _ = cloud
    out = openstack(server, 'allocation', 'candidate', 'explain',
                    '--resource', 'VCPU=6', '--resource', 'MEMORY_MB=1024',
                    '--provider', NUMA0, '--provider', CN2)
    assert out.splitlines()[0] == '2 candidates, from 2 trees'
    assert 'Request group (unsuffixed), VCPU=6 (class by class):' in out
    rows = table_rows(out)
    assert ['class VCPU', '3', '1', '- cn1: no VCPU inventory'] in rows
    assert ['room VCPU', '2', '1', '- cn1-numa0: VCPU 4 free (capacity 8, '
            'used 4), 6 requested'] in rows
    assert ['every_group_placed', '2', '2', '0', ''] in rows
    assert ['cn1-numa0', 'removed (class)', '0',
            '- group (unsuffixed) MEMORY_MB: removed at class: cn1-numa0:'
            ] in rows
    assert ['cn2', 'candidate', '1',
            '- group (unsuffixed) MEMORY_MB: kept'] in rows
    assert [CN2, '', '', '- group (unsuffixed) VCPU: kept'] in rows
    # --long: each step's description under its name.
    out = openstack(server, 'allocation', 'candidate', 'explain',
                    '--resource', 'VCPU=6', '--long')
    assert ['Every resource provider.', '', '', ''] in table_rows(out)


def test_explain_json_is_the_routes_json(cloud):
    server, client = cloud
    out = openstack(server, 'allocation', 'candidate', 'explain', '-f',
                    'json', '--resource', 'VCPU=1', '--group', '1',
                    '--resource', 'VCPU=2', '--required', 'HW_CPU_X86_AVX2',
                    '--group-policy', 'isolate', '--root-required',
                    '!HW_CPU_X86_SSE2', '--limit', '1', '--provider', NUMA1,
                    '--provider', CN2, '--examples', '1')
    expected = _ok(client.get('/allocation_candidates/explain', params={
        'resources': 'VCPU:1', 'resources1': 'VCPU:2',
        'required1': 'HW_CPU_X86_AVX2', 'group_policy': 'isolate',
        'root_required': '!HW_CPU_X86_SSE2', 'limit': '1',
        'provider': [NUMA1, CN2], 'examples': '1'})).json()
    assert json.loads(out) == expected
    assert expected['candidates'] == 1
    assert [provider['outcome'] for provider in expected['providers']] == [
        'candidate', 'removed']


def test_explain_refusal_is_the_apis_detail(cloud):
    server, _ = cloud
    done = openstack(server, 'allocation', 'candidate', 'explain',
                     check=False)
    assert done.returncode == 1
    assert ('GET /allocation_candidates/explain (microversion 1.39): 400 '
            'Bad Request: There must be at least one resources or '
            'resources[$S] parameter. (placement.query.missing_value)'
            ) in done.stderr
