"""Restarts and schema upgrades under load, on a real gunicorn started with
etc/gunicorn.conf.py:

* SIGTERM lets a request in flight finish (graceful_timeout) before the
  server exits;
* a rolling restart of the workers (SIGHUP, and SIGTERM to one worker)
  while schedulers claim and free resources loses no acknowledged write
  or delete, never goes over capacity, and answers no 5xx but 503;
* ``placement-manage db sync`` run while the service serves the same load
  (upgrading its schema, then again with nothing to do) is as safe.

The claimers hold at most two claims each on a small cloud, freeing the
oldest to claim again, so capacity is always nearly used up and both
writes and deletes are always in flight.
"""
import collections
import os
import random
import signal
import subprocess
import sys
import threading
import time
import uuid

import httpx
import psutil
import pytest
import sqlalchemy as sa

from placement.db import sync
from tests import dbs
from tests.functional.server import GunicornServer, ROOT

GUNICORN_CONF = os.path.join(ROOT, 'etc', 'gunicorn.conf.py')
HEADERS = {'x-auth-token': 'admin', 'openstack-api-version': 'placement 1.39',
           'accept': 'application/json'}
WORKERS = 3
CLAIMERS = 12
HOLD = 2
PROVIDERS = 3
VCPUS = 6


def start(database, **kwargs):
    return GunicornServer(database.url, workers=WORKERS,
                          args=('-c', GUNICORN_CONF), **kwargs)


@pytest.fixture
def database():
    db = dbs.TestDatabase()
    yield db
    db.drop()


def make_world(url):
    providers = []
    with httpx.Client(base_url=url, headers=HEADERS, timeout=60) as c:
        for index in range(PROVIDERS):
            rp = c.post('/resource_providers', json={'name': 'cn%d' % index})
            assert rp.status_code == 200, rp.text
            inv = c.put('/resource_providers/%s/inventories'
                        % rp.json()['uuid'], json={
                            'resource_provider_generation': 0,
                            'inventories': {'VCPU': {'total': VCPUS}}})
            assert inv.status_code == 200, inv.text
            providers.append(rp.json()['uuid'])
    return providers


class Ledger:
    """What the clients were told: held claims, and what is uncertain (a
    503 or a broken connection on a write)."""

    ALLOWED = {'GET': {200, 503}, 'PUT': {204, 409, 503},
               'DELETE': {204, 503}}

    def __init__(self):
        self.lock = threading.Lock()
        self.held = {}
        self.uncertain = set()
        self.statuses = collections.Counter()
        self.unexpected = []
        self.broken = []
        self.acknowledged = 0

    def answer(self, method, response, consumer=None):
        with self.lock:
            self.statuses[(method, response.status_code)] += 1
            if response.status_code not in self.ALLOWED[method]:
                self.unexpected.append((method, response.status_code,
                                        response.text[:500]))
            if consumer and response.status_code == 503:
                self.uncertain.add(consumer)

    def broke(self, method, consumer, exc):
        with self.lock:
            self.broken.append((method, repr(exc)))
            if consumer:
                self.uncertain.add(consumer)

    def claimed(self, consumer, rp_uuid):
        with self.lock:
            self.held[consumer] = rp_uuid
            self.acknowledged += 1

    def freed(self, consumer):
        with self.lock:
            del self.held[consumer]
            self.acknowledged += 1


