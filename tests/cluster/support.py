"""Plumbing shared by the cluster tests: the skip switch, the scripts
that start clusters, API servers pointed at one database each, claimers,
and a time limit."""
import contextlib
import json
import os
import random
import shutil
import signal
import stat
import subprocess
import sys
import tempfile

import pytest

from tests.functional import server

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(
    __file__))))
RUN_VARIABLE = 'PLACEMENT_CLUSTER_TESTS'
skip_unless_wanted = pytest.mark.skipif(
    not os.environ.get(RUN_VARIABLE),
    reason='cluster tests run only with %s=1 (they need root, MariaDB '
           'Galera and PostgreSQL server binaries; .ci/run runs them in a '
           'step of its own)' % RUN_VARIABLE)
HEADERS = {'x-auth-token': 'admin', 'openstack-api-version': 'placement 1.39',
           'accept': 'application/json'}


def scratch_dir(prefix):
    """A directory under /tmp that database servers running as another
    user (mysql, postgres) can reach."""
    path = tempfile.mkdtemp(prefix=prefix, dir='/tmp')
    os.chmod(path, stat.S_IRWXU | stat.S_IRGRP | stat.S_IXGRP
             | stat.S_IROTH | stat.S_IXOTH)
    return path


def random_base_port():
    """Another test run (or helper) may be starting a cluster too."""
    return random.randrange(30000, 39000, 10)


@contextlib.contextmanager
def script_cluster(script, *start_args):
    """Run ``scripts/<script> start --json`` and yield its description;
    ``stop`` it afterwards, whatever happens."""
    parent = scratch_dir('placement-%s-' % script)
    directory = os.path.join(parent, 'cluster')
    path = os.path.join(ROOT, 'scripts', script)
    try:
        started = subprocess.run(
            [path, 'start', '--dir', directory, '--json',
             '--base-port', str(random_base_port()), *start_args],
            capture_output=True, text=True, timeout=240)
        if started.returncode != 0:
            raise RuntimeError('%s start failed (%d):\n%s\n%s' % (
                script, started.returncode, started.stdout,
                started.stderr[-4000:]))
        yield json.loads(started.stdout.strip().splitlines()[-1])
    finally:
        subprocess.run([path, 'stop', '--dir', directory],
                       capture_output=True, timeout=120)
        shutil.rmtree(parent, ignore_errors=True)


class ApiServer(server.GunicornServer):
    """gunicorn serving placement.wsgi.api:application on one database
    (whose schema is already there: no db sync), giving up on a database
    it cannot reach after three tries a second apart."""

    def __init__(self, db_url, workers=2, extra_conf=''):
        super().__init__(db_url, workers=workers, db_sync=False,
                         extra_conf='max_retries = 3\nretry_interval = 1\n'
                         + extra_conf)


def manage(db_url, *args):
    """placement-manage with a config naming ``db_url``."""
    directory = tempfile.mkdtemp(prefix='placement-manage-')
    try:
        conf = os.path.join(directory, 'placement.conf')
        with open(conf, 'w') as f:
            f.write('[placement_database]\nconnection = %s\n' % db_url)
        command = os.path.join(os.path.dirname(sys.executable),
                               'placement-manage')
        if not os.path.exists(command):
            command = [sys.executable, '-m', 'placement.cmd.manage']
        else:
            command = [command]
        return subprocess.run(
            command + ['--config-file', conf, *args], capture_output=True, text=True, timeout=120,
            env=dict(os.environ, PYTHONPATH=ROOT), check=True)
    finally:
        shutil.rmtree(directory, ignore_errors=True)


@contextlib.contextmanager
def time_limit(seconds):
    """Fail the test (in the main thread) once ``seconds`` have passed."""
    def expire(signum, frame):
        raise TimeoutError('cluster test over its %ds limit' % seconds)
    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def make_providers(client, prefix, count, inventories, parent=None):
    uuids = []
    for index in range(count):
        body = {'name': '%s-%d' % (prefix, index)}
        if parent:
            body['parent_provider_uuid'] = parent
        response = client.post('/resource_providers', json=body)
        assert response.status_code == 200, response.text
        rp_uuid = response.json()['uuid']
        if inventories:
            response = client.put(
                '/resource_providers/%s/inventories' % rp_uuid,
                json={'resource_provider_generation': 0,
                      'inventories': inventories})
            assert response.status_code == 200, response.text
        uuids.append(rp_uuid)
    return uuids


def allocations_seen(client, providers):
    """{consumer: {provider: {class: amount}}} as one server sees it."""
    seen = {}
    for rp_uuid in providers:
        response = client.get('/resource_providers/%s/allocations' % rp_uuid)
        assert response.status_code == 200, response.text
        for consumer, entry in response.json()['allocations'].items():
            seen.setdefault(consumer, {})[rp_uuid] = entry['resources']
    return seen


def over_capacity(client, providers):
    """Providers whose usage passes their capacity, as one server sees."""
    over = []
    for rp_uuid in providers:
        inventories = client.get(
            '/resource_providers/%s/inventories' % rp_uuid).json()[
            'inventories']
        usages = client.get('/resource_providers/%s/usages' % rp_uuid).json()[
            'usages']
        for name, used in usages.items():
            inv = inventories.get(name)
            capacity = 0 if inv is None else int(
                (inv['total'] - inv['reserved']) * inv['allocation_ratio'])
            if used > capacity:
                over.append((rp_uuid, name, used, capacity))
    return over
