"""Capabilities tell the truth.

For random small worlds (trees of providers with inventories, traits,
aggregates, and allocations by consumers of two projects, sometimes left
over capacity as upstream allows) and random callers (admin, service,
member and reader of the consumers' project, a member of another project,
a system-scoped admin) under the legacy policy defaults and under
enforce_new_defaults (+ enforce_scope where oslo.policy still has it), at
random microversions:

* reading the three capabilities documents changes nothing (a dump of
  every table is the same before and after);
* every request a provider or consumer document describes, made for real
  on the world as it was read, gets the status the document said, and
  when refused its error code (from 1.23) and detail;
* every operation GET /capabilities lists answers 404/405 when it said
  unavailable, 403 when it said not allowed, and something else when it
  said allowed;
* an inventory's min_total and min_total_for_usage are the bounds the API
  and the allocation capacity check really keep.

A successful write is undone by restoring the tables from a dump, so each
request meets the world its document was read from.
"""
import collections
import json
import os
import random
import tempfile
import uuid

import httpx
import pytest
import sqlalchemy as sa
from oslo_config import cfg
from oslo_policy import opts as policy_opts

from placement import app as app_mod
from placement.db import engine as db_engine
from placement.db import sync, tables
from tests import dbs
from tests.functional import app as test_app

SEED = 1729
WORLDS = 24
CHECKS_PER_WORLD = 3
CLASSES = ['VCPU', 'MEMORY_MB', 'DISK_GB']
TRAITS = ['CUSTOM_CAPS_A', 'CUSTOM_CAPS_B']
AGGREGATES = [str(uuid.UUID(int=0xa0 + i)) for i in range(2)]
RATIOS = [1.0, 1.0, 1.5, 0.7, 16.0, 1.1, 0.3]
VERSIONS = [(1, 0), (1, 4), (1, 5), (1, 6), (1, 8), (1, 11), (1, 12),
            (1, 13), (1, 14), (1, 18), (1, 19), (1, 22), (1, 23), (1, 25),
            (1, 26), (1, 27), (1, 28), (1, 36), (1, 37), (1, 38), (1, 39)]

PROJECT = 'aaaaaaaa-0000-4000-8000-000000000001'
OTHER_PROJECT = 'aaaaaaaa-0000-4000-8000-000000000002'
STRANGER_PROJECT = 'aaaaaaaa-0000-4000-8000-000000000003'
CALLERS = {
    'admin': {'x-auth-token': 'admin', 'x-roles': 'admin,member,reader',
              'x-project-id': 'aaaaaaaa-0000-4000-8000-0000000000ad'},
    'service': {'x-auth-token': 'nova', 'x-roles': 'service',
                'x-project-id': 'aaaaaaaa-0000-4000-8000-00000000005e'},
    'member': {'x-auth-token': 'alice', 'x-roles': 'member,reader',
               'x-project-id': PROJECT},
    'reader': {'x-auth-token': 'bob', 'x-roles': 'reader',
               'x-project-id': PROJECT},
    'stranger': {'x-auth-token': 'eve', 'x-roles': 'member,reader',
                 'x-project-id': STRANGER_PROJECT},
    'system_admin': {'x-auth-token': 'root', 'x-roles': 'admin,reader',
                     'openstack-system-scope': 'all'},
}
ADMIN = dict(CALLERS['admin'], **{'openstack-api-version': 'placement 1.39'})

# Restored in this order (deleted in the reverse one).
WORLD_TABLES = [tables.placement_aggregates, tables.projects, tables.users,
                tables.consumer_types, tables.resource_providers,
                tables.inventories, tables.resource_provider_aggregates,
                tables.resource_provider_traits, tables.consumers,
                tables.allocations]
ALL_TABLES = WORLD_TABLES + [tables.resource_classes, tables.traits]
RP = tables.resource_providers


