"""Building blocks shared by the response schemas."""
RC_NAME = {'type': 'string', 'pattern': '^[A-Z0-9_]+$'}
TRAIT_NAME = {'type': 'string', 'minLength': 1, 'maxLength': 255}
UUID = {'type': 'string', 'format': 'uuid'}
# Consumer and provider keys are shown as they were written.
UUID_KEY = '^[0-9a-fA-F-]{36}$'
GENERATION = {'type': 'integer', 'minimum': 0}
COUNT = {'type': 'integer', 'minimum': 0}
NULLABLE_UUID = {'type': ['string', 'null'], 'format': 'uuid'}


def closed(properties, required=None):
    """An object with exactly these properties (all required unless
    ``required`` names the required ones)."""
    return {'type': 'object', 'properties': properties,
            'required': sorted(properties if required is None else required),
            'additionalProperties': False}


def keyed(pattern, value):
    """An object whose keys match ``pattern``, each holding ``value``."""
    return {'type': 'object', 'patternProperties': {pattern: value},
            'additionalProperties': False}


def array(items, **more):
    return dict({'type': 'array', 'items': items}, **more)


def links(*rels):
    """``links``: one {rel, href} for each rel, in any order."""
    link = closed({'rel': {'type': 'string', 'enum': list(rels)},
                   'href': {'type': 'string'}})
    return array(link, minItems=len(rels), maxItems=len(rels))


# The amount of each resource class (usages, allocation amounts).
AMOUNTS = keyed(RC_NAME['pattern'], COUNT)