def claimer(url, ledger, stop):
    """Claim VCPU:1 from the candidates; hold at most HOLD, freeing the
    oldest first (or when nothing is free)."""
    mine = []
    full = False
    with httpx.Client(base_url=url, headers=HEADERS, timeout=60) as c:
        while not stop.is_set():
            method, consumer = 'GET', None
            try:
                if mine and (len(mine) >= HOLD or full):
                    method, consumer = 'DELETE', mine.pop(0)
                    response = c.delete('/allocations/%s' % consumer)
                    ledger.answer(method, response, consumer)
                    if response.status_code == 204:
                        ledger.freed(consumer)
                    full = False
                    continue
                found = c.get('/allocation_candidates',
                              params={'resources': 'VCPU:1', 'limit': '5'})
                ledger.answer(method, found)
                if found.status_code != 200:
                    time.sleep(0.05)
                    continue
                choices = found.json()['allocation_requests']
                if not choices:
                    # Nothing free: give back the oldest claim next.
                    full = True
                    time.sleep(0.02)
                    continue
                choice = random.choice(choices)['allocations']
                method, consumer = 'PUT', str(uuid.uuid4())
                response = c.put('/allocations/%s' % consumer, json={
                    'allocations': choice, 'project_id': 'p', 'user_id': 'u',
                    'consumer_generation': None, 'consumer_type': 'INSTANCE'})
                ledger.answer(method, response, consumer)
                if response.status_code == 204:
                    mine.append(consumer)
                    ledger.claimed(consumer, next(iter(choice)))
            except httpx.TransportError as exc:
                ledger.broke(method, consumer, exc)
                if method == 'DELETE':
                    mine.insert(0, consumer)


def verify(url, providers, ledger):
    """Every acknowledged claim is there, on its provider; nothing else is
    (every acknowledged delete stayed deleted); nothing over capacity."""
    stored = {}
    with httpx.Client(base_url=url, headers=HEADERS, timeout=60) as c:
        for rp in providers:
            found = c.get('/resource_providers/%s/allocations' % rp)
            assert found.status_code == 200, found.text
            for consumer, held in found.json()['allocations'].items():
                assert held['resources'] == {'VCPU': 1}
                stored[consumer] = rp
            usage = c.get('/resource_providers/%s/usages' % rp).json()
            assert usage['usages'].get('VCPU', 0) <= VCPUS
    certain = {c: rp for c, rp in ledger.held.items()
               if c not in ledger.uncertain}
    lost = {c for c, rp in certain.items() if stored.get(c) != rp}
    assert not lost, 'acknowledged claims lost: %s' % sorted(lost)
    ghosts = set(stored) - set(ledger.held) - ledger.uncertain
    assert not ghosts, 'acknowledged deletes undone: %s' % sorted(ghosts)


def workers(server):
    return {child.pid for child in
            psutil.Process(server.process.pid).children()}


def wait_for_workers(server, old, deadline):
    """Until WORKERS workers run and none of ``old`` is among them."""
    while time.monotonic() < deadline:
        now = workers(server)
        if len(now) == WORKERS and not now & old:
            return now
        time.sleep(0.1)
    pytest.fail('workers not replaced in time:\n' + server.logs())


def run_claimers(url, ledger):
    stop = threading.Event()
    threads = [threading.Thread(target=claimer, args=(url, ledger, stop))
               for _ in range(CLAIMERS)]
    for thread in threads:
        thread.start()
    return stop, threads


def progress(ledger, seconds, timeout=20):
    """Let the claimers run for ``seconds``, and on until some write is
    acknowledged (new workers may still be starting); how many were."""
    before = ledger.acknowledged
    time.sleep(seconds)
    until = time.monotonic() + timeout
    while ledger.acknowledged == before and time.monotonic() < until:
        time.sleep(0.1)
    return ledger.acknowledged - before


def finish(stop, threads):
    stop.set()
    for thread in threads:
        thread.join(90)
        assert not thread.is_alive()


def test_rolling_restart_under_claims(database):
    server = start(database)
    try:
        providers = make_world(server.url)
        ledger = Ledger()
        stop, threads = run_claimers(server.url, ledger)
        deadline = time.monotonic() + 45
        try:
            assert progress(ledger, 1.5) > 0
            # Reload: new workers start, the old ones finish and go.
            old = workers(server)
            os.kill(server.process.pid, signal.SIGHUP)
            old = wait_for_workers(server, old, deadline)
            assert progress(ledger, 1.0) > 0
            # One worker at a time, as a supervisor would.
            for pid in sorted(old):
                os.kill(pid, signal.SIGTERM)
                wait_for_workers(server, {pid}, deadline)
                assert progress(ledger, 0.5) > 0
            old = workers(server)
            os.kill(server.process.pid, signal.SIGHUP)
            wait_for_workers(server, old, deadline)
            assert progress(ledger, 1.5) > 0
        finally:
            finish(stop, threads)
        assert ledger.unexpected == [], server.logs()
        assert ledger.broken == [], server.logs()
        assert ledger.statuses[('PUT', 204)] > CLAIMERS
        assert ledger.statuses[('DELETE', 204)] > CLAIMERS
        verify(server.url, providers, ledger)
    finally:
        server.stop()


