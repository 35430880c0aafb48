"""GET /allocation_candidates: the query string and the answer, by
microversion."""
from placement.schemas import common

SUFFIX_1_25 = '[1-9][0-9]*'
SUFFIX_1_33 = '[a-zA-Z0-9_-]{1,64}'
STRING = {'type': 'string'}
STRING_OR_LIST = {'type': ['string', 'array'], 'items': STRING}


def query(version):
    """Before 1.25 plain keys; from 1.25 every group key is a pattern with
    an optional suffix, as upstream's schema spells them."""
    properties = {}
    if version >= (1, 16):
        properties['limit'] = {'type': 'string', 'pattern': '^[1-9][0-9]*$'}
    if version >= (1, 35):
        properties['root_required'] = STRING
    if version >= (1, 36):
        properties['same_subtree'] = STRING_OR_LIST
    group_keys = {'resources': STRING}
    if version >= (1, 17):
        # Before 1.39 the last of repeated values counts.
        group_keys['required'] = STRING_OR_LIST
    if version >= (1, 21):
        # Repeats before 1.24 get their own message from the parser.
        group_keys['member_of'] = STRING_OR_LIST
    if version >= (1, 31):
        group_keys['in_tree'] = STRING
    if version < (1, 25):
        properties.update(group_keys)
        return {'type': 'object', 'properties': properties,
                'required': ['resources'], 'additionalProperties': False}
    properties['group_policy'] = {'type': 'string',
                                  'enum': ['none', 'isolate']}
    suffix = SUFFIX_1_33 if version >= (1, 33) else SUFFIX_1_25
    return {'type': 'object', 'properties': properties,
            'patternProperties': {'^%s(%s)?$' % (key, suffix): value
                                  for key, value in group_keys.items()},
            'additionalProperties': False}


def allocation_request(version):
    """One way to satisfy the request: a list (1.10) or map (1.12) of
    providers and amounts; from 1.34 which providers serve which group."""
    if version < (1, 12):
        allocations = common.array(common.closed({
            'resource_provider': common.closed({'uuid': common.UUID}),
            'resources': common.AMOUNTS}), minItems=1)
    else:
        allocations = dict(common.keyed(common.UUID_KEY, common.closed(
            {'resources': common.AMOUNTS})), minProperties=1)
    properties = {'allocations': allocations}
    if version >= (1, 34):
        properties['mappings'] = common.keyed(
            '^(%s)?$' % SUFFIX_1_33, common.array(common.UUID, minItems=1))
    return common.closed(properties)


def provider_summary(version):
    """What a provider in the candidates has (1.17: its traits; 1.29: its
    place in its tree)."""
    room = common.closed({'capacity': common.COUNT, 'used': common.COUNT})
    properties = {'resources': common.keyed(common.RC_NAME['pattern'], room)}
    if version >= (1, 17):
        properties['traits'] = common.array(common.TRAIT_NAME)
    if version >= (1, 29):
        properties['parent_provider_uuid'] = common.NULLABLE_UUID
        properties['root_provider_uuid'] = common.UUID
    return common.closed(properties)


def candidates(version):
    return common.closed({
        'allocation_requests': common.array(allocation_request(version)),
        'provider_summaries': common.keyed(common.UUID_KEY,
                                           provider_summary(version))})
