"""JSON schemas of the three capabilities documents (functions of the
microversion), for the OpenAPI description and the tests."""
from placement.capabilities import features

VERSION = {'type': 'string', 'pattern': r'^\d+\.\d+$'}
STRING = {'type': 'string'}
NULLABLE_STRING = {'type': ['string', 'null']}
BOOLEAN = {'type': 'boolean'}
INTEGER = {'type': 'integer'}
COUNT = {'type': 'integer', 'minimum': 0}
METHOD = {'type': 'string',
          'enum': ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE']}
UUID = {'type': 'string', 'format': 'uuid'}
NULLABLE_UUID = {'type': ['string', 'null'], 'format': 'uuid'}


def closed(properties, required=None):
    return {'type': 'object', 'properties': properties,
            'required': sorted(properties if required is None else required),
            'additionalProperties': False}


def keyed(value, pattern='^.+$'):
    return {'type': 'object', 'patternProperties': {pattern: value},
            'additionalProperties': False}


def fixed(names, value):
    """An object with exactly these keys, each holding ``value``."""
    return closed({name: value for name in names})


# --- GET /capabilities -------------------------------------------------------

def described(version, extension=False):
    """An operation of the route table, as GET /capabilities lists it."""
    properties = {'method': METHOD, 'path': STRING,
                  'policy': NULLABLE_STRING, 'since': VERSION,
                  'until': VERSION, 'available': BOOLEAN,
                  'allowed': BOOLEAN,
                  'target': closed({'project_id': NULLABLE_STRING})}
    required = ['method', 'path', 'policy', 'since', 'available', 'allowed']
    if extension:
        properties['name'] = STRING
        required.append('name')
    return closed(properties, required)


def service(version):
    return closed({
        'min_version': VERSION, 'max_version': VERSION, 'version': VERSION,
        'features': fixed([f.name for f in features.FEATURES], closed({
            'microversion': VERSION, 'description': STRING,
            'available': BOOLEAN})),
        'extensions': {'type': 'array', 'items': described(version, True)},
        'settings': closed({
            'placement': closed({
                'max_allocation_candidates': INTEGER,
                'randomize_allocation_candidates': BOOLEAN,
                'allocation_candidates_generation_strategy': STRING}),
            'oslo_policy': closed({'enforce_new_defaults': BOOLEAN,
                                   'enforce_scope': BOOLEAN})}),
        'resources': keyed(keyed(described(version))),
    })


# --- what one request would get ---------------------------------------------

def judged(version):
    """One request: its answer, and when refused the error's code (from
    1.23) and detail."""
    properties = {'method': METHOD, 'path': STRING,
                  'policy': NULLABLE_STRING, 'available': BOOLEAN,
                  'allowed': BOOLEAN,
                  'status': {'type': 'integer', 'minimum': 200,
                             'maximum': 599},
                  'detail': STRING,
                  'body': {},
                  'parameters': keyed(STRING)}
    if version >= (1, 23):
        properties['code'] = STRING
    return closed(properties, ['method', 'path', 'policy', 'available',
                               'allowed', 'status'])


def _ops(version, *names):
    return fixed(names, judged(version))


def provider(version):
    shown = {'uuid': UUID, 'name': NULLABLE_STRING, 'generation': COUNT}
    if version >= (1, 14):
        shown.update(parent_provider_uuid=NULLABLE_UUID,
                     root_provider_uuid=UUID)
    inventory = {'total': INTEGER, 'reserved': INTEGER, 'min_unit': INTEGER,
                 'max_unit': INTEGER, 'step_size': INTEGER,
                 'allocation_ratio': {'type': 'number'},
                 'min_total': INTEGER, 'used': COUNT,
                 'min_total_for_usage': {'type': ['integer', 'null']},
                 'operations': _ops(version, 'show', 'update', 'delete')}
    inventory = closed(inventory, sorted(
        set(inventory) - {'used', 'min_total_for_usage'}))
    return closed({
        'version': VERSION,
        'resource_provider': closed(shown, ['uuid']),
        'operations': closed({
            'resource_provider': _ops(version, 'show', 'rename', 'reparent',
                                      'unparent', 'delete'),
            'inventories': _ops(version, 'list', 'replace', 'delete_all'),
            'traits': _ops(version, 'list', 'update', 'delete'),
            'aggregates': _ops(version, 'list', 'update'),
            'allocations': _ops(version, 'list'),
            'usages': _ops(version, 'show'),
        }),
        'inventories': keyed(inventory, '^[A-Z0-9_]+$'),
    }, ['version', 'resource_provider', 'operations'])


def consumer(version):
    shown = {'uuid': STRING,
             'allocations': keyed(closed({'resources': keyed(
                 COUNT, '^[A-Z0-9_]+$')}))}
    if version >= (1, 12):
        shown.update(project_id=STRING, user_id=STRING)
    if version >= (1, 28):
        shown['consumer_generation'] = COUNT
    if version >= (1, 38):
        shown['consumer_type'] = STRING
    return closed({
        'version': VERSION,
        'consumer': closed(shown, ['uuid', 'allocations']),
        'operations': _ops(version, 'show', 'replace', 'delete'),
    }, ['version', 'operations'])
