"""OpenAPI parameters from the code's own schemas: path parameters from
the route template, query parameters from the query-string jsonschema the
handler validates with."""
import re

from placement.schemas import common

_PATH_PARAM = re.compile(r'{(\w+)}')
# What each path parameter holds.
PATH_SCHEMAS = {
    'uuid': dict(common.UUID, description='A resource provider.'),
    'consumer_uuid': {'type': 'string',
                      'description': 'A consumer (a uuid).'},
    'name': {'type': 'string',
             'description': 'A resource class or trait name.'},
    'resource_class': dict(common.RC_NAME,
                           description='A resource class name.'),
}


def path(template):
    return [{'name': name, 'in': 'path', 'required': True,
             'schema': PATH_SCHEMAS.get(name, {'type': 'string'})}
            for name in _PATH_PARAM.findall(template)]


def _repeatable(schema):
    """A value given as one string or repeated: an exploded array."""
    types = schema.get('type')
    return isinstance(types, list) and 'array' in types


def query(schema):
    """The query string's jsonschema (an object of parameter values) as
    OpenAPI parameters: one per named property, and one exploded object
    for the pattern-named ones (granular request groups)."""
    if not schema:
        return []
    required = set(schema.get('required', ()))
    found = []
    for name, value in sorted(schema.get('properties', {}).items()):
        param = {'name': name, 'in': 'query', 'required': name in required}
        if _repeatable(value):
            param.update(schema={'type': 'array', 'items': value['items'],
                                 'minItems': 1},
                         style='form', explode=True,
                         description='May be repeated.')
        else:
            param['schema'] = value
        found.append(param)
    patterns = schema.get('patternProperties')
    if patterns:
        found.append({
            'name': 'groups', 'in': 'query', 'required': False,
            'style': 'form', 'explode': True,
            'description': 'Request groups: each parameter whose name '
                           'matches one of the patterns (a suffix names '
                           'the group).',
            'schema': {'type': 'object', 'patternProperties': {
                pattern: _one_value(value)
                for pattern, value in sorted(patterns.items())},
                'additionalProperties': False}})
    return found


def _one_value(schema):
    return schema['items'] if _repeatable(schema) else schema


def header(version):
    """The microversion header: required to get anything but 1.0."""
    value = 'placement %s' % (version,)
    return {'name': 'OpenStack-API-Version', 'in': 'header',
            'required': tuple(version) != (1, 0),
            'description': 'The microversion this document describes.',
            'schema': {'type': 'string', 'enum': [value]}}
