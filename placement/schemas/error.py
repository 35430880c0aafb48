"""The API-SIG error body every error response carries (errors.py)."""
from placement.schemas import common, root


def body(version, codes=()):
    """``{"errors": [...]}``: from 1.23 each error has a ``code``, one of
    ``codes`` (the generic one is always possible)."""
    properties = {'status': {'type': 'integer', 'minimum': 400,
                             'maximum': 599},
                  'title': {'type': 'string'},
                  'detail': {'type': 'string'},
                  'request_id': {'type': 'string'},
                  # When the microversion could not be negotiated.
                  'min_version': root.VERSION,
                  'max_version': root.VERSION}
    required = ['status', 'title', 'detail']
    if version is None or version >= (1, 23):
        properties['code'] = {'type': 'string', 'enum': sorted(
            {'placement.undefined_code', *codes})}
        if version is not None:
            required.append('code')
    return common.closed({'errors': common.array(
        common.closed(properties, required), minItems=1)})


# keystonemiddleware's auth_token answers an unauthenticated request with
# its own body (under [api] auth_strategy = keystone).
KEYSTONE_401 = common.closed({'error': {
    'type': 'object', 'required': ['code', 'title', 'message'],
    'properties': {'code': {'const': 401}, 'title': {'type': 'string'},
                   'message': {'type': 'string'}}}})
