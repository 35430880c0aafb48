"""Multi-master Galera: three API servers, each on a different node of a
three-node MariaDB Galera cluster (scripts/galera-cluster), and 30
concurrent claimers (GET candidates -> PUT allocations, POST /allocations
moves) plus a reshaper, each request sent to a random server.

Writes to one provider through different nodes collide in Galera's
certification (deadlock error 1213 at COMMIT): they must be retried, or
refused with 409 placement.concurrent_update, never a 500. Afterwards no
provider is over capacity on any node, and every node holds exactly the
allocations (and the reshaped inventories) whose writes were
acknowledged."""
import concurrent.futures
import random
import threading
import time
import uuid

import httpx
import pymysql
import pytest

from tests.cluster import support

pytestmark = support.skip_unless_wanted

CLAIMERS = 30
PROVIDERS = 10
VCPUS = 16
RESHAPE_CLASS = 'CUSTOM_RESHAPED'
RESHAPE_CONSUMERS = 3
RUN_SECONDS = 60
LIMIT_SECONDS = 170


@pytest.fixture(scope='module')
def cluster():
    # (The script's start is bounded on its own.)
    with support.script_cluster('galera-cluster') as description:
        yield description


def _node(url):
    host_port = url.rsplit('@', 1)[1]
    host, port = host_port.split(':')
    return pymysql.connect(host=host, port=int(port), user='root',
                           autocommit=True)


def _wsrep(url):
    with _node(url) as conn, conn.cursor() as cursor:
        cursor.execute("SHOW GLOBAL STATUS LIKE 'wsrep%'")
        return dict(cursor.fetchall())


def _wait_until_applied(urls, timeout=30):
    """Every node has applied the same last write set."""
    deadline = time.monotonic() + timeout
    while True:
        committed = {url: _wsrep(url)['wsrep_last_committed'] for url in urls}
        if len(set(committed.values())) == 1:
            return committed
        if time.monotonic() > deadline:
            raise AssertionError('nodes did not converge: %s' % committed)
        time.sleep(0.2)


class Outcomes:
    """What the claimers saw, shared between threads."""

    def __init__(self):
        self.lock = threading.Lock()
        self.unexpected = []
        self.refusals = []
        self.statuses = {}

    def count(self, what, response):
        with self.lock:
            key = (what, response.status_code)
            self.statuses[key] = self.statuses.get(key, 0) + 1
            if response.status_code == 409:
                error = response.json()['errors'][0]
                self.refusals.append((what, error['code'], error['detail']))
            elif response.status_code >= 300:
                self.unexpected.append(
                    (what, response.status_code, response.text[:500]))

    def failed(self, what, error):
        with self.lock:
            self.unexpected.append((what, 'exception', repr(error)))


def _consumer_body(allocations, generation):
    return {'allocations': allocations, 'project_id': 'p', 'user_id': 'u',
            'consumer_generation': generation, 'consumer_type': 'INSTANCE'}


def claimer(urls, deadline, outcomes):
    """Claim one VCPU at a time until no candidate is left; now and then
    move a held consumer's allocation to a new consumer on another
    candidate (POST /allocations). Returns {consumer: allocations} for
    the writes acknowledged."""
    held = {}
    clients = [httpx.Client(base_url=url, headers=support.HEADERS,
                            timeout=60) for url in urls]
    pick = random.Random()
    try:
        while time.monotonic() < deadline:
            found = pick.choice(clients).get(
                '/allocation_candidates',
                params={'resources': 'VCPU:1', 'limit': '5'})
            outcomes.count('candidates', found)
            if found.status_code != 200:
                return held
            requests = found.json()['allocation_requests']
            if not requests:
                return held
            allocations = pick.choice(requests)['allocations']
            new = str(uuid.uuid4())
            if held and pick.random() < 0.3:
                old = pick.choice(sorted(held))
                shown = pick.choice(clients).get('/allocations/%s' % old)
                generation = shown.json().get('consumer_generation')
                if generation is None:  # that node has not seen it yet
                    continue
                moved = pick.choice(clients).post('/allocations', json={
                    old: _consumer_body({}, generation),
                    new: _consumer_body(allocations, None)})
                outcomes.count('move', moved)
                if moved.status_code == 204:
                    del held[old]
                    held[new] = allocations
            else:
                claimed = pick.choice(clients).put(
                    '/allocations/%s' % new,
                    json=_consumer_body(allocations, None))
                outcomes.count('claim', claimed)
                if claimed.status_code == 204:
                    held[new] = allocations
    except httpx.HTTPError as error:
        outcomes.failed('claimer', error)
    finally:
        for client in clients:
            client.close()
    return held


def reshaper(urls, root, child, consumers, deadline, outcomes):
    """Move RESHAPE_CLASS's inventory and the consumers' allocations
    between root and child with POST /reshaper, over and over. Returns
    where they ended (the provider of the last acknowledged reshape)."""
    where = root
    done = 0
    # Reshaping is for services (placement:reshaper:reshape).
    headers = dict(support.HEADERS, **{'x-roles': 'admin,service'})
    clients = [httpx.Client(base_url=url, headers=headers, timeout=60)
               for url in urls]
    pick = random.Random()
    try:
        while time.monotonic() < deadline and done < 20:
            reader = pick.choice(clients)
            generations = {rp: reader.get('/resource_providers/%s' % rp)
                           .json()['generation'] for rp in (root, child)}
            consumer_generations = {
                c: reader.get('/allocations/%s' % c).json().get(
                    'consumer_generation') for c in consumers}
            if None in consumer_generations.values():
                continue
            target = child if where == root else root
            body = {
                'inventories': {
                    rp: {'resource_provider_generation': generations[rp],
                         'inventories': {RESHAPE_CLASS: {
                             'total': RESHAPE_CONSUMERS}}
                         if rp == target else {}}
                    for rp in (root, child)},
                'allocations': {
                    c: _consumer_body(
                        {target: {'resources': {RESHAPE_CLASS: 1}}},
                        consumer_generations[c])
                    for c in consumers}}
            response = pick.choice(clients).post('/reshaper', json=body)
            outcomes.count('reshape', response)
            if response.status_code == 204:
                where = target
                done += 1
            time.sleep(0.05)
    except httpx.HTTPError as error:
        outcomes.failed('reshaper', error)
    finally:
        for client in clients:
            client.close()
    return where, done


