"""Query-string schemas for GET /allocation_candidates, by microversion."""
SUFFIX_1_25 = '[1-9][0-9]*'
SUFFIX_1_33 = '[a-zA-Z0-9_-]{1,64}'
STRING = {'type': 'string'}
STRING_OR_LIST = {'type': ['string', 'array'], 'items': STRING}


def query(version):
    properties = {'resources': STRING}
    required = ['resources']
    if version >= (1, 16):
        properties['limit'] = {'type': 'string', 'pattern': '^[1-9][0-9]*$'}
    if version >= (1, 17):
        # Before 1.39 the last of repeated values counts.
        properties['required'] = STRING_OR_LIST
    if version >= (1, 21):
        # Repeats before 1.24 get their own message from the parser.
        properties['member_of'] = STRING_OR_LIST
    if version >= (1, 31):
        properties['in_tree'] = STRING
    if version >= (1, 35):
        properties['root_required'] = STRING
    if version >= (1, 36):
        properties['same_subtree'] = STRING_OR_LIST
    schema = {'type': 'object', 'properties': properties,
              'required': required, 'additionalProperties': False}
    if version >= (1, 25):
        del schema['required']
        properties['group_policy'] = {'type': 'string',
                                      'enum': ['none', 'isolate']}
        suffix = SUFFIX_1_33 if version >= (1, 33) else SUFFIX_1_25
        pattern = {'^resources%s$' % suffix: STRING,
                   '^required%s$' % suffix: properties['required'],
                   '^member_of%s$' % suffix: properties['member_of']}
        if version >= (1, 31):
            pattern['^in_tree%s$' % suffix] = STRING
        schema['patternProperties'] = pattern
    return schema
