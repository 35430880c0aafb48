"""Shared benchmark plumbing: databases, servers, timing."""
import contextlib
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import uuid

import httpx
import sqlalchemy as sa

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SERVERS = {'postgresql': 'postgresql+psycopg://postgres@127.0.0.1:5432',
           'mysql': 'mysql+pymysql://root@127.0.0.1:3306'}
HEADERS = {'x-auth-token': 'admin', 'accept': 'application/json',
           'openstack-api-version': 'placement latest'}


class Database:
    def __init__(self, kind):
        self.kind = kind
        self.name = 'placement_bench_%s' % uuid.uuid4().hex[:10]
        if kind == 'sqlite':
            self.dir = tempfile.mkdtemp(prefix='placement-bench-')
            self.url = 'sqlite:///%s/bench.sqlite' % self.dir
            return
        admin = sa.create_engine(SERVERS[kind] + '/' + (
            'postgres' if kind == 'postgresql' else 'mysql'),
            isolation_level='AUTOCOMMIT')
        with admin.connect() as conn:
            conn.exec_driver_sql('CREATE DATABASE %s' % self.name)
        admin.dispose()
        self.url = '%s/%s' % (SERVERS[kind], self.name)

    def drop(self):
        if self.kind == 'sqlite':
            subprocess.call(['rm', '-rf', self.dir])
            return
        admin = sa.create_engine(SERVERS[self.kind] + '/' + (
            'postgres' if self.kind == 'postgresql' else 'mysql'),
            isolation_level='AUTOCOMMIT')
        with admin.connect() as conn:
            conn.exec_driver_sql('DROP DATABASE IF EXISTS %s%s' % (
                self.name, ' WITH (FORCE)' if self.kind == 'postgresql'
                else ''))
        admin.dispose()


def write_conf(directory, url, extra=''):
    with open(os.path.join(directory, 'placement.conf'), 'w') as f:
        f.write('[api]\nauth_strategy = noauth2\n[placement_database]\n'
                'connection = %s\n%s' % (url, extra))
    return os.path.join(directory, 'placement.conf')


