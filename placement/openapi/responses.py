"""OpenAPI responses: success bodies from the schemas the operation names,
the API-SIG error body for every error status it can answer, and the
headers that matter."""
import http

from placement import errors
from placement.schemas import error as error_schema

# Statuses any operation may answer: a bad microversion (400/406), no or
# a bad token (401), policy (403), the database gone (503).
COMMON_ERRORS = (400, 401, 403, 406, 503)
NO_AUTH_ERRORS = (400, 406)

_STRING = {'schema': {'type': 'string'}}
HEADERS = {
    'OpenStack-API-Version': {
        'description': 'The microversion of the answer.',
        'schema': {'type': 'string', 'pattern': r'^placement \d+\.\d+$'}},
    'Vary': {'description': 'Answers vary by microversion.',
             'schema': {'type': 'string'}},
    'x-openstack-request-id': {
        'description': 'The request id.', 'schema': {'type': 'string'}},
    'Location': {'description': 'Where the created thing is.', **_STRING},
    'Cache-Control': {'description': 'Always no-cache (1.15).',
                      'schema': {'type': 'string', 'const': 'no-cache'}},
    'Last-Modified': {'description': 'When the answer last changed '
                                     '(1.15).', **_STRING},
}


def _header(name, required):
    return dict(HEADERS[name], required=required)


def _json(schema):
    return {'application/json': {'schema': schema}}


def success(op, version, status, schema):
    headers = {'OpenStack-API-Version': _header('OpenStack-API-Version', True),
               'Vary': _header('Vary', True),
               'x-openstack-request-id': _header('x-openstack-request-id',
                                                 True)}
    if op.at('location', version):
        headers['Location'] = _header('Location', True)
    if op.at('cached', version) and version >= (1, 15):
        headers['Cache-Control'] = _header('Cache-Control', True)
        # Some answers have nothing to date (e.g. no inventories yet).
        headers['Last-Modified'] = _header('Last-Modified', False)
    answer = {'description': http.HTTPStatus(status).phrase,
              'headers': headers}
    if schema is not None:
        answer['content'] = {op.media_type: {'schema': schema}}
    return answer


def failure(version, status, codes):
    if status == 401:
        # Refused by the auth middleware before any microversion is
        # negotiated: no code; keystonemiddleware words it its own way.
        body = {'anyOf': [error_schema.body(None, codes),
                          error_schema.KEYSTONE_401]}
    elif status == 413:
        # Refused for its size before a microversion is negotiated (no
        # code), or, a chunked body, as it is read (a code from 1.23).
        body = error_schema.body(None, codes)
    else:
        body = error_schema.body(version, codes)
    content = _json(body)
    # Clients that accept neither JSON nor HTML get text, HTML ones HTML.
    content['text/plain'] = _STRING
    content['text/html'] = _STRING
    return {'description': http.HTTPStatus(status).phrase,
            'headers': {'x-openstack-request-id':
                        _header('x-openstack-request-id', False)},
            'content': content}


def of_operation(op, version):
    found = {str(status): success(op, version, status, schema)
             for status, schema in op.responses_at(version).items()}
    declared = dict(op.at('errors', version) or {})
    common = COMMON_ERRORS if op.policy else NO_AUTH_ERRORS
    if op.at('body', version) is not None:
        # [oslo_middleware] max_request_body_size.
        common = common + (413,)
    for status in sorted(set(common) | set(declared)):
        codes = declared.get(status, ())
        found[str(status)] = failure(version, status, codes)
    return found


def all_codes():
    """Every error code the API sends (for the document's description)."""
    return sorted(value for name, value in vars(errors).items()
                  if name.isupper() and isinstance(value, str)
                  and value.startswith('placement.'))
