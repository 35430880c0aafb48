"""The WSGI application: middleware, the route table and error rendering.

This module is the map of the API: every route and the resource that
answers it is listed in ``ROUTES``.
"""
import logging

import falcon
from oslo_middleware import cors
from sqlalchemy import exc as sa_exc
from webob import acceptparse

from placement import auth, context, errors, microversion, policy
from placement.db import engine as db_engine
from placement.db import sync
from placement.handlers import (aggregate, allocation, allocation_candidate,
                                inventory, openapi, resource_class,
                                resource_provider, reshaper, root, trait,
                                usage)
from placement.handlers import capabilities
from placement.handlers import explain
from placement.handlers import metrics as metrics_views
from placement.handlers import operator as operator_views
from placement import health, metrics, request_id, request_log, sizelimit

LOG = logging.getLogger(__name__)
ROOT_PATHS = ('/', '')
HTTP_METHODS = ('GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS')

ROUTES = [
    ('/', root.Root),
    ('/resource_classes', resource_class.Collection),
    ('/resource_classes/{name}', resource_class.Item),
    ('/traits', trait.Collection),
    ('/traits/{name}', trait.Item),
    ('/resource_providers', resource_provider.Collection),
    ('/resource_providers/{uuid}', resource_provider.Item),
    ('/resource_providers/{uuid}/inventories', inventory.Collection),
    ('/resource_providers/{uuid}/inventories/{resource_class}', inventory.Item),
    ('/resource_providers/{uuid}/aggregates', aggregate.ProviderAggregates),
    ('/resource_providers/{uuid}/traits', trait.ProviderTraits),
    ('/resource_providers/{uuid}/usages', usage.ProviderUsages),
    ('/resource_providers/{uuid}/allocations', allocation.ProviderAllocations),
    ('/usages', usage.Usages),
    ('/allocations', allocation.Batch),
    ('/allocations/{consumer_uuid}', allocation.ConsumerAllocations),
    ('/allocation_candidates', allocation_candidate.Candidates),
    ('/reshaper', reshaper.Reshaper),
    # Our extensions: paths upstream answers 404.
    ('/openapi.json', openapi.Document),
    ('/capabilities', capabilities.Service),
    ('/capabilities/resource_providers/{uuid}', capabilities.Provider),
    ('/capabilities/consumers/{consumer_uuid}', capabilities.Consumer),
    ('/resource_providers/{uuid}/tree', operator_views.ProviderTree),
    ('/capacity', operator_views.Capacity),
    ('/allocation_candidates/explain', explain.Explain),
    ('/metrics', metrics_views.Metrics),
]


class ApiMiddleware:
    """Per-request set-up: microversion, caller identity, method and
    content negotiation; microversion headers on every response."""

    def __init__(self, db, enforcer, conf, max_version=microversion.MAX):
        self.db = db
        self.enforcer = enforcer
        self.conf = conf
        # This application's ceiling (the test cloud can serve a past
        # release's); the versions document, ``latest`` and 406 follow it.
        self.max_version = max_version

    def process_request(self, req, resp):
        if not self.db.standard_names_synced and req.path not in ROOT_PATHS:
            self.db.ensure_standard_names()
        req.context.db = self.db
        req.context.policy = self.enforcer
        req.context.conf = self.conf
        req.context.max_version = self.max_version
        req.context.version = None
        req.context.version = microversion.negotiate(req.headers,
                                                     self.max_version)
        caller = context.RequestContext.from_environ(
            req.env, request_id=req.env.get(request_id.ENV_REQUEST_ID))
        if caller.user_id is None and req.path not in ROOT_PATHS:
            raise errors.Unauthorized('Authentication required')
        req.context.caller = caller
        if req.content_length and not req.content_type:
            # (Upstream raises it past its handlers: no Vary.)
            with errors.past_handler():
                raise errors.BadRequest(
                    'content-type header required when content-length > 0')

    def process_resource(self, req, resp, resource, params):
        if resource is None:
            return
        allowed = [m for m in HTTP_METHODS
                   if hasattr(resource, 'on_' + m.lower())]
        if req.method not in allowed:
            raise errors.MethodNotAllowed(
                'The method specified is not allowed for this resource.',
                headers={'Allow': ', '.join(allowed)})
        # (Responders of another media type, GET /metrics, check Accept
        # themselves.)
        op = getattr(getattr(resource, 'on_get', None), 'operation', None)
        json_only = op is None or op.media_type == 'application/json'
        if req.method == 'GET' and req.path not in ROOT_PATHS and \
                json_only and not accepts(req, 'application/json'):
            raise errors.NotAcceptable('Only application/json is provided')

    def process_response(self, req, resp, resource, req_succeeded):
        location = resp.get_header('location')
        if location and location.startswith('/'):
            # Absolute, as upstream's webob makes every Location.
            resp.set_header('location', req.prefix + location)
        version = getattr(req.context, 'version', None)
        if version is not None:
            for name, value in microversion.response_headers(version).items():
                # Upstream's router raises its 404 for an unknown path past
                # the middleware that adds Vary: only the version comes back.
                # So do the errors upstream raises past its handlers.
                if name == 'vary' and (resource is None or getattr(
                        req.context, 'vary', True) is False):
                    continue
                resp.set_header(name, value)


def _accept_header(req):
    """The Accept header as upstream's webob reads it; none or ``*/*``
    counts as application/json, as upstream's request log sets it."""
    value = req.get_header('accept')
    if not value or value == '*/*':
        value = 'application/json'
    return acceptparse.create_accept_header(value)


