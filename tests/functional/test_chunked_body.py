"""A chunked request body (Transfer-Encoding: chunked, no Content-Length)
is read as upstream's webob reads it, over a real socket to gunicorn, which
decodes the chunks and marks the input terminated (``wsgi.input_terminated``).

A gabbit cannot send one: gabbi's client always adds a Content-Length.
"""
import json
import socket
import uuid

import pytest

from tests import dbs
from tests.functional.server import GunicornServer


@pytest.fixture(scope='module')
def server():
    database = dbs.TestDatabase()
    service = GunicornServer(database.url, workers=1)
    try:
        yield service
    finally:
        service.stop()
        database.drop()


def _chunked_request(port, method, path, payload, chunk=7):
    chunks = b''.join(b'%x\r\n%s\r\n' % (len(part), part) for part in (
        payload[i:i + chunk] for i in range(0, len(payload), chunk)))
    request = (b'%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\n'
               b'X-Auth-Token: admin\r\nAccept: application/json\r\n'
               b'Content-Type: application/json\r\n'
               b'OpenStack-API-Version: placement latest\r\n'
               b'Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n'
               % (method.encode(), path.encode())) + chunks + b'0\r\n\r\n'
    with socket.create_connection(('127.0.0.1', port), timeout=30) as sock:
        sock.sendall(request)
        answer = b''
        while True:
            data = sock.recv(65536)
            if not data:
                break
            answer += data
    head, _, body = answer.partition(b'\r\n\r\n')
    return int(head.split()[1]), body


def test_a_chunked_body_is_read(server):
    rp = str(uuid.uuid4())
    status, body = _chunked_request(
        server.port, 'POST', '/resource_providers',
        json.dumps({'name': 'chunky', 'uuid': rp}).encode())
    assert status == 200, body
    status, body = _chunked_request(
        server.port, 'PUT', '/resource_providers/%s/inventories' % rp,
        json.dumps({'resource_provider_generation': 0,
                    'inventories': {'VCPU': {'total': 8}}}).encode())
    assert status == 200, body
    assert b'"VCPU"' in body


def test_a_chunked_body_that_is_not_json_is_still_refused(server):
    status, body = _chunked_request(server.port, 'POST',
                                    '/resource_providers', b'{"name": ')
    assert status == 400, body
    assert b'Malformed JSON' in body
