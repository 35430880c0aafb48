"""Request and response helpers shared by every handler.

Validation that needs no request (schemas, uuids, storable strings) is in
``placement/parsing.py``, below this module; its names are re-exported
here for the handlers.
"""
import datetime
import json
from email.utils import format_datetime

from placement import errors
from placement import parsing
from placement.parsing import (  # noqa: F401  (the handlers' names)
    FORMATS as _FORMATS, is_uuid, stored_uuid, last_values, validate)


def version(req):
    return req.context.version


def authorize(req, action, target=None):
    """Forbidden unless the caller may; like upstream's, the refusal is
    raised past the handler, so its response has no Vary."""
    with errors.past_handler():
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


def read_body(req):
    """The request body's bytes: Content-Length of them, or, for a chunked
    body (no Content-Length), all the server passes on, as upstream's
    webob reads one."""
    if req.content_length is None and (
            req.env.get('wsgi.input_terminated')
            or 'chunked' in req.get_header('transfer-encoding', default='')
            .lower()):
        return req.stream.read()
    return req.bounded_stream.read()


def read_json(req, schema):
    """The request body, parsed and validated against ``schema``.

    Only JSON: no NaN or Infinity, and no strings the database could not
    store (a NUL, an unpaired surrogate), which are refused here rather
    than by the database mid-write.
    """
    require_json_content(req)
    raw = read_body(req)
    try:
        data = json.loads(raw, parse_constant=_not_json)
    except ValueError as exc:
        raise errors.BadRequest('Malformed JSON: %s' % exc)
    except RecursionError:
        raise errors.BadRequest('Malformed JSON: nested too deeply')
    bad = parsing.unstorable_string(data)
    if bad is not None:
        shown = bad if len(bad) <= 64 else bad[:64] + '...'
        raise errors.BadRequest(
            'Malformed JSON: %s holds a NUL character or an unpaired '
            'surrogate' % json.dumps(shown))
    validate(data, schema)
    return data


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
    """400 unless the query-string dict validates against ``schema``."""
    parsing.validate_query(params, schema)


def read_provider_body(req, schema, uuid):
    """The request body (as ``read_json``) for a write to provider
    ``uuid``: an unknown provider is a 404 even when the body is bad, as
    upstream answers (it looks the provider up first). Looked up here only
    when the body is refused; with a good one the write that follows
    looks the provider up itself (under ``errors.past_handler``)."""
    try:
        return read_json(req, schema)
    except errors.PlacementError:
        with errors.past_handler():
            require_provider(req, uuid)
        raise


def require_provider(req, uuid):
    """404 for an unknown provider before the body is looked at, as
    upstream answers."""
    from placement import providers
    with req.context.db.reader() as conn:
        providers.get_or_404(conn, uuid)
