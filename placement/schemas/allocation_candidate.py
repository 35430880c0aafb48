"""Query-string schemas for GET /allocation_candidates, by microversion."""
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
