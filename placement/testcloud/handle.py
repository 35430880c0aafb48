"""Drive a running test cloud from Python: start one as a subprocess
(``TestCloud.start``) or attach to one (``TestCloud(endpoint)``), reset
it, arm faults, look uuids up by name. Standard library only."""
import json
import os
import signal
import subprocess
import sys
import tempfile
import time

from placement.testcloud import http_client

TOKEN = 'admin'


class TestCloud:
    __test__ = False  # not a pytest test class

    def __init__(self, endpoint, token=TOKEN, process=None, ready=None):
        self.endpoint = endpoint.rstrip('/')
        self.token = token
        self.process = process
        self.ready = ready or {}
        self._log = self._ready_dir = None
        self._client = http_client.Client(url=self.endpoint, token=token)
        self.index = self.ready.get('index') or self.status()['index']

    @classmethod
    def start(cls, scenario='mixed', max_microversion=None, release=None,
              timeout=60, python=sys.executable):
        """Run ``placement-testcloud serve`` on a free port and wait until
        it listens. Stop it with stop() (or use it as a context manager)."""
        ready_dir = tempfile.mkdtemp(prefix='placement-testcloud-ready-')
        ready_file = os.path.join(ready_dir, 'ready.json')
        command = [python, '-m', 'placement.testcloud', 'serve', '--port',
                   '0', '--scenario', scenario, '--ready-file', ready_file]
        if max_microversion:
            command += ['--max-microversion', str(max_microversion)]
        if release:
            command += ['--release', release]
        log = tempfile.TemporaryFile(mode='w+')
        process = subprocess.Popen(command, stdout=log,
                                   stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + timeout
            while not os.path.exists(ready_file):
                if process.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    raise RuntimeError('the test cloud did not start:\n%s'
                                       % log.read()[-3000:])
                time.sleep(0.05)
            with open(ready_file) as f:
                ready = json.load(f)
        except BaseException:
            _stop(process)
            log.close()
            raise
        # (The server removes the ready file itself when it stops.)
        cloud = cls(ready['endpoint'], ready['token'], process, ready)
        cloud._log = log
        cloud._ready_dir = ready_dir
        return cloud

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.stop()

    def _control(self, method, path, body=None, expect=(200, 204)):
        response = self._client.request(method, '/_testcloud' + path,
                                        body=body, expect=expect)
        return response.json()

    def status(self):
        """The control route's GET: scenario, index, ceiling, faults."""
        return self._control('GET', '')

    def reset(self, scenario=None):
        """Restore the scenario (or switch to another); clears faults."""
        body = {} if scenario is None else {'scenario': scenario}
        answer = self._control('POST', '/reset', body)
        self.index = answer['index']
        return answer

    def faults(self, conflicts=None, unavailable=None, latency_ms=None):
        """Arm faults: the next ``conflicts`` writes answer 409, the next
        ``unavailable`` requests 503; ``latency_ms`` delays every one."""
        body = {key: value for key, value in (
            ('conflicts', conflicts), ('unavailable', unavailable),
            ('latency_ms', latency_ms)) if value is not None}
        return self._control('POST', '/faults', body)

    def clear_faults(self):
        self._control('DELETE', '/faults')

    def uuid(self, name):
        """The uuid of a provider, consumer or aggregate by its name."""
        for kind in ('providers', 'consumers', 'aggregates'):
            if name in self.index.get(kind, {}):
                return self.index[kind][name]
        raise KeyError('no provider, consumer or aggregate named %r' % name)

    def stop(self):
        self._client.close()
        if self.process is not None:
            _stop(self.process)
            self.process = None
            self._log.close()
            try:
                os.rmdir(self._ready_dir)
            except OSError:
                pass

    def logs(self):
        self._log.seek(0)
        return self._log.read()


def _stop(process):
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
