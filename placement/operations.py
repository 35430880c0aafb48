"""What each responder is: the facts the OpenAPI description and the
capabilities documents read, declared once beside the code that acts on
them.

A responder is decorated with ``@operation(...)``::

    @operation('Show one resource provider.', policy=policies.SHOW,
               response=schema.provider, errors={404: []})
    def on_get(self, req, resp, uuid): ...

The decorator also enforces the microversion gate (``since``/``until``),
so the description's version bounds are the bounds the code keeps.
Schemas may be given as a dict or as a function of the microversion.
"""
import dataclasses
import functools
import typing

from placement import errors

METHODS = ('get', 'head', 'post', 'put', 'patch', 'delete')


@dataclasses.dataclass(frozen=True)
class Operation:
    summary: str
    # The policy rule the responder checks (None: no policy, e.g. GET /).
    policy: typing.Optional[str] = None
    # Microversions the operation exists at; outside them ``gone``.
    since: tuple = (1, 0)
    until: typing.Optional[tuple] = None
    gone: type = errors.NotFound
    # jsonschema of the query string as a dict ({name: value or [values]}).
    query: typing.Any = None
    # jsonschema of the JSON request body (None: the request takes none).
    body: typing.Any = None
    # {status: jsonschema of the body, or None for an empty one}.
    responses: typing.Any = None
    # {status: [error codes]} the operation answers besides the ones every
    # operation may (401, 403, 406, 503 and a bad microversion's 400).
    errors: typing.Any = None
    # Responses of 2xx carry Location (a created thing).
    location: bool = False
    # Success responses carry cache headers from 1.15.
    cached: bool = True
    # The media type of success bodies (and what Accept must allow).
    media_type: str = 'application/json'
    # Ours, not upstream's: a path upstream answers 404.
    extension: bool = False
    # What the capabilities documents call it ("list", "create", ...).
    name: typing.Optional[str] = None
    # (group, option): a boolean setting that switches the operation off
    # (then it answers ``gone``, and capabilities call it unavailable).
    enabled_by: typing.Optional[tuple] = None

    def enabled(self, conf):
        if self.enabled_by is None:
            return True
        group, name = self.enabled_by
        return bool(getattr(conf[group], name))

    def exists_at(self, version):
        return (version >= self.since
                and (self.until is None or version <= self.until))

    def at(self, field, version):
        """A field's value at a microversion (calls it when callable)."""
        return _at(getattr(self, field), version)

    def responses_at(self, version):
        """{status: body schema or None} at a microversion."""
        return {status: _at(schema, version)
                for status, schema in self.at('responses', version).items()}


def _at(value, version):
    return value(version) if callable(value) else value


def operation(summary, **facts):
    """Attach an Operation to a responder and keep its version gate."""
    op = Operation(summary, **facts)

    def decorate(responder):
        @functools.wraps(responder)
        def gated(resource, req, resp, **params):
            if not op.exists_at(req.context.version) or \
                    not op.enabled(req.context.conf):
                # As upstream's version gates: no detail, no Allow.
                raise op.gone()
            return responder(resource, req, resp, **params)
        gated.operation = op
        return gated
    return decorate


def of_resource(resource):
    """{METHOD: Operation} of a resource object or class."""
    found = {}
    for method in METHODS:
        responder = getattr(resource, 'on_' + method, None)
        op = getattr(responder, 'operation', None)
        if op is not None:
            found[method.upper()] = op
    return found


def table(routes):
    """[(path, METHOD, Operation)] for a route table [(path, resource)]."""
    return [(path, method, op)
            for path, resource in routes
            for method, op in of_resource(resource).items()]