def test_claims_on_three_nodes(cluster):
    urls = [node['url'] for node in cluster['nodes']]
    assert len(urls) == 3
    for node in cluster['nodes']:
        status = _wsrep(node['url'])
        assert status['wsrep_cluster_size'] == '3'
        assert status['wsrep_local_state_comment'] == 'Synced'
    with _node(urls[0]) as conn, conn.cursor() as cursor:
        cursor.execute('CREATE DATABASE placement CHARACTER SET utf8mb4')
    # The schema is made once, through the first node only.
    support.manage(urls[0] + '/placement', 'db', 'sync')
    servers = []
    with support.time_limit(LIMIT_SECONDS):
        try:
            for url in urls:
                servers.append(support.ApiServer(url + '/placement',
                                                 workers=3))
            _run_and_check(servers, urls)
        finally:
            for server in servers:
                server.stop()


def _run_and_check(servers, node_urls):
    api = [server.url for server in servers]
    with httpx.Client(base_url=api[0], headers=support.HEADERS,
                      timeout=60) as client:
        providers = support.make_providers(client, 'galera-cn', PROVIDERS,
                                           {'VCPU': {'total': VCPUS}})
        assert client.put('/resource_classes/%s' % RESHAPE_CLASS) \
            .status_code in (201, 204)
        root, = support.make_providers(client, 'reshape-root', 1, {
            RESHAPE_CLASS: {'total': RESHAPE_CONSUMERS}})
        child, = support.make_providers(client, 'reshape-child', 1, None,
                                        parent=root)
        reshaped = [str(uuid.uuid4()) for _ in range(RESHAPE_CONSUMERS)]
        for consumer in reshaped:
            response = client.put('/allocations/%s' % consumer,
                                  json=_consumer_body({root: {'resources': {
                                      RESHAPE_CLASS: 1}}}, None))
            assert response.status_code == 204, response.text
    _wait_until_applied(node_urls)
    before = [_wsrep(url) for url in node_urls]

    outcomes = Outcomes()
    started = time.monotonic()
    deadline = started + RUN_SECONDS
    with concurrent.futures.ThreadPoolExecutor(CLAIMERS + 1) as pool:
        claims = [pool.submit(claimer, api, deadline, outcomes)
                  for _ in range(CLAIMERS)]
        reshape = pool.submit(reshaper, api, root, child, reshaped,
                              deadline, outcomes)
        expected = {}
        for future in claims:
            expected.update(future.result())
        # The reshaper goes on until the claims are done, then stops.
        where, reshapes = reshape.result()
    elapsed = time.monotonic() - started
    applied = _wait_until_applied(node_urls)
    after = [_wsrep(url) for url in node_urls]
    conflicts = sum(
        int(a[name]) - int(b[name]) for a, b in zip(after, before)
        for name in ('wsrep_local_cert_failures', 'wsrep_local_bf_aborts'))
    print('\n%.1fs, %s, Galera conflicts (certification failures + '
          'brute-force aborts) %d, last committed %s' % (
              elapsed, sorted(outcomes.statuses.items()), conflicts,
              applied))

    # Writers did collide across nodes (else this proves little).
    assert conflicts > 0
    assert outcomes.unexpected == [], (
        outcomes.unexpected[:10], [s.logs() for s in servers])
    for what, code, detail in outcomes.refusals:
        assert code == 'placement.concurrent_update' or (
            'exceed the capacity' in detail), (what, code, detail)
    claimed = outcomes.statuses.get(('claim', 204), 0)
    assert claimed >= PROVIDERS * VCPUS * 0.75, outcomes.statuses
    assert outcomes.statuses.get(('move', 204), 0) > 0, outcomes.statuses
    assert reshapes > 0, outcomes.statuses
    # The claimers ran out of candidates well before the deadline.
    assert elapsed < RUN_SECONDS, outcomes.statuses

    for reshaped_consumer in reshaped:
        expected[reshaped_consumer] = {where: {'resources': {
            RESHAPE_CLASS: 1}}}
    wanted = {consumer: {rp: entry['resources']
                         for rp, entry in allocations.items()}
              for consumer, allocations in expected.items()}
    for server in servers:
        with httpx.Client(base_url=server.url, headers=support.HEADERS,
                          timeout=60) as client:
            everything = providers + [root, child]
            # Every acknowledged write, and nothing else, on every node.
            assert support.allocations_seen(client, everything) == wanted
            assert support.over_capacity(client, everything) == []
            inventories = {rp: client.get(
                '/resource_providers/%s/inventories' % rp).json()[
                'inventories'] for rp in (root, child)}
            assert list(inventories[where]) == [RESHAPE_CLASS]
            assert inventories[root if where == child else child] == {}
