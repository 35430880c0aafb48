from placement.schemas import common

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


def rels(version):
    """The links a provider shows at a microversion."""
    found = ['self', 'inventories', 'usages']
    if version >= (1, 1):
        found.append('aggregates')
    if version >= (1, 6):
        found.append('traits')
    if version >= (1, 11):
        found.append('allocations')
    return found


def provider(version):
    """One provider, as shown by GET, PUT and (1.20) POST."""
    properties = {'uuid': UUID, 'name': {'type': 'string'},
                  'generation': common.GENERATION,
                  'links': common.links(*rels(version))}
    if version >= (1, 14):
        properties['parent_provider_uuid'] = common.NULLABLE_UUID
        properties['root_provider_uuid'] = UUID
    return common.closed(properties)


def providers(version):
    return common.closed({'resource_providers': common.array(
        provider(version))})
