CUSTOM_NAME = {'type': 'string', 'pattern': '^CUSTOM_[A-Z0-9_]+$',
               'maxLength': 255}

LIST_QUERY = {
    'type': 'object',
    'properties': {'name': {'type': 'string'},
                   'associated': {'type': 'string'}},
    'additionalProperties': False,
}

PROVIDER_TRAITS = {
    'type': 'object',
    'properties': {
        'traits': {'type': 'array',
                   'items': {'type': 'string', 'pattern': '^[A-Z0-9_]+$',
                             'maxLength': 255},
                   'uniqueItems': True},
        'resource_provider_generation': {'type': 'integer'},
    },
    'required': ['traits', 'resource_provider_generation'],
    'additionalProperties': False,
}
