"""Checking what clients send, below the HTTP layer: JSON Schema validation
(of bodies and of query strings as dicts), uuids, and the strings no
database can store.

The handlers (``handlers/util.py``) use these on requests; so do the
query-string parsers beneath them (``query.py``, ``candidates/request.py``)
and the capabilities judge, none of which should import the HTTP layer.
"""
import json
import re
import uuid as uuidlib

import jsonschema

from placement import errors

FORMATS = jsonschema.FormatChecker()

# The longest uuid the database stores (String(36) columns).
UUID_COLUMN = 36


@FORMATS.checks('uuid')
def _uuid_format(value):
    """Like upstream, a uuid with or without dashes."""
    return not isinstance(value, str) or is_uuid(value)


def is_uuid(value):
    """What upstream takes for a uuid: any form ``uuid.UUID`` reads (with
    or without dashes, braces or a ``urn:uuid:`` prefix)."""
    try:
        uuidlib.UUID(value)
    except (ValueError, TypeError, AttributeError):
        return False
    return True


def stored_uuid(value):
    """The form a valid uuid is stored (and looked up) in: as given when it
    fits the 36-character column, as upstream stores it; otherwise (braces,
    ``urn:uuid:``) the canonical form, which upstream could not store."""
    if len(value) <= UUID_COLUMN:
        return value
    return str(uuidlib.UUID(value))


# What no database stores as text: NUL (PostgreSQL cannot) and the
# unpaired surrogates \ud800-\udfff escapes can spell (no UTF-8 for them).
_UNSTORABLE = re.compile('[\x00\ud800-\udfff]')


def normalize_uuid(value):
    """PUT's consumer in the path: any form uuid.UUID reads, stored in the
    canonical form."""
    try:
        return str(uuidlib.UUID(value))
    except (ValueError, TypeError, AttributeError):
        raise errors.BadRequest('Malformed consumer_uuid: %s' % value)


def unstorable_string(data):
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


def last_values(params, repeatable=()):
    """A query-string dict ({name: value or [values]}) with one value per
    name: the last, as upstream reads a parameter (webob's ``req.GET[name]``)
    given more than once. Names in ``repeatable`` keep all their values."""
    return {key: value[-1] if isinstance(value, list)
            and key not in repeatable else value
            for key, value in params.items()}


_VALIDATORS = {}


def _validator(schema):
    """A compiled validator per schema, keyed by its JSON text (schemas are
    rebuilt per microversion; compiling one costs more than using it)."""
    key = json.dumps(schema, sort_keys=True)
    validator = _VALIDATORS.get(key)
    if validator is None:
        cls = jsonschema.validators.validator_for(schema)
        validator = _VALIDATORS[key] = cls(schema, format_checker=FORMATS)
    return validator


def check(data, schema):
    """Raise the best jsonschema.ValidationError, if any."""
    error = jsonschema.exceptions.best_match(
        _validator(schema).iter_errors(data))
    if error is not None:
        raise error


def validate(data, schema):
    """400 unless ``data`` (a parsed body) validates against ``schema``."""
    try:
        check(data, schema)
    except jsonschema.ValidationError as exc:
        raise errors.BadRequest('JSON does not validate: %s' % _explain(exc))
    except RecursionError:
        raise errors.BadRequest('JSON does not validate: nested too deeply')


def validate_query(params, schema):
    """400 unless the query-string dict validates against ``schema``."""
    try:
        check(params, schema)
    except jsonschema.ValidationError as exc:
        raise errors.BadRequest(
            'Invalid query string parameters: %s' % exc)


def _explain(exc):
    """jsonschema's message; without the pretty-printed instance when that
    is nested too deeply to print."""
    try:
        return str(exc)
    except RecursionError:
        return exc.message
