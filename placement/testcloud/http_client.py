"""A small JSON-over-HTTP client, standard library only, so that
``placement-testcloud load`` runs from a plain install. It speaks to a URL
(one kept-alive connection) or, for tests, straight to a WSGI app."""
import http.client
import io
import json
import urllib.parse
import wsgiref.util


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = {name.lower(): value for name, value in headers}
        self.body = body

    def json(self):
        return json.loads(self.body) if self.body else None

    def __repr__(self):
        return '<Response %d %s>' % (self.status, self.body[:200])


class HTTPError(Exception):
    def __init__(self, method, path, response):
        super().__init__('%s %s answered %d: %s' % (
            method, path, response.status,
            response.body.decode('utf-8', 'replace')[:500]))
        self.response = response


class Client:
    """Requests as the admin (token ``admin`` under noauth2) or any token;
    ``version`` is the default microversion header."""

    def __init__(self, url=None, app=None, token='admin', version=None,
                 timeout=60):
        if (url is None) == (app is None):
            raise ValueError('give a url or a WSGI app')
        self.app = app
        self.token = token
        self.version = version
        self.timeout = timeout
        self._conn = None
        if url is not None:
            parsed = urllib.parse.urlsplit(url)
            if parsed.scheme not in ('http', 'https'):
                raise ValueError('not an http(s) URL: %s' % url)
            self._scheme = parsed.scheme
            self._netloc = parsed.netloc
            self._prefix = parsed.path.rstrip('/')

    def request(self, method, path, body=None, version=None, headers=None,
                expect=None):
        """A Response; with ``expect`` (a status or tuple of them), any
        other status raises HTTPError."""
        sent = {'accept': 'application/json'}
        if self.token is not None:
            sent['x-auth-token'] = self.token
        version = version or self.version
        if version is not None:
            sent['openstack-api-version'] = 'placement %s' % (version,)
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            sent['content-type'] = 'application/json'
        sent.update(headers or {})
        if self.app is not None:
            response = self._call_app(method, path, sent, data)
        else:
            response = self._call_url(method, path, sent, data)
        if expect is not None:
            wanted = expect if isinstance(expect, tuple) else (expect,)
            if response.status not in wanted:
                raise HTTPError(method, path, response)
        return response

    def get(self, path, **kwargs):
        return self.request('GET', path, **kwargs)

    def close(self):
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def _connection(self):
        if self._conn is None:
            cls = (http.client.HTTPSConnection if self._scheme == 'https'
                   else http.client.HTTPConnection)
            self._conn = cls(self._netloc, timeout=self.timeout)
        return self._conn

    def _call_url(self, method, path, headers, data):
        for attempt in (1, 2):
            conn = self._connection()
            try:
                conn.request(method, self._prefix + path, body=data,
                             headers=headers)
                raw = conn.getresponse()
                body = raw.read()
            except (http.client.RemoteDisconnected, BrokenPipeError,
                    ConnectionResetError):
                # The server closed a kept-alive connection: once more.
                self.close()
                if attempt == 2:
                    raise
                continue
            if raw.getheader('connection', '').lower() == 'close':
                self.close()
            return Response(raw.status, raw.getheaders(), body)

    def _call_app(self, method, path, headers, data):
        path, _, query = path.partition('?')
        environ = {'REQUEST_METHOD': method, 'PATH_INFO': path,
                   'QUERY_STRING': query, 'SCRIPT_NAME': '',
                   'wsgi.input': io.BytesIO(data or b'')}
        wsgiref.util.setup_testing_defaults(environ)
        if data:
            environ['CONTENT_LENGTH'] = str(len(data))
        for name, value in headers.items():
            if name == 'content-type':
                environ['CONTENT_TYPE'] = value
            else:
                environ['HTTP_' + name.upper().replace('-', '_')] = value
        captured = {}

        def start_response(status, response_headers, exc_info=None):
            captured['status'] = int(status.split()[0])
            captured['headers'] = response_headers

        chunks = self.app(environ, start_response)
        try:
            body = b''.join(chunks)
        finally:
            if hasattr(chunks, 'close'):
                chunks.close()
        return Response(captured['status'], captured['headers'], body)