def accepts(req, media_type):
    """Whether the client takes ``media_type``, as upstream decides: a
    header that does not parse (``application/json;q=abc``) is ignored."""
    header = _accept_header(req)
    if not isinstance(header, acceptparse.AcceptValidHeader):
        return True
    return bool(header.acceptable_offers([media_type]))


def _error_media(req):
    """The media type of an error body, as webob picks it for upstream:
    HTML or JSON, whichever the client takes (HTML first on a tie or an
    unparsable header), else plain text."""
    offers = _accept_header(req).acceptable_offers(
        ['text/html', 'application/json'])
    return offers[0][0] if offers else 'text/plain'


def _render_error(req, resp, status, detail, code=None, headers=None):
    version = getattr(req.context, 'version', None)
    if version is not None and version >= (1, 23):
        code = code or errors.DEFAULT
    else:
        code = None
    body = errors.error_body(status, detail,
                             request_id=req.env.get(request_id.ENV_REQUEST_ID),
                             code=code, environ=req.env)
    if status == 406 and version is None:
        # The version could not be negotiated: say which ones there are.
        ceiling = getattr(req.context, 'max_version', microversion.MAX)
        body['errors'][0].update(max_version=str(ceiling),
                                 min_version=str(microversion.MIN))
    resp.status = status
    for name, value in (headers or {}).items():
        resp.set_header(name, value)
    media = _error_media(req)
    if media == 'application/json':
        resp.content_type = 'application/json'
        resp.media = body
    elif media == 'text/html':
        resp.content_type = 'text/html; charset=UTF-8'
        resp.text = errors.html_body(status, detail, req.env)
    else:
        # As webob answers a client that takes neither.
        resp.content_type = 'text/plain; charset=UTF-8'
        resp.text = errors.plain_body(status, detail, req.env)


def _placement_error(req, resp, ex, params):
    if not ex.vary:
        req.context.vary = False
    _render_error(req, resp, ex.status, ex.detail, ex.code, ex.headers)


def _falcon_error(req, resp, ex, params):
    detail = ex.description or ''
    if ex.status_code == 405:
        detail = 'The method specified is not allowed for this resource.'
    _render_error(req, resp, ex.status_code, detail, headers=ex.headers)


def _unexpected_error(req, resp, ex, params):
    if isinstance(ex, sa_exc.DBAPIError) and db_engine.is_disconnect(ex):
        LOG.warning('database unavailable for request %s: %s',
                    req.env.get(request_id.ENV_REQUEST_ID), ex.orig)
        _render_error(req, resp, 503, 'The database is unavailable: %s'
                      % type(ex.orig).__name__)
        return
    LOG.exception('unexpected error in request %s',
                  req.env.get(request_id.ENV_REQUEST_ID))
    _render_error(req, resp, 500, 'An unexpected error occurred: %s'
                  % type(ex).__name__)


def build_falcon_app(conf, db, max_version=microversion.MAX, routes=None,
                     middleware=()):
    """The falcon app. Production passes only ``conf`` and ``db``; the test
    cloud (placement.testcloud) gives a ceiling, its route table and its
    middleware (fault injection), which run after ApiMiddleware."""
    enforcer = policy.Enforcer(conf)
    app = falcon.App(middleware=[ApiMiddleware(db, enforcer, conf,
                                               max_version),
                                 metrics.RouteLabel(), *middleware])
    app.req_options.keep_blank_qs_values = True
    app.req_options.auto_parse_qs_csv = False
    # Empty 201s carry no Content-Type, as upstream; JSON bodies set theirs.
    app.resp_options.default_media_type = None
    for path, resource in (ROUTES if routes is None else routes):
        app.add_route(path, resource())
    app.add_error_handler(Exception, _unexpected_error)
    app.add_error_handler(falcon.HTTPError, _falcon_error)
    app.add_error_handler(errors.PlacementError, _placement_error)
    return app


def build_app(conf, engine=None, **falcon_options):
    """The whole WSGI stack for a loaded configuration.

    ``falcon_options`` (max_version, routes, middleware) are for the test
    cloud only; see build_falcon_app."""
    conf.register_opts(cors.CORS_OPTS, 'cors')
    if engine is None:
        engine = db_engine.create_engine(conf.placement_database)
    # [placement_database] max_retries and retry_interval, as oslo.db.
    db_engine.wait_for_connection(engine,
                                  conf.placement_database.max_retries,
                                  conf.placement_database.retry_interval)
    if conf.placement_database.sync_on_startup:
        sync.upgrade(engine)
    database = db_engine.Database(
        engine, replica=db_engine.create_replica_engine(
            conf.placement_database))
    try:
        database.ensure_standard_names()
    except sa_exc.OperationalError as exc:
        # Serve anyway: requests get 503 until the database is back, and
        # the first one that reaches it finishes this.
        LOG.warning('database unavailable at start-up: %s', exc.orig)
    metrics.watch_pool(engine)
    if getattr(database, 'replica', None) is not None:
        metrics.watch_pool(database.replica, 'replica')
    application = build_falcon_app(conf, database, **falcon_options)
    application = request_log.RequestLog(application)
    if conf.api.auth_strategy == 'noauth2':
        application = auth.NoAuthMiddleware(application)
    else:
        application = auth.keystone_middleware(application, conf)
    # Too large a body is refused before the token is checked.
    application = sizelimit.RequestBodyLimit(application, conf)
    if conf.cors.allowed_origin:
        # Like upstream, CORS is only in the stack when configured, so
        # OPTIONS is otherwise an ordinary 405.
        application = cors.CORS(application, conf)
    # For load balancers: no token, no CORS, no body limit.
    application = health.HealthcheckRoute(application, conf, engine)
    application = metrics.RequestMetrics(application, conf)
    application = request_id.RequestId(application)
    return application
