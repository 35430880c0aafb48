"""Build the OpenAPI 3.1 document of one microversion."""
import functools
import json
import re

from placement import microversion, operations
from placement.openapi import parameters, responses

OPENAPI_VERSION = '3.1.0'
DESCRIPTION = (
    'OpenStack Placement: resource providers, their inventories, traits '
    'and aggregates, the allocations consumers hold against them, and the '
    'allocation candidates that can satisfy a request. This document '
    'describes microversion {version} (send `OpenStack-API-Version: '
    'placement {version}`); each operation and parameter says in '
    '`x-openstack-microversion` the microversions that have it. Operations '
    'marked `x-extension` are this service\'s own, at paths upstream '
    'Placement does not serve. Error bodies follow the API-SIG errors '
    'guideline; from 1.23 each error carries one of the `code` values '
    'listed for its status.')


def _routes():
    from placement import app
    return app.ROUTES


def operation_id(method, path):
    """e.g. get_resource_providers_by_uuid_inventories."""
    words = [method.lower()]
    for part in path.strip('/').split('/'):
        if part:
            match = re.fullmatch(r'{(\w+)}', part)
            words.append('by_' + match.group(1) if match else part)
    return '_'.join(words) if len(words) > 1 else words[0] + '_root'


def _bounds(since, until):
    bounds = {'min': '%d.%d' % tuple(since)}
    bounds['max'] = '%d.%d' % tuple(until or microversion.MAX)
    return bounds


def _operation(path, method, op, version, ranges):
    described = {
        'operationId': operation_id(method, path),
        'summary': op.summary,
        'x-openstack-microversion': _bounds(op.since, op.until),
        'parameters': [],
        'responses': responses.of_operation(op, version),
    }
    if op.policy:
        described['x-openstack-policy'] = op.policy
    else:
        described['security'] = []
    if op.extension:
        described['x-extension'] = True
    if op.name:
        described['x-openstack-name'] = op.name
    described['parameters'] += parameters.path(path)
    for param in parameters.query(op.at('query', version)):
        key = (path, method, param['name'])
        if key in ranges:
            param['x-openstack-microversion'] = _bounds(*ranges[key])
        described['parameters'].append(param)
    if op.policy:
        described['parameters'].append(parameters.header(version))
    body = op.at('body', version)
    if body is not None:
        described['requestBody'] = {
            'required': True,
            'content': {'application/json': {'schema': body}}}
    return described


@functools.lru_cache(maxsize=None)
def parameter_ranges():
    """{(path, METHOD, parameter name): (first, last microversion)}: the
    microversions that bring and drop each query parameter."""
    found = {}
    for minor in range(microversion.MIN[1], microversion.MAX[1] + 1):
        version = microversion.Version(1, minor)
        for path, method, op in operations.table(_routes()):
            if not op.exists_at(version):
                continue
            for param in parameters.query(op.at('query', version)):
                key = (path, method, param['name'])
                first, _last = found.get(key, (version, version))
                found[key] = (first, version)
    return {key: (first, None if last == microversion.MAX else last)
            for key, (first, last) in found.items()}


@functools.lru_cache(maxsize=None)
def build(version):
    """The document for ``version`` (a (major, minor) pair)."""
    version = microversion.Version(*version)
    table = operations.table(_routes())
    ranges = parameter_ranges()
    paths = {}
    for path, method, op in table:
        if op.exists_at(version):
            paths.setdefault(path, {})[method.lower()] = _operation(
                path, method, op, version, ranges)
    return {
        'openapi': OPENAPI_VERSION,
        'info': {
            'title': 'Placement',
            'version': str(version),
            'description': DESCRIPTION.format(version=version),
            'license': {'name': 'Apache-2.0',
                        'identifier': 'Apache-2.0'},
            'x-openstack-microversion': _bounds(microversion.MIN,
                                                microversion.MAX),
            'x-error-codes': responses.all_codes(),
        },
        'paths': paths,
        'components': {'securitySchemes': {'token': {
            'type': 'apiKey', 'in': 'header', 'name': 'X-Auth-Token',
            'description': 'A Keystone token (or, with noauth2, '
                           '"admin" or "user:project").'}}},
        'security': [{'token': []}],
    }


@functools.lru_cache(maxsize=None)
def text(version):
    """The document as JSON text (built once per microversion)."""
    return json.dumps(build(version), separators=(',', ':'))
