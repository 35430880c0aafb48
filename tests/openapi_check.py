"""Hold a response to the OpenAPI description of its microversion.

``check(method, path, status, headers, body)`` raises AssertionError when
the document does not describe the response: an undescribed path, method
or status, a body its schema refuses, a required header missing, or a
Location or cache header the document does not promise.
"""
import functools
import json
import re

import jsonschema

from placement import microversion
from placement.handlers import util
from placement.openapi import document, parameters, responses
from placement.schemas import error as error_schema

_VERSION = re.compile(r'^placement (\d+)\.(\d+)$')
# Headers whose presence the document must promise.
PROMISED = ('location', 'cache-control', 'last-modified')


@functools.lru_cache(maxsize=None)
def _templates(version):
    """[(regex, template)] of the document's paths, literal ones first."""
    paths = document.build(version)['paths']
    found = []
    for template in paths:
        pattern = re.sub(r'{\w+}', '[^/]+', re.escape(template)
                         .replace(r'\{', '{').replace(r'\}', '}'))
        found.append((re.compile('^%s$' % pattern), template))
    return sorted(found, key=lambda item: item[1].count('{'))


def _validate(body, schema, what):
    validator = jsonschema.validators.validator_for(schema)(
        schema, format_checker=util._FORMATS)
    error = jsonschema.exceptions.best_match(validator.iter_errors(body))
    if error is not None:
        raise AssertionError('%s: %s at %s' % (
            what, error.message, '/'.join(map(str, error.absolute_path))))


def _json_body(headers, body, what):
    ctype = headers.get('content-type', '')
    if not body:
        return None
    if not ctype.startswith('application/json'):
        return None
    try:
        return json.loads(body)
    except ValueError:
        raise AssertionError('%s: body is not JSON' % what)


def version_of(headers):
    match = _VERSION.match(headers.get('openstack-api-version', ''))
    if match:
        return microversion.Version(int(match.group(1)), int(match.group(2)))
    return None


def _without_bounds(params):
    return [{k: v for k, v in param.items() if k != 'x-openstack-microversion'}
            for param in params if param['in'] == 'query']


def check_request_schemas(operation, validated, what):
    """The schemas the handler validated the request with are the ones
    the document publishes."""
    if 'body' in validated:
        published = operation.get('requestBody', {}).get('content', {}).get(
            'application/json', {}).get('schema')
        assert validated['body'] == published, (
            '%s: the body schema used is not the published one' % what)
    if 'query' in validated:
        used = parameters.query(validated['query'])
        assert used == _without_bounds(operation['parameters']), (
            '%s: the query schema used is not the published one' % what)


# (path template, METHOD, status) of every described answer checked.
ANSWERED = set()


def success_statuses():
    """{(path template, METHOD, status)}: every 2xx any microversion's
    document describes."""
    found = set()
    for minor in range(microversion.MIN[1], microversion.MAX[1] + 1):
        paths = document.build(microversion.Version(1, minor))['paths']
        for template, item in paths.items():
            for method, described in item.items():
                found.update((template, method.upper(), int(status))
                             for status in described['responses']
                             if status.startswith('2'))
    return found


def check(method, path, status, headers, body, validated=None):
    """``headers``: names in any case; ``body``: bytes; ``validated``:
    {'body'|'query': schema} the handler validated the request with."""
    what = '%s %s -> %s' % (method, path, status)
    headers = {k.lower(): v for k, v in headers.items()}
    version = version_of(headers)
    if version is None:
        # No microversion was negotiated: only an error can come back.
        # (413: refused for its size, before negotiation.)
        assert status in (400, 401, 404, 406, 413), \
            what + ': no version header'
        parsed = _json_body(headers, body, what)
        if parsed is not None:
            _validate(parsed, error_schema.body(None), what)
        return
    doc = document.build(version)
    template = next((t for regex, t in _templates(version)
                     if regex.match(path)), None)
    operation = doc['paths'].get(template, {}).get(method.lower())
    if operation is None:
        # Unknown paths are 404s; methods a path does not have at this
        # microversion 405s (or the 404 of a microversion gate).
        known = template or next((t for regex, t in _templates(
            microversion.MAX) if regex.match(path)), None)
        allowed = (404,) if known is None else (404, 405)
        assert status in allowed, '%s: not described at %s' % (what, version)
        described = responses.failure(version, status, ())
    else:
        check_request_schemas(operation, validated or {}, what)
        ANSWERED.add((template, method.upper(), status))
        described = operation['responses'].get(str(status))
        assert described is not None, '%s: status not described at %s' % (
            what, version)
        for name, header in described.get('headers', {}).items():
            if header.get('required'):
                assert name.lower() in headers, '%s: no %s header' % (
                    what, name)
        promised = {name.lower() for name in described.get('headers', {})}
        for name in PROMISED:
            if name in headers:
                assert name in promised, '%s: %s not described' % (what, name)
    content = described.get('content')
    if content is None:
        assert not body, '%s: a body where none is described' % what
        return
    ctype = headers.get('content-type', '').split(';')[0].strip()
    assert ctype in content, '%s: content type %r not described' % (
        what, ctype)
    parsed = _json_body(headers, body, what)
    if ctype == 'application/json':
        _validate(parsed, content[ctype]['schema'], what)