def free_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn from a virtualenv, serving placement.wsgi.api:application."""

    def __init__(self, venv, url, workers=1, extra_conf='', cwd=None):
        self.dir = tempfile.mkdtemp(prefix='placement-bench-srv-')
        write_conf(self.dir, url, extra_conf)
        self.port = free_port()
        self.url = 'http://127.0.0.1:%d' % self.port
        env = dict(os.environ, OS_PLACEMENT_CONFIG_DIR=self.dir)
        self.log = open(os.path.join(self.dir, 'server.log'), 'w')
        self.process = subprocess.Popen(
            [os.path.join(venv, 'bin', 'gunicorn'), '-w', str(workers),
             '-b', '127.0.0.1:%d' % self.port, '--timeout', '900',
             'placement.wsgi.api:application'],
            env=env, stdout=self.log, stderr=subprocess.STDOUT,
            cwd=cwd or self.dir)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if httpx.get(self.url + '/').status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.3)
        raise RuntimeError('server did not start; see %s' % self.dir)

    def cpu_seconds(self):
        """CPU time (user + system) of gunicorn and its live workers."""
        return _cpu_seconds(self.process.pid)

    def stop(self):
        self.process.terminate()
        self.process.wait(30)
        self.log.close()


def _cpu_seconds(pid):
    """A process's CPU time and its descendants' (from /proc: Linux)."""
    try:
        with open('/proc/%d/stat' % pid) as stat:
            fields = stat.read().rsplit(')', 1)[1].split()
        with open('/proc/%d/task/%d/children' % (pid, pid)) as found:
            children = [int(child) for child in found.read().split()]
    except OSError:
        return 0.0
    ticks = os.sysconf('SC_CLK_TCK')
    return (int(fields[11]) + int(fields[12])) / ticks + sum(
        _cpu_seconds(child) for child in children)


@contextlib.contextmanager
def served(kind, workers):
    """A fresh database with our schema, served by our gunicorn."""
    database = Database(kind)
    try:
        sync(our_venv(), database.url)
        server = Server(our_venv(), database.url, workers=workers, cwd=ROOT)
        try:
            yield server
        finally:
            server.stop()
    finally:
        database.drop()


def sync(venv, url):
    directory = tempfile.mkdtemp(prefix='placement-bench-sync-')
    conf = write_conf(directory, url)
    subprocess.check_call([os.path.join(venv, 'bin', 'placement-manage'),
                           '--config-file', conf, 'db', 'sync'],
                          stdout=subprocess.DEVNULL)


def timed(client, path, params, runs, timeout=900):
    """Median and p95 wall time (ms) of ``runs`` GETs, and the last body.

    ``client`` is an httpx client, whose base URL and headers are used;
    the GETs themselves go through the standard library's http.client on
    one kept-alive connection: httpx's own time to receive a body of
    megabytes (about a millisecond per 200 KB on this machine) is not
    the server's, and counting it would shrink every ratio."""
    url = httpx.URL(str(client.base_url))
    conn = http.client.HTTPConnection(url.host, url.port, timeout=timeout)
    target = path + '?' + urllib.parse.urlencode(params, doseq=True)
    headers = {name: value for name, value in client.headers.items()
               if name.lower() != 'accept-encoding'}

    def get():
        conn.request('GET', target, headers=headers)
        response = conn.getresponse()
        return response.status, response.read()

    get()  # warm up
    times, body = [], None
    for _ in range(runs):
        start = time.perf_counter()
        status, raw = get()
        times.append((time.perf_counter() - start) * 1000)
        assert status == 200, raw[:500]
        body = json.loads(raw)
    conn.close()
    times.sort()
    p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
    return statistics.median(times), p95, body


def analyze(engine):
    """Refresh the planner's statistics after a bulk load, as PostgreSQL's
    autovacuum (and InnoDB's automatic statistics) would shortly after in
    a real deployment; both servers then query the same analyzed data."""
    if engine.dialect.name == 'postgresql':
        with engine.connect().execution_options(
                isolation_level='AUTOCOMMIT') as conn:
            conn.exec_driver_sql('ANALYZE')
    elif engine.dialect.name in ('mysql', 'mariadb'):
        with engine.connect() as conn:
            conn.exec_driver_sql(
                'ANALYZE TABLE resource_providers, inventories, allocations, '
                'resource_provider_traits, resource_provider_aggregates')


def no_autoanalyze(engine):
    """Keep PostgreSQL's autovacuum from gathering statistics, so the
    planner keeps none (as in a database just restored from a dump)."""
    if engine.dialect.name != 'postgresql':
        return
    with engine.begin() as conn:
        for table in ('resource_providers', 'inventories', 'allocations',
                      'resource_provider_traits',
                      'resource_provider_aggregates', 'traits',
                      'resource_classes', 'placement_aggregates'):
            conn.exec_driver_sql('ALTER TABLE %s SET (autovacuum_enabled = '
                                 'false)' % table)


UPSTREAM = ['openstack-placement==16.0.0', 'gunicorn', 'psycopg[binary]',
            'pymysql']


def ensure_upstream_venv(path, run=subprocess.check_call):
    """A virtualenv at ``path`` serving upstream Placement 16.0.0 (with
    gunicorn and the database drivers), created on first use."""
    if os.path.exists(os.path.join(path, 'bin', 'gunicorn')):
        return path
    print('# installing upstream Placement into %s' % path, flush=True)
    run([sys.executable, '-m', 'venv', path])
    run([os.path.join(path, 'bin', 'python'), '-m', 'pip', 'install', '-q',
         '--disable-pip-version-check'] + UPSTREAM)
    return path


def our_venv():
    return os.path.dirname(os.path.dirname(sys.executable))