# An operator's policy file that lets any caller read capabilities and
# hands some operations to members and readers: documents full of refusals.
OPERATOR_POLICY = {
    'placement:capabilities:resource_providers:show': '@',
    'placement:capabilities:consumers:show': '@',
    'placement:resource_providers:show': 'role:reader',
    'placement:resource_providers:update': 'role:member',
    'placement:resource_providers:inventories:list': 'role:reader',
    'placement:resource_providers:inventories:show': 'role:reader',
    'placement:resource_providers:inventories:delete': 'role:member',
    'placement:resource_providers:usages': 'role:member',
    'placement:resource_providers:traits:list': 'role:reader',
    'placement:resource_providers:aggregates:update': 'role:member',
    'placement:allocations:list': 'role:reader',
    'placement:allocations:delete': 'role:member and project_id:%(project_id)s',
}


def _policy_modes(directory):
    legacy = {('oslo_policy', 'enforce_new_defaults'): False}
    secure = {('oslo_policy', 'enforce_new_defaults'): True}
    policy_file = os.path.join(directory, 'policy.json')
    with open(policy_file, 'w') as f:
        json.dump(OPERATOR_POLICY, f)
    operator = {('oslo_policy', 'enforce_new_defaults'): True,
                ('oslo_policy', 'policy_file'): policy_file}
    probe = cfg.ConfigOpts()
    policy_opts.set_defaults(probe)
    probe([], default_config_files=[])
    try:
        probe.oslo_policy.enforce_scope
    except cfg.NoSuchOptError:
        pass  # newer oslo.policy has no such option: scope is always checked
    else:
        for mode in (secure, operator):
            mode[('oslo_policy', 'enforce_scope')] = True
    return {'legacy': legacy, 'secure': secure, 'operator': operator}


class Env:
    """One database, and the application under each policy mode."""

    def __init__(self):
        self.database = dbs.TestDatabase()
        self.dir = tempfile.TemporaryDirectory(prefix='placement-caps-')
        self.modes = _policy_modes(self.dir.name)
        confs = {mode: test_app.make_conf(self.database.url, overrides)
                 for mode, overrides in self.modes.items()}
        self.engine = db_engine.create_engine(
            confs['legacy'].placement_database)
        sync.upgrade(self.engine)
        self.clients = {
            mode: httpx.Client(
                transport=httpx.WSGITransport(
                    app=app_mod.build_app(conf, self.engine)),
                base_url='http://placement')
            for mode, conf in confs.items()}
        admin = self.clients['legacy']
        for trait in TRAITS:
            _ok(admin.put('/traits/%s' % trait, headers=ADMIN))

    def close(self):
        for client in self.clients.values():
            client.close()
        self.engine.dispose()
        self.database.drop()
        self.dir.cleanup()

    def dump(self, which=ALL_TABLES):
        with self.engine.connect() as conn:
            return {table.name: [tuple(row) for row in conn.execute(
                sa.select(table).order_by(*table.primary_key.columns))]
                for table in which}

    def wipe(self):
        with self.engine.begin() as conn:
            conn.execute(RP.update().values(root_provider_id=None,
                                            parent_provider_id=None))
            for table in reversed(WORLD_TABLES):
                conn.execute(table.delete())

    def restore(self, snapshot):
        """Put the world tables back exactly as dumped."""
        self.wipe()
        with self.engine.begin() as conn:
            for table in WORLD_TABLES:
                rows = [dict(zip(table.columns.keys(), row))
                        for row in snapshot[table.name]]
                if not rows:
                    continue
                if table is RP:
                    links = [{'rp_id': r['id'], 'root': r['root_provider_id'],
                              'parent': r['parent_provider_id'],
                              'updated': r['updated_at']} for r in rows]
                    rows = [dict(r, root_provider_id=None,
                                 parent_provider_id=None) for r in rows]
                conn.execute(table.insert(), rows)
                if table is RP:
                    conn.execute(
                        RP.update().where(RP.c.id == sa.bindparam('rp_id'))
                        .values(root_provider_id=sa.bindparam('root'),
                                parent_provider_id=sa.bindparam('parent'),
                                updated_at=sa.bindparam('updated')), links)


def _ok(response):
    assert response.status_code < 300, response.text
    return response


@pytest.fixture(scope='module')
def env():
    environment = Env()
    yield environment
    environment.close()


