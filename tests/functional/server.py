"""A real multi-worker gunicorn serving Placement on a test database."""
import os
import socket
import subprocess
import sys
import tempfile
import time

import httpx

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(
    __file__))))


def free_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


class GunicornServer:
    def __init__(self, db_url, workers=4, extra_conf='', args=(),
                 db_sync=True):
        self.dir = tempfile.TemporaryDirectory(prefix='placement-server-')
        with open(os.path.join(self.dir.name, 'placement.conf'), 'w') as f:
            f.write('[api]\nauth_strategy = noauth2\n'
                    '[placement_database]\nconnection = %s\n%s'
                    % (db_url, extra_conf))
        self.port = free_port()
        self.url = 'http://127.0.0.1:%d' % self.port
        env = dict(os.environ, OS_PLACEMENT_CONFIG_DIR=self.dir.name,
                   PYTHONPATH=ROOT)
        self.log = open(os.path.join(self.dir.name, 'server.log'), 'w+')
        if db_sync:
            subprocess.check_call(
                [sys.executable, '-m', 'placement.cmd.manage',
                 '--config-file', os.path.join(self.dir.name,
                                               'placement.conf'),
                 'db', 'sync'],
                env=env, stdout=self.log, stderr=subprocess.STDOUT)
        self.process = subprocess.Popen(
            [sys.executable, '-m', 'gunicorn', '-w', str(workers),
             '-b', '127.0.0.1:%d' % self.port, '--timeout', '120',
             *args, 'placement.wsgi.api:application'],
            env=env, stdout=self.log, stderr=subprocess.STDOUT, cwd=ROOT)
        self._wait()

    def _wait(self):
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                if httpx.get(self.url + '/', timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        logs = self.logs()
        self.stop()
        raise RuntimeError('gunicorn did not start:\n' + logs)

    def logs(self):
        self.log.seek(0)
        return self.log.read()[-5000:]

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.log.close()
        self.dir.cleanup()
