"""The jsonschema of a scenario file (see README, "Scenario files").

Every object refuses unknown keys, so a typo ("inventory:" for
"inventories:") is an error that names the place, not a silently empty
provider.
"""
NAME = {'type': 'string', 'minLength': 1, 'maxLength': 200}
UUID = {'type': 'string',
        'pattern': '^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$'}
CLASS = {'type': 'string', 'pattern': '^[A-Z0-9_]+$', 'maxLength': 255}
TRAIT = {'type': 'string', 'pattern': '^[A-Z0-9_]+$', 'maxLength': 255}
CUSTOM = {'type': 'string', 'pattern': '^CUSTOM_[A-Z0-9_]+$',
          'maxLength': 255}
POSITIVE = {'type': 'integer', 'minimum': 1, 'maximum': 2147483647}
COUNT = {'type': 'integer', 'minimum': 0, 'maximum': 2147483647}

INVENTORY = {
    'oneOf': [
        POSITIVE,
        {'type': 'object',
         'properties': {
             'total': POSITIVE,
             'reserved': COUNT,
             'min_unit': POSITIVE,
             'max_unit': POSITIVE,
             'step_size': POSITIVE,
             'allocation_ratio': {'type': 'number', 'exclusiveMinimum': 0},
         },
         'required': ['total'],
         'additionalProperties': False},
    ],
}

PROVIDER = {
    'type': 'object',
    'properties': {
        'name': NAME,
        'uuid': UUID,
        'inventories': {'type': 'object',
                        'propertyNames': CLASS,
                        'additionalProperties': INVENTORY},
        'traits': {'type': 'array', 'items': TRAIT, 'uniqueItems': True},
        'aggregates': {'type': 'array', 'items': NAME, 'uniqueItems': True},
        'children': {'type': 'array', 'items': {'$ref': '#/$defs/provider'}},
    },
    'required': ['name'],
    'additionalProperties': False,
}

CONSUMER = {
    'type': 'object',
    'properties': {
        'name': NAME,
        'uuid': UUID,
        'project': NAME,
        'user': NAME,
        'consumer_type': {'type': 'string',
                          'pattern': '^[A-Z0-9_]+$', 'maxLength': 255},
        'allocations': {
            'type': 'object', 'minProperties': 1,
            'propertyNames': NAME,
            'additionalProperties': {
                'type': 'object', 'minProperties': 1,
                'propertyNames': CLASS,
                'additionalProperties': POSITIVE}},
    },
    'required': ['name', 'allocations'],
    'additionalProperties': False,
}

SCENARIO = {
    '$schema': 'https://json-schema.org/draft/2020-12/schema',
    'title': 'placement-testcloud scenario',
    'type': 'object',
    'properties': {
        'description': {'type': 'string'},
        'include': {'type': 'array', 'items': NAME, 'uniqueItems': True},
        'resource_classes': {'type': 'array', 'items': CUSTOM,
                             'uniqueItems': True},
        'traits': {'type': 'array', 'items': CUSTOM, 'uniqueItems': True},
        'providers': {'type': 'array', 'items': {'$ref': '#/$defs/provider'}},
        'consumers': {'type': 'array', 'items': CONSUMER},
    },
    'additionalProperties': False,
    '$defs': {'provider': PROVIDER},
}