# --- random worlds ----------------------------------------------------------

class World:
    """What was built: providers (uuid → parent uuid), their inventories,
    consumers (uuid → project)."""

    def __init__(self):
        self.parents = {}
        self.inventory = {}
        self.consumers = {}

    def subtree(self, rp):
        found = {rp}
        changed = True
        while changed:
            changed = False
            for child, parent in self.parents.items():
                if parent in found and child not in found:
                    found.add(child)
                    changed = True
        return found


def _inventory(rng):
    records = {}
    for name in rng.sample(CLASSES, rng.randint(1, 3)):
        total = rng.randint(1, 12)
        step = rng.choice([1, 1, 2])
        records[name] = {
            'total': total,
            'reserved': rng.choice([0, 0, 1, total]) if total > 1 else 0,
            'min_unit': rng.choice([1, 1, 2]),
            'max_unit': rng.choice([total + 4, 4, 2147483647]),
            'step_size': step,
            'allocation_ratio': rng.choice(RATIOS)}
    return records


def build(env, rng):
    """A random world, built through the API as an admin."""
    env.wipe()
    client = env.clients['legacy']
    world = World()

    def new_uuid():
        # From the seeded generator, so that a failing world comes back.
        return str(uuid.UUID(int=rng.getrandbits(128), version=4))

    def create(parent=None):
        rp = new_uuid()
        body = {'name': 'rp-%s' % rp[:8], 'uuid': rp}
        if parent:
            body['parent_provider_uuid'] = parent
        _ok(client.post('/resource_providers', json=body, headers=ADMIN))
        world.parents[rp] = parent
        generation = 0
        if rng.random() < 0.75:
            records = _inventory(rng)
            generation = _ok(client.put(
                '/resource_providers/%s/inventories' % rp, headers=ADMIN,
                json={'resource_provider_generation': 0,
                      'inventories': records})).json()[
                'resource_provider_generation']
            world.inventory[rp] = records
        if rng.random() < 0.4:
            generation = _ok(client.put(
                '/resource_providers/%s/traits' % rp, headers=ADMIN,
                json={'resource_provider_generation': generation,
                      'traits': rng.sample(TRAITS, rng.randint(1, 2))}
            )).json()['resource_provider_generation']
        if rng.random() < 0.4:
            _ok(client.put(
                '/resource_providers/%s/aggregates' % rp, headers=ADMIN,
                json={'resource_provider_generation': generation,
                      'aggregates': rng.sample(AGGREGATES,
                                               rng.randint(1, 2))}))
        return rp

    for _ in range(rng.randint(1, 2)):
        root = create()
        for _ in range(rng.randint(0, 3)):
            child = create(root)
            if rng.random() < 0.3:
                create(child)

    used = {}
    for _ in range(rng.randint(0, 3)):
        consumer = new_uuid()
        wanted = {}
        for rp in rng.sample(sorted(world.inventory),
                             min(len(world.inventory), rng.randint(1, 2))):
            for name, inv in world.inventory[rp].items():
                amount = _fitting(inv, used.get((rp, name), 0), rng)
                if amount and rng.random() < 0.7:
                    wanted.setdefault(rp, {})[name] = amount
        if not wanted:
            continue
        project = rng.choice([PROJECT, OTHER_PROJECT])
        body = {'allocations': {rp: {'resources': res}
                                for rp, res in wanted.items()},
                'project_id': project, 'user_id': 'user-%s' % project[-1],
                'consumer_generation': None}
        version = 'placement 1.37'
        if rng.random() < 0.7:
            body['consumer_type'] = rng.choice(['INSTANCE', 'MIGRATION'])
            version = 'placement 1.39'
        _ok(client.put('/allocations/%s' % consumer, json=body,
                       headers=dict(ADMIN, **{'openstack-api-version':
                                              version})))
        world.consumers[consumer] = project
        for rp, res in wanted.items():
            for name, amount in res.items():
                used[(rp, name)] = used.get((rp, name), 0) + amount

    # Sometimes squeeze an inventory under its usage (upstream allows it),
    # so that writing its consumers back is refused.
    for (rp, name), amount in sorted(used.items()):
        if rng.random() < 0.25:
            inv = dict(world.inventory[rp][name])
            if rng.random() < 0.5:
                inv['total'] = max(inv['reserved'], 1)
            else:
                inv['max_unit'] = max(inv['min_unit'], amount - 1)
            generation = client.get('/resource_providers/%s' % rp,
                                    headers=ADMIN).json()['generation']
            inv['resource_provider_generation'] = generation
            _ok(client.put('/resource_providers/%s/inventories/%s'
                           % (rp, name), headers=ADMIN, json=inv))
            del inv['resource_provider_generation']
            world.inventory[rp][name] = inv
    return world


