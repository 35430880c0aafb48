from placement.schemas import common


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


PROVIDER_USAGES = common.closed({
    'resource_provider_generation': common.GENERATION,
    'usages': common.AMOUNTS})


def usages(version):
    """Totals of a project; from 1.38 per consumer type, each with the
    number of consumers."""
    if version < (1, 38):
        return common.closed({'usages': common.AMOUNTS})
    per_type = {'type': 'object',
                'properties': {'consumer_count': common.COUNT},
                'required': ['consumer_count'],
                'patternProperties': {common.RC_NAME['pattern']: common.COUNT},
                'additionalProperties': False}
    # Buckets are type names, or 'all' and 'unknown'.
    return common.closed({'usages': common.keyed(
        '^([A-Z0-9_]+|all|unknown)$', per_type)})
