"""Allocation bodies: list form (1.0), dict form (1.12), consumer
generation (1.28), mappings (1.34), consumer types (1.38); POST (1.13)."""
import copy

from placement.schemas import common

RC_PATTERN = '^[A-Z0-9_]+$'
# Provider and consumer keys: upstream only asks for 36 characters of hex
# and dashes (so a dashless uuid is refused, and the key is used as given).
UUID_PATTERN = '^[0-9a-fA-F-]{36}$'
EXTERNAL_ID = {'type': 'string', 'minLength': 1, 'maxLength': 255}
CONSUMER_TYPE = {'type': 'string', 'pattern': RC_PATTERN, 'minLength': 1,
                 'maxLength': 255}
RESOURCES = {'type': 'object', 'minProperties': 1,
             'patternProperties': {RC_PATTERN: {'type': 'integer',
                                                'minimum': 1}},
             'additionalProperties': False}
# Upstream's suffix pattern is unanchored and other keys are not refused,
# so only keys holding a suffix character are checked.
MAPPINGS = {'type': 'object', 'minProperties': 1,
            'patternProperties': {'[a-zA-Z0-9_-]{1,64}': {
                'type': 'array', 'minItems': 1,
                'items': {'type': 'string', 'format': 'uuid'}}}}

LIST_FORM = {
    'type': 'object',
    'properties': {
        'allocations': {
            'type': 'array', 'minItems': 1,
            'items': {
                'type': 'object',
                'properties': {
                    'resource_provider': {
                        'type': 'object',
                        'properties': {'uuid': {'type': 'string',
                                                'format': 'uuid'}},
                        'required': ['uuid'], 'additionalProperties': False},
                    'resources': RESOURCES,
                },
                'required': ['resource_provider', 'resources'],
                'additionalProperties': False}},
    },
    'required': ['allocations'],
    'additionalProperties': False,
}


def _consumer_body(version, for_post=False):
    """The body for one consumer at ``version`` (PUT and POST items)."""
    if version < (1, 12):
        body = copy.deepcopy(LIST_FORM)
    else:
        body = {
            'type': 'object',
            'properties': {'allocations': {
                'type': 'object',
                'minProperties': 0 if (for_post or version >= (1, 28)) else 1,
                'patternProperties': {UUID_PATTERN: {
                    'type': 'object',
                    'properties': {'generation': {'type': 'integer'},
                                   'resources': RESOURCES},
                    'required': ['resources'],
                    'additionalProperties': False}},
                'additionalProperties': False}},
            'required': ['allocations'],
            'additionalProperties': False,
        }
    if version >= (1, 8):
        body['properties']['project_id'] = EXTERNAL_ID
        body['properties']['user_id'] = EXTERNAL_ID
        body['required'] += ['project_id', 'user_id']
    if version >= (1, 28):
        body['properties']['consumer_generation'] = {'type': ['integer', 'null']}
        body['required'].append('consumer_generation')
    if version >= (1, 34) and not for_post:
        body['properties']['mappings'] = MAPPINGS
    if version >= (1, 38):
        body['properties']['consumer_type'] = CONSUMER_TYPE
        body['required'].append('consumer_type')
    return body


def put(version):
    return _consumer_body(version)


def post(version):
    item = _consumer_body(version, for_post=True)
    if version >= (1, 34):
        item['properties']['mappings'] = MAPPINGS
    return {'type': 'object', 'minProperties': 1,
            'patternProperties': {UUID_PATTERN: item},
            'additionalProperties': False}


# Responses.
SHOWN_CONSUMER_TYPE = {'type': 'string', 'pattern': '^([A-Z0-9_]+|unknown)$'}


def consumer(version):
    """GET /allocations/{consumer_uuid}: by provider; from 1.12 with the
    consumer's project and user (when it has allocations), its generation
    from 1.28 and type from 1.38."""
    per_provider = common.closed({'generation': common.GENERATION,
                                  'resources': common.AMOUNTS})
    properties = {'allocations': common.keyed(common.UUID_KEY, per_provider)}
    if version >= (1, 12):
        properties.update(project_id=EXTERNAL_ID, user_id=EXTERNAL_ID)
    if version >= (1, 28):
        properties['consumer_generation'] = common.GENERATION
    if version >= (1, 38):
        properties['consumer_type'] = SHOWN_CONSUMER_TYPE
    # A consumer without allocations shows only the empty map.
    return common.closed(properties, required=['allocations'])


def of_provider(version):
    """GET /resource_providers/{uuid}/allocations: by consumer."""
    per_consumer = {'resources': common.AMOUNTS}
    if version >= (1, 28):
        per_consumer['consumer_generation'] = {
            'type': ['integer', 'null'], 'minimum': 0}
    return common.closed({
        'allocations': common.keyed(common.UUID_KEY,
                                    common.closed(per_consumer)),
        'resource_provider_generation': common.GENERATION})
