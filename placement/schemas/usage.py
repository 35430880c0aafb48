def query(version):
    properties = {'project_id': {'type': 'string', 'minLength': 1,
                                 'maxLength': 255},
                  'user_id': {'type': 'string', 'minLength': 1,
                              'maxLength': 255}}
    if version >= (1, 38):
        # One type name, or all, or unknown: the accepted language and the
        # pattern named in the error are upstream's ('allfoo' passes too).
        properties['consumer_type'] = {
            'type': 'string', 'pattern': '^[A-Z0-9_]+$|^all|^unknown$',
            'minLength': 1, 'maxLength': 255}
    return {'type': 'object', 'properties': properties,
            'required': ['project_id'], 'additionalProperties': False}