def _fitting(inv, used, rng):
    """An amount the inventory can still take, or None."""
    room = int((inv['total'] - inv['reserved']) * inv['allocation_ratio']) \
        - used
    amounts = [a for a in range(inv['min_unit'], min(inv['max_unit'], 6) + 1)
               if a % inv['step_size'] == 0 and a <= room]
    return rng.choice(amounts) if amounts else None


# --- checking the documents ---------------------------------------------------

def _headers(caller, version):
    return dict(CALLERS[caller],
                **{'openstack-api-version': 'placement %d.%d' % version,
                   'accept': 'application/json'})


def _fill(value, values):
    if isinstance(value, dict):
        return {k: _fill(v, values) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, values) for v in value]
    if isinstance(value, str) and value[:1] == '{' and value[-1:] == '}':
        return values.get(value[1:-1], value)
    return value


def _entries(document):
    """(where, entry) of every request a provider or consumer document
    describes."""
    for group, ops in document['operations'].items():
        if 'method' in ops:  # a consumer document: {name: entry}
            yield group, ops
            continue
        for name, entry in ops.items():
            yield '%s.%s' % (group, name), entry
    for cls, found in document.get('inventories', {}).items():
        for name, entry in found['operations'].items():
            yield 'inventories.%s.%s' % (cls, name), entry


def _placeholder_values(world, rp):
    """Values for a provider document's placeholders (None: no provider
    can be the new parent)."""
    candidates = sorted(set(world.parents) - world.subtree(rp)
                        - {world.parents.get(rp)})
    return {'new_name': 'renamed-%s' % uuid.uuid4().hex[:12],
            'new_parent_uuid': candidates[0] if candidates else None,
            'consumer_type': 'INSTANCE', 'project_id': 'filled-project',
            'user_id': 'filled-user'}


def _substitute(text, values):
    for name, value in values.items():
        if value is not None:
            text = text.replace('{%s}' % name, value)
    return text


def check_entry(env, client, headers, where, entry, values, snapshot,
                version, stats):
    if 'body' in entry and json.dumps(entry['body']).count(
            '{new_parent_uuid}') and values['new_parent_uuid'] is None:
        stats['skipped'] += 1
        return
    kwargs = {}
    if entry['method'] in ('PUT', 'POST'):
        if 'body' not in entry and entry['status'] != 403:
            # What the body would hold is not the caller's to read.
            stats['skipped'] += 1
            return
        # A refused caller's document shows no body: any body is refused
        # by policy before it is read.
        kwargs['json'] = _fill(entry.get('body', {}), values)
    response = client.request(entry['method'], entry['path'],
                              headers=headers, **kwargs)
    what = '%s: %s %s at %d.%d -> %s %s' % (
        where, entry['method'], entry['path'], version[0], version[1],
        response.status_code, response.text[:400])
    assert response.status_code == entry['status'], what
    assert (response.status_code < 300) == entry['allowed'], what
    stats['requests'] += 1
    if response.status_code < 300:
        stats['allowed'] += 1
        if entry['method'] != 'GET':
            env.restore(snapshot)
        return
    stats['refused'] += 1
    # The bodies described are the API's at this microversion: only a
    # parent, which 1.14 brings, is refused by the schema.
    if 'JSON does not validate' in entry['detail']:
        assert where.split('.')[-1] in ('reparent', 'unparent') \
            and version < (1, 14), what
    stats['kinds'][(response.status_code, where.split('.')[-1])] += 1
    error = response.json()['errors'][0]
    assert error.get('code') == entry.get('code'), what
    assert error['detail'] == _substitute(entry['detail'], values), what


