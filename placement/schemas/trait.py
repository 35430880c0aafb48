from placement.schemas import common

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
        # Any name, repeats too: unknown names are refused by lookup.
        'traits': {'type': 'array',
                   'items': {'type': 'string', 'minLength': 1,
                             'maxLength': 255}},
        'resource_provider_generation': {'type': 'integer'},
    },
    'required': ['traits', 'resource_provider_generation'],
    'additionalProperties': False,
}

TRAITS = common.closed({'traits': common.array(common.TRAIT_NAME)})
PROVIDER_TRAITS_SHOWN = common.closed({
    'traits': common.array(common.TRAIT_NAME),
    'resource_provider_generation': common.GENERATION})
