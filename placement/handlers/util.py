"""Request and response helpers shared by every handler."""
import datetime
import json
import re
import uuid as uuidlib
from email.utils import format_datetime

import jsonschema

from placement import errors

_FORMATS = jsonschema.FormatChecker()


@_FORMATS.checks('uuid')
def _uuid_format(value):
    """Like upstream, a uuid with or without dashes."""
    return not isinstance(value, str) or is_uuid(value)


def version(req):
    return req.context.version


def authorize(req, action, target=None):
    req.context.policy.authorize(req.context.caller, action, target)


def require_json_content(req):
    """415 unless the body is JSON; upstream checks this before policy."""
    ctype = req.content_type
    mimetype = ctype.split(';')[0].strip().lower() if ctype else None
    if mimetype != 'application/json':
        raise errors.UnsupportedMediaType(
            'The media type %s is not supported, use application/json'
            % (ctype or 'None'))


def _not_json(constant):
    raise ValueError('%s is not JSON' % constant)


# What no database stores as text: NUL (PostgreSQL cannot) and the
# unpaired surrogates \ud800-\udfff escapes can spell (no UTF-8 for them).
_UNSTORABLE = re.compile('[\x00\ud800-\udfff]')


def _unstorable_string(data):
    """The first key or string value in ``data`` holding a character no
    database can store, or None (walked without recursion: the nesting
    is the client's)."""
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if _UNSTORABLE.search(item):
                return item
        elif isinstance(item, dict):
            stack.extend(item)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return None


def read_json(req, schema):
    """The request body, parsed and validated against ``schema``.

    Only JSON: no NaN or Infinity, and no strings the database could not
    store (a NUL, an unpaired surrogate), which are refused here rather
    than by the database mid-write.
    """
    require_json_content(req)
    raw = req.bounded_stream.read()
    try:
        data = json.loads(raw, parse_constant=_not_json)
    except ValueError as exc:
        raise errors.BadRequest('Malformed JSON: %s' % exc)
    except RecursionError:
        raise errors.BadRequest('Malformed JSON: nested too deeply')
    bad = _unstorable_string(data)
    if bad is not None:
        shown = bad if len(bad) <= 64 else bad[:64] + '...'
        raise errors.BadRequest(
            'Malformed JSON: %s holds a NUL character or an unpaired '
            'surrogate' % json.dumps(shown))
    validate(data, schema)
    return data


_VALIDATORS = {}


def _validator(schema):
    """A compiled validator per schema, keyed by its JSON text (schemas are
    rebuilt per microversion; compiling one costs more than using it)."""
    key = json.dumps(schema, sort_keys=True)
    validator = _VALIDATORS.get(key)
    if validator is None:
        cls = jsonschema.validators.validator_for(schema)
        validator = _VALIDATORS[key] = cls(schema, format_checker=_FORMATS)
    return validator


def _check(data, schema):
    error = jsonschema.exceptions.best_match(
        _validator(schema).iter_errors(data))
    if error is not None:
        raise error


def validate(data, schema):
    try:
        _check(data, schema)
    except jsonschema.ValidationError as exc:
        raise errors.BadRequest('JSON does not validate: %s' % _explain(exc))
    except RecursionError:
        raise errors.BadRequest('JSON does not validate: nested too deeply')


def _explain(exc):
    """jsonschema's message; without the pretty-printed instance when that
    is nested too deeply to print."""
    try:
        return str(exc)
    except RecursionError:
        return exc.message


def http_date(when):
    if when.tzinfo is None:
        when = when.replace(tzinfo=datetime.timezone.utc)
    return format_datetime(when.astimezone(datetime.timezone.utc), usegmt=True)


def utcnow():
    return datetime.datetime.now(datetime.timezone.utc).replace(
        microsecond=0, tzinfo=None)


def latest(*times):
    """The newest of some created_at/updated_at values, or now when none."""
    present = [t for t in times if t is not None]
    return max(present) if present else utcnow()


def send_json(req, resp, body, status=200, last_modified=None):
    """Render ``body`` as JSON; from 1.15 add cache headers like upstream."""
    send_json_text(req, resp, dumps(body), status, last_modified)


def dumps(body):
    return json.dumps(body, separators=(',', ':'))


def send_json_text(req, resp, text, status=200, last_modified=None):
    """Like send_json, for a body already encoded."""
    resp.status = status
    resp.content_type = 'application/json'
    resp.text = text
    cache_headers(req, resp, last_modified)


def cache_headers(req, resp, last_modified=None):
    """From 1.15 upstream marks responses uncacheable and dated."""
    if req.context.version >= (1, 15):
        resp.set_header('cache-control', 'no-cache')
        resp.set_header('last-modified',
                        http_date(last_modified or utcnow()))


def no_content(req, resp, status=204, location=None, cached=True):
    """An empty response (201 with a Location, or 204)."""
    resp.status = status
    resp.content_type = None
    if location:
        resp.location = location
    if cached:
        cache_headers(req, resp)


def is_uuid(value):
    try:
        uuidlib.UUID(value)
    except (ValueError, TypeError, AttributeError):
        return False
    return True


def single_param(req, name):
    """A query parameter given at most once; repeated → 400."""
    values = req.params.get(name)
    if isinstance(values, list):
        raise errors.BadRequest(
            'Query parameter %s may only be given once' % name,
            code=errors.ILLEGAL_DUPLICATE_QUERYPARAM)
    return values


def query(req, schema):
    """The query string as a dict, validated against ``schema``.

    A parameter given several times maps to a list of its values.
    """
    params = dict(req.params)
    validate_query(params, schema)
    return params


def validate_query(params, schema):
    try:
        _check(params, schema)
    except jsonschema.ValidationError as exc:
        raise errors.BadRequest(
            'Invalid query string parameters: %s' % exc)


def require_provider(req, uuid):
    """404 for an unknown provider before the body is looked at, as
    upstream answers."""
    from placement import providers
    with req.context.db.reader() as conn:
        providers.get_or_404(conn, uuid)
