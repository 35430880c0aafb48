UUID = {'type': 'string', 'format': 'uuid'}
NAME = {'type': 'string', 'maxLength': 200}
PARENT = {'anyOf': [UUID, {'type': 'null'}]}


def _body(version, required):
    properties = {'name': NAME}
    if 'uuid' not in required:
        properties['uuid'] = UUID
    if version >= (1, 14):
        properties['parent_provider_uuid'] = PARENT
    return {'type': 'object', 'properties': properties,
            'required': ['name'], 'additionalProperties': False}


def post(version):
    return _body(version, required=())


def put(version):
    return _body(version, required=('uuid',))


def list_query(version):
    """GET /resource_providers' query string, validated as upstream does:
    with only the last of any repeated parameter."""
    properties = {'name': {'type': 'string'}, 'uuid': UUID}
    if version >= (1, 3):
        properties['member_of'] = {'type': 'string'}
    if version >= (1, 4):
        properties['resources'] = {'type': 'string'}
    if version >= (1, 14):
        properties['in_tree'] = UUID
    if version >= (1, 18):
        properties['required'] = {'type': 'string'}
    return {'type': 'object', 'properties': properties,
            'additionalProperties': False}
