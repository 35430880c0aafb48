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