def check_service(env, client, headers, caller, document, snapshot,
                  stats):
    """Probe each operation GET /capabilities lists, harmlessly: unknown
    provider and consumer ids, invalid names, empty bodies."""
    project = CALLERS[caller].get('x-project-id')
    params = {'uuid': str(uuid.uuid4()),
              'consumer_uuid': str(uuid.uuid4()),
              'name': 'invalid', 'resource_class': 'VCPU'}
    entries = [entry for ops in document['resources'].values()
               for entry in ops.values()] + document['extensions']
    for entry in entries:
        path = entry['path'].format(**params)
        query = {}
        if path == '/usages':
            if project is None:
                continue
            assert entry['target'] == {'project_id': project}
            query = {'project_id': project}
        elif path == '/allocation_candidates':
            query = {'resources': 'VCPU:1'}
        kwargs = {'params': query}
        if entry['method'] in ('PUT', 'POST'):
            kwargs['json'] = {}
        response = client.request(entry['method'], path, headers=headers,
                                  **kwargs)
        what = '%s %s (%s) -> %s %s' % (entry['method'], path, caller,
                                        response.status_code,
                                        response.text[:300])
        if not entry['available']:
            assert response.status_code in (404, 405), what
        elif not entry['allowed']:
            assert response.status_code == 403, what
        else:
            assert response.status_code != 403, what
            assert response.status_code < 500, what
        stats['service'] += 1
    assert env.dump(WORLD_TABLES) == {name: rows for name, rows in
                                      snapshot.items()}, 'probes wrote'


def check(env, world, mode, caller, version, stats):
    client = env.clients[mode]
    headers = _headers(caller, version)
    snapshot = env.dump(WORLD_TABLES)
    before = env.dump()

    service = client.get('/capabilities', headers=headers)
    providers = {rp: client.get('/capabilities/resource_providers/%s' % rp,
                                headers=headers) for rp in world.parents}
    consumers = {c: client.get('/capabilities/consumers/%s' % c,
                               headers=headers) for c in world.consumers}
    assert env.dump() == before, 'reading capabilities wrote'

    if caller == 'system_admin':
        # Every rule is for project-scoped tokens.
        if mode == 'secure':
            assert service.status_code == 403
    if service.status_code == 403:
        return
    assert service.status_code == 200, service.text
    service = service.json()
    assert service['version'] == '%d.%d' % version
    may = {e['path']: e['allowed'] for e in service['extensions']}

    check_service(env, client, headers, caller, service, snapshot, stats)
    for rp, response in providers.items():
        expected = 200 if may['/capabilities/resource_providers/{uuid}'] \
            else 403
        assert response.status_code == expected, response.text
        if expected == 403:
            continue
        values = _placeholder_values(world, rp)
        for where, entry in _entries(response.json()):
            check_entry(env, client, headers, where, entry, values,
                        snapshot, version, stats)
    for consumer, response in consumers.items():
        expected = 200 if may['/capabilities/consumers/{consumer_uuid}'] \
            else 403
        assert response.status_code == expected, response.text
        if expected == 403:
            continue
        values = _placeholder_values(world, None)
        for where, entry in _entries(response.json()):
            check_entry(env, client, headers, 'consumer.' + where, entry,
                        values, snapshot, version, stats)


