from placement.schemas import common

MAX_INT = 2147483647
MAX_FLOAT = 3.40282e+38

FIELDS = {
    'total': {'type': 'integer', 'maximum': MAX_INT, 'minimum': 1},
    'reserved': {'type': 'integer', 'maximum': MAX_INT, 'minimum': 0},
    'min_unit': {'type': 'integer', 'maximum': MAX_INT, 'minimum': 1},
    'max_unit': {'type': 'integer', 'maximum': MAX_INT, 'minimum': 1},
    'step_size': {'type': 'integer', 'maximum': MAX_INT, 'minimum': 1},
    # Bounded both ways: MySQL's single-precision FLOAT holds no more.
    'allocation_ratio': {'type': 'number', 'maximum': MAX_FLOAT,
                         'minimum': -MAX_FLOAT},
}
GENERATION = {'type': 'integer'}
CLASS_NAME = {'type': 'string', 'pattern': '^[A-Z0-9_]+$'}


def _record(required, **extra):
    return {'type': 'object', 'properties': dict(FIELDS, **extra),
            'required': required, 'additionalProperties': False}


POST = _record(['total', 'resource_class'], resource_class=CLASS_NAME,
               resource_provider_generation=GENERATION)
PUT_ONE = _record(['total', 'resource_provider_generation'],
                  resource_provider_generation=GENERATION)
PUT_ALL = {
    'type': 'object',
    'properties': {
        'resource_provider_generation': GENERATION,
        'inventories': {'type': 'object', 'patternProperties': {
            '^[A-Z0-9_]+$': _record(['total'])},
            'additionalProperties': False},
    },
    'required': ['resource_provider_generation', 'inventories'],
    'additionalProperties': False,
}

# Responses: every field is shown.
RECORD = common.closed({name: dict(schema) for name, schema in FIELDS.items()})
ONE = common.closed(dict(RECORD['properties'],
                         resource_provider_generation=common.GENERATION))
ALL = common.closed({
    'inventories': common.keyed(CLASS_NAME['pattern'], RECORD),
    'resource_provider_generation': common.GENERATION})