def test_sigterm_lets_the_request_in_flight_finish(database):
    """A claim held up by a lock when SIGTERM arrives still completes (and
    is stored) before the server exits."""
    server = start(database)
    locker = sa.create_engine(database.url, poolclass=sa.pool.NullPool)
    try:
        rp = make_world(server.url)[0]
        consumer = str(uuid.uuid4())
        answer = {}

        def claim():
            with httpx.Client(base_url=server.url, headers=HEADERS,
                              timeout=60) as c:
                try:
                    answer['response'] = c.put(
                        '/allocations/%s' % consumer, json={
                            'allocations': {rp: {'resources': {'VCPU': 1}}},
                            'project_id': 'p', 'user_id': 'u',
                            'consumer_generation': None,
                            'consumer_type': 'INSTANCE'})
                except httpx.TransportError as exc:
                    answer['error'] = exc

        with locker.connect() as conn:
            # The claim must bump this provider's generation: it waits.
            conn.execute(sa.text(
                'UPDATE resource_providers SET generation = generation '
                'WHERE uuid = :uuid'), {'uuid': rp})
            thread = threading.Thread(target=claim)
            thread.start()
            time.sleep(1.5)
            assert not answer, 'the claim did not wait for the lock'
            stopped = time.monotonic()
            server.process.send_signal(signal.SIGTERM)
            time.sleep(2.0)
            assert server.process.poll() is None, 'exited with a request ' \
                'in flight'
            conn.rollback()
        thread.join(60)
        assert server.process.wait(30) == 0
        assert 'error' not in answer, server.logs()
        assert answer['response'].status_code == 204, server.logs()
        assert time.monotonic() - stopped >= 2.0
        with locker.connect() as conn:
            stored = conn.execute(sa.text(
                'SELECT used FROM allocations WHERE consumer_id = :c'),
                {'c': consumer}).scalars().all()
        assert stored == [1]
    finally:
        locker.dispose()
        server.stop()


def test_db_sync_while_serving(database):
    """The service starts on the first revision of our schema; db sync
    upgrades it under load, then runs again with nothing to do."""
    engine = sa.create_engine(database.url, poolclass=sa.pool.NullPool)
    with engine.begin() as conn:
        from alembic import command
        command.upgrade(sync._alembic_config(conn), '0001')
    with engine.connect() as conn:
        assert sync.current_revision(conn) == '0001'
    server = start(database, db_sync=False)
    config = os.path.join(server.dir.name, 'placement.conf')
    env = dict(os.environ, PYTHONPATH=ROOT)
    try:
        providers = make_world(server.url)
        ledger = Ledger()
        stop, threads = run_claimers(server.url, ledger)
        try:
            assert progress(ledger, 1.5) > 0
            for _ in range(3):
                done = subprocess.run(
                    [sys.executable, '-m', 'placement.cmd.manage',
                     '--config-file', config, 'db', 'sync'],
                    env=env, capture_output=True, text=True, timeout=60)
                assert done.returncode == 0, done.stdout + done.stderr
                assert progress(ledger, 0.5) > 0
        finally:
            finish(stop, threads)
        with engine.connect() as conn:
            assert sync.current_revision(conn) == sync.head_revision()
        assert ledger.unexpected == [], server.logs()
        assert ledger.broken == [], server.logs()
        verify(server.url, providers, ledger)
    finally:
        engine.dispose()
        server.stop()
