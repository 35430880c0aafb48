"""GET /healthcheck: oslo.middleware's health check with our database
check, answered without a token, 503 while the database does not answer;
every other request (and a health check the configuration declines)
meets the API exactly as before."""
import socket
import threading

import httpx
import pytest
import sqlalchemy as sa
from keystonemiddleware import auth_token

from placement import app
from tests import dbs
from tests.functional.app import make_conf

TOKEN = {'x-auth-token': 'admin'}


class FakeAuthToken:
    """Stands in for keystonemiddleware: refuses every request (no
    token here is good)."""

    def __init__(self, application, conf):
        self.application = application

    def __call__(self, environ, start_response):
        start_response('401 Unauthorized', [('Content-Length', '0')])
        return [b'']


def client(application):
    return httpx.Client(transport=httpx.WSGITransport(app=application),
                        base_url='http://placement')


def _build(service, overrides=None, url=None):
    conf = make_conf(url or service.database.url, overrides)
    return app.build_app(conf, None if url else service.engine)


def test_healthy_without_a_token(service):
    with client(service.app) as c:
        plain = c.get('/healthcheck')
        assert plain.status_code == 200
        assert plain.headers['content-type'].startswith('text/plain')
        assert plain.text == 'database OK'
        assert plain.headers['x-openstack-request-id'].startswith('req-')
        as_json = c.get('/healthcheck', headers={'accept': 'application/json'})
        assert as_json.status_code == 200
        assert as_json.json() == {'detailed': False,
                                  'reasons': ['database OK']}
        head = c.head('/healthcheck')
        assert head.status_code == 204
        # Every other path still wants a token.
        assert c.get('/resource_providers').status_code == 401


def test_healthy_without_a_token_under_keystone(service, monkeypatch):
    monkeypatch.setattr(auth_token, 'AuthProtocol', FakeAuthToken)
    application = _build(service, {('api', 'auth_strategy'): 'keystone'})
    with client(application) as c:
        assert c.get('/healthcheck').status_code == 200
        assert c.get('/resource_providers').status_code == 401


def test_other_methods_are_the_apis_as_upstream(service):
    with client(service.app) as c:
        assert c.post('/healthcheck').status_code == 401
        assert c.put('/healthcheck', headers=TOKEN).status_code == 404
        assert c.get('/healthcheck/more', headers=TOKEN).status_code == 404


def test_unreachable_database_is_503():
    conf = make_conf('postgresql+psycopg://postgres@127.0.0.1:1/nothing',
                     {('placement_database', 'max_retries'): 1})
    application = app.build_app(conf)
    with client(application) as c:
        response = c.get('/healthcheck')
        assert response.status_code == 503
        assert response.text == 'database unavailable'
        assert c.head('/healthcheck').status_code == 503
        detailed = c.get('/healthcheck', headers={'accept': 'application/json'})
        assert detailed.json()['reasons'] == ['database unavailable']


def test_declined_sources_meet_the_api(service):
    """Outside [healthcheck] allowed_source_ranges, /healthcheck is an
    ordinary path: 401 without a token, 404 with one (upstream's answers)."""
    application = _build(service, {
        ('healthcheck', 'allowed_source_ranges'): ['10.0.0.0/8']})
    with client(application) as c:
        assert c.get('/healthcheck').status_code == 401
        assert c.get('/healthcheck', headers=TOKEN).status_code == 404
    inside = _build(service, {
        ('healthcheck', 'allowed_source_ranges'): ['127.0.0.0/8']})
    with client(inside) as c:
        assert c.get('/healthcheck').status_code == 200


def test_disable_by_file_with_the_database_check(service, tmp_path):
    """Operators drain a node by touching a file, as in other services."""
    flag = tmp_path / 'disabled'
    application = _build(service, {
        ('healthcheck', 'backends'): ['placement_database', 'disable_by_file'],
        ('healthcheck', 'disable_by_file_path'): str(flag)})
    with client(application) as c:
        assert c.get('/healthcheck').status_code == 200
        flag.write_text('')
        response = c.get('/healthcheck')
        assert response.status_code == 503
        assert 'DISABLED BY FILE' in response.text
        # The API itself serves on while the node drains.
        assert c.get('/resource_providers', headers=TOKEN).status_code == 200
        flag.unlink()
        assert c.get('/healthcheck').status_code == 200


class Proxy:
    """A TCP proxy to the database server that can be cut and restored."""

    def __init__(self, port):
        self.target = ('127.0.0.1', port)
        self.listener = socket.create_server(('127.0.0.1', 0))
        self.port = self.listener.getsockname()[1]
        self.open = True
        self.sockets = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            if not self.open:
                conn.close()
                continue
            upstream = socket.create_connection(self.target)
            self.sockets += [conn, upstream]
            for a, b in ((conn, upstream), (upstream, conn)):
                threading.Thread(target=self._pipe, args=(a, b),
                                 daemon=True).start()

    @staticmethod
    def _pipe(source, sink):
        try:
            while True:
                data = source.recv(65536)
                if not data:
                    break
                sink.sendall(data)
        except OSError:
            pass
        for sock in (source, sink):
            try:
                sock.close()
            except OSError:
                pass

    def cut(self):
        self.open = False
        for sock in self.sockets:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        self.sockets = []

    def restore(self):
        self.open = True

    def close(self):
        self.cut()
        self.listener.close()


@pytest.mark.skipif(dbs.KIND == 'sqlite',
                    reason='an SQLite file cannot go away like a server')
def test_follows_the_database_going_and_coming_back(service):
    url = sa.engine.make_url(service.database.url)
    proxy = Proxy(url.port or {'postgresql': 5432, 'mysql': 3306}[dbs.KIND])
    try:
        through = url.set(host='127.0.0.1', port=proxy.port)
        application = _build(service, url=through.render_as_string(
            hide_password=False))
        with client(application) as c:
            assert c.get('/healthcheck').status_code == 200
            proxy.cut()
            assert c.get('/healthcheck').status_code == 503
            assert c.get('/resource_providers',
                         headers=TOKEN).status_code == 503
            proxy.restore()
            assert c.get('/healthcheck').status_code == 200
            assert c.get('/resource_providers',
                         headers=TOKEN).status_code == 200
    finally:
        proxy.close()


def test_configured_in_placement_conf(tmp_path):
    from placement import conf as conf_mod
    path = tmp_path / 'placement.conf'
    path.write_text('[healthcheck]\ndetailed = true\n'
                    'allowed_source_ranges = 10.0.0.0/8\n'
                    '[metrics]\nenabled = false\n'
                    '[oslo_middleware]\nmax_request_body_size = 2048\n')
    conf = conf_mod.load(files=[str(path)])
    assert conf.healthcheck.backends == ['placement_database']
    assert conf.healthcheck.detailed is True
    assert conf.healthcheck.allowed_source_ranges == ['10.0.0.0/8']
    assert conf.metrics.enabled is False
    assert conf.oslo_middleware.max_request_body_size == 2048
    path.write_text('[oslo_middleware]\nmax_request_body_size = big\n')
    with pytest.raises(SystemExit) as caught:
        conf_mod.load(files=[str(path)])
    assert 'max_request_body_size' in str(caught.value)