def test_capabilities_tell_the_truth(env):
    rng = random.Random(SEED)
    stats = dict.fromkeys(('requests', 'allowed', 'refused', 'skipped',
                           'service'), 0)
    stats['kinds'] = collections.Counter()
    versions = []
    for index in range(WORLDS):
        world = build(env, rng)
        for turn in range(CHECKS_PER_WORLD):
            mode = ('legacy', 'secure', 'operator')[
                (index * CHECKS_PER_WORLD + turn) % 3]
            if turn == 0:
                # Each microversion in turn, for a caller who may read
                # everything (most documents of others are refused).
                if not versions:
                    versions = list(VERSIONS)
                    rng.shuffle(versions)
                caller = rng.choice(['admin', 'service'])
                version = versions.pop()
            else:
                caller = rng.choice(sorted(CALLERS))
                version = rng.choice(VERSIONS)
            check(env, world, mode, caller, version, stats)
    # A truth test that never sees an answer of some kind proves little.
    assert stats['allowed'] > 100 and stats['refused'] > 100, stats
    assert stats['service'] > 500, stats
    for kind in [(403, 'delete'), (409, 'delete'), (409, 'delete_all'),
                 (400, 'reparent'), (400, 'update'), (409, 'replace'),
                 (404, 'list'), (405, 'delete_all')]:
        assert stats['kinds'][kind], (kind, stats)
    print('capabilities truth: %s' % stats)


# --- the totals capabilities give --------------------------------------------

def test_smallest_totals_are_the_real_bounds(env):
    """min_total is the smallest total PUT accepts; min_total_for_usage the
    smallest under which writing the allocations back still fits."""
    rng = random.Random(SEED + 1)
    client = env.clients['legacy']
    probes = 0
    # (ratio, reserved, used): 21 / 0.7 is a little over 30 in floating
    # point, yet 30 * 0.7 holds 21; then random ones.
    cases = [(0.7, 0, 21), (0.7, 3, 21)]
    for _ in range(16):
        cases.append((rng.choice([0.7, 1.1, 1.3, 2.5, 0.1, 1.0, 16.0, 0.9]),
                      rng.choice([0, 1, 3, 3]), None))
    for ratio, reserved, amount in cases:
        env.wipe()
        rp = str(uuid.uuid4())
        _ok(client.post('/resource_providers', headers=ADMIN,
                        json={'name': 'rp', 'uuid': rp}))
        total = reserved + rng.randint(30, 40)
        _ok(client.put('/resource_providers/%s/inventories' % rp,
                       headers=ADMIN, json={
                           'resource_provider_generation': 0,
                           'inventories': {'VCPU': {
                               'total': total, 'reserved': reserved,
                               'allocation_ratio': ratio}}}))
        consumer = str(uuid.uuid4())
        if amount is None:
            amount = rng.randint(1, int((total - reserved) * ratio))
        body = {'allocations': {rp: {'resources': {'VCPU': amount}}},
                'project_id': PROJECT, 'user_id': 'u',
                'consumer_generation': None, 'consumer_type': 'INSTANCE'}
        _ok(client.put('/allocations/%s' % consumer, headers=ADMIN,
                       json=body))
        body['consumer_generation'] = 1
        version = rng.choice([(1, 20), (1, 25), (1, 26), (1, 39)])
        headers = dict(ADMIN, **{'openstack-api-version':
                                 'placement %d.%d' % version})
        found = client.get('/capabilities/resource_providers/%s' % rp,
                           headers=headers).json()['inventories']['VCPU']
        assert found['used'] == amount

        def put_total(value):
            generation = client.get('/resource_providers/%s' % rp,
                                    headers=ADMIN).json()['generation']
            return client.put(
                '/resource_providers/%s/inventories/VCPU' % rp,
                headers=headers, json={'resource_provider_generation':
                                       generation, 'total': value,
                                       'reserved': reserved,
                                       'allocation_ratio': ratio})

        def write_back():
            response = client.put('/allocations/%s' % consumer,
                                  headers=ADMIN, json=body)
            if response.status_code == 204:
                body['consumer_generation'] += 1
            return response

        assert put_total(found['min_total']).status_code == 200
        if found['min_total'] > 1:
            assert put_total(found['min_total'] - 1).status_code == 400
        smallest = found['min_total_for_usage']
        if smallest >= found['min_total']:
            _ok(put_total(smallest))
            assert write_back().status_code == 204
            if smallest - 1 >= found['min_total']:
                _ok(put_total(smallest - 1))
                response = write_back()
                assert response.status_code == 409, response.text
                assert 'would exceed the capacity' in response.text
                probes += 1
    assert probes >= 8, probes
