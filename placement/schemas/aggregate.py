from placement.schemas import common

UUID_LIST = {'type': 'array', 'items': {'type': 'string', 'format': 'uuid'},
             'uniqueItems': True}


def put(version):
    if version < (1, 19):
        return UUID_LIST
    return {'type': 'object',
            'properties': {'aggregates': UUID_LIST,
                           'resource_provider_generation': {'type': 'integer'}},
            'required': ['aggregates', 'resource_provider_generation'],
            'additionalProperties': False}


def aggregates(version):
    """GET and PUT answer the provider's aggregates (1.19: with its
    generation)."""
    properties = {'aggregates': common.array(common.UUID)}
    if version >= (1, 19):
        properties['resource_provider_generation'] = common.GENERATION
    return common.closed(properties)
