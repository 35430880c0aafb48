"""Serve a test cloud with gunicorn: one worker process with threads, so
the control route's state (the scenario served, the fault counters) is
the one state every request sees.

The listening socket is bound here, before gunicorn starts, so that
``--port 0`` gives a free port that is known (and printed) at once, and
clients that connect early simply wait in the backlog.
"""
import json
import os
import shutil
import signal
import socket
import sys
import tempfile

from gunicorn.app import base as gunicorn_base

from placement.testcloud import cloud as cloud_mod
from placement.testcloud import summary


class _Gunicorn(gunicorn_base.BaseApplication):
    def __init__(self, cloud, options):
        self.cloud = cloud
        self.options = options
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        # In the worker, after the fork: its own engine and connections.
        return self.cloud.wsgi_app()


def _raise_exit(signum, frame):
    raise SystemExit(128 + signum)


def bind(host, port):
    sock = socket.socket(socket.AF_INET6 if ':' in host else socket.AF_INET)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    # Accepted connections inherit it (Linux): gunicorn writes a
    # response's headers and body in two sends, which Nagle's algorithm
    # and the client's delayed ACK would otherwise hold 40 ms apart.
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind((host, port))
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def serve(scenario, host='127.0.0.1', port=8778, max_version=None,
          release=None, threads=8, ready_file=None, verbose=False,
          out=sys.stdout):
    """Run until SIGINT or SIGTERM, then remove everything made."""
    master = os.getpid()
    # Until gunicorn installs its own handlers, SIGTERM must still lead
    # to the clean-up below.
    signal.signal(signal.SIGTERM, _raise_exit)
    workdir = tempfile.mkdtemp(prefix='placement-testcloud-')
    sock = None
    try:
        cloud = cloud_mod.Cloud(workdir, scenario, max_version=max_version,
                                release=release)
        cloud.prepare()
        sock = bind(host, port)
        actual_host, actual_port = sock.getsockname()[:2]
        shown_host = '[%s]' % actual_host if ':' in actual_host else actual_host
        endpoint = 'http://%s:%d' % (shown_host, actual_port)
        if ready_file:
            _write_ready(ready_file, endpoint, cloud, workdir)
        _announce(out, cloud, endpoint, workdir)
        options = {
            'bind': ['fd://%d' % sock.fileno()],
            'workers': 1,
            'worker_class': 'gthread',
            'threads': threads,
            'timeout': 120,
            'graceful_timeout': 5,
            'keepalive': 5,
            'accesslog': '-' if verbose else None,
            'loglevel': 'info' if verbose else 'warning',
            'limit_request_line': 8190,
            'proc_name': 'placement-testcloud',
        }
        _Gunicorn(cloud, options).run()
    finally:
        # Worker processes unwind through here too: only the master
        # removes what it made.
        if os.getpid() == master:
            shutil.rmtree(workdir, ignore_errors=True)
            if ready_file:
                try:
                    os.unlink(ready_file)
                except FileNotFoundError:
                    pass
            if sock is not None:
                try:
                    sock.close()
                except OSError:
                    pass  # gunicorn closed its listener, the same fd


def _announce(out, cloud, endpoint, workdir):
    ceiling = str(cloud.max_version)
    if cloud.release:
        ceiling += ' (%s)' % cloud.release
    text = [
        'Placement test cloud',
        '  endpoint:         %s' % endpoint,
        '  token:            admin   (header X-Auth-Token; noauth2: '
        '"user:project" is a member)',
        '  microversions:    1.0 - %s' % ceiling,
        '  control route:    %s/_testcloud  (POST /_testcloud/reset, '
        '/_testcloud/faults)' % endpoint,
        '  scenarios:        %s' % ', '.join(cloud.scenario_names()),
        '  data (removed on exit): %s' % workdir,
        '',
    ]
    text += summary.lines(cloud.scenario())
    text += ['', 'Serving; Ctrl-C or SIGTERM stops and cleans up.']
    out.write('\n'.join(text) + '\n')
    out.flush()


def _write_ready(path, endpoint, cloud, workdir):
    """Endpoint, token and index as JSON, for programs (any language) to
    read; written atomically once the socket listens."""
    body = dict(cloud.status(), endpoint=endpoint, token='admin',
                pid=os.getpid(), workdir=workdir)
    partial = path + '.partial'
    with open(partial, 'w') as f:
        json.dump(body, f, indent=1)
    os.replace(partial, path)
