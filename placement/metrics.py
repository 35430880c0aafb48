"""Prometheus metrics: what the service counts, and how GET /metrics
renders them.

The metrics are module-level prometheus_client objects, counted in every
worker. Under gunicorn each worker is a process of its own, so a scrape
reaching one worker would see only that worker's counts; with
``PROMETHEUS_MULTIPROC_DIR`` set (``etc/gunicorn.conf.py`` sets it for
several workers) every worker writes its values to files there and a
scrape sums them all. The variable must be set before this module is
first imported: prometheus_client picks its storage then.
"""
import os
import time

import prometheus_client
from prometheus_client import multiprocess
from sqlalchemy import event

from placement.conf import metrics as conf_metrics

# The WSGI environ key where the route that answered is left: falcon's
# uri_template, or /healthcheck.
ROUTE_KEY = 'placement.route'
# Requests no route answered (unknown paths; refused before routing).
UNROUTED = 'none'
_METHODS = frozenset(('GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE',
                      'OPTIONS'))

REQUESTS = prometheus_client.Counter(
    'placement_http_requests',
    'HTTP requests answered, by route template, method and status.',
    ['route', 'method', 'status'])
LATENCY = prometheus_client.Histogram(
    'placement_http_request_duration_seconds',
    'Time to answer an HTTP request, by route template and method.',
    ['route', 'method'],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
             30.0, 60.0))
POOL_IN_USE = prometheus_client.Gauge(
    'placement_db_pool_connections_in_use',
    'Database connections checked out of the pools now (all live workers).',
    ['pool'], multiprocess_mode='livesum')
POOL_SIZE = prometheus_client.Gauge(
    'placement_db_pool_size',
    'Connections the pools keep (all live workers; overflow not counted).',
    ['pool'], multiprocess_mode='livesum')
CONFLICT_RETRIES = prometheus_client.Counter(
    'placement_conflict_retries',
    'Writes retried after losing a race: "generation" (a resource '
    'provider changed meanwhile) or "deadlock" (the database refused the '
    'transaction: deadlock, lock timeout, serialization failure).',
    ['reason'])
for _reason in ('generation', 'deadlock'):
    # Present (at 0) before the first retry, so rates can be taken.
    CONFLICT_RETRIES.labels(_reason)
CANDIDATES = prometheus_client.Histogram(
    'placement_allocation_candidates_returned',
    'Allocation requests returned per GET /allocation_candidates.',
    buckets=(0, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000,
             50000))


def multiprocess_dir():
    """The directory the workers share their values in, or None."""
    return (os.environ.get('PROMETHEUS_MULTIPROC_DIR')
            or os.environ.get('prometheus_multiproc_dir'))


def exposition():
    """(body, content type) of every metric, all workers' when they share a
    directory."""
    if multiprocess_dir():
        registry = prometheus_client.CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = prometheus_client.REGISTRY
    return (prometheus_client.generate_latest(registry),
            prometheus_client.CONTENT_TYPE_LATEST)


def conflict_retried(reason):
    CONFLICT_RETRIES.labels(reason).inc()


def candidates_returned(count):
    CANDIDATES.observe(count)


def watch_pool(engine, name='primary'):
    """Count the connections ``engine``'s pool has out, from its events
    (the pool is read from outside, never changed)."""
    in_use = POOL_IN_USE.labels(name)
    size = getattr(engine.pool, 'size', None)
    if callable(size):
        POOL_SIZE.labels(name).set(size())
    event.listen(engine, 'checkout', lambda *args: in_use.inc())
    event.listen(engine, 'checkin', lambda *args: in_use.dec())


class RouteLabel:
    """falcon middleware: leave the route template that answered in the
    environ, for ``RequestMetrics`` (a template, never a path: a label per
    provider uuid would grow without bound)."""

    def process_response(self, req, resp, resource, req_succeeded):
        if req.uri_template is not None:
            req.env[ROUTE_KEY] = req.uri_template


class RequestMetrics:
    """WSGI middleware counting every request and its latency, by route
    template, method and status; outside everything else, so refusals
    (401, 413) count too."""

    def __init__(self, application, conf):
        # [metrics] is read by GET /metrics; registered here with the layer.
        conf_metrics.register_opts(conf)
        self.application = application

    def __call__(self, environ, start_response):
        started = time.perf_counter()
        seen = {}

        def recording(status, headers, exc_info=None):
            seen['status'] = status.split(None, 1)[0]
            return start_response(status, headers, exc_info)

        try:
            return self.application(environ, recording)
        finally:
            method = environ.get('REQUEST_METHOD', '')
            if method not in _METHODS:
                method = 'other'
            route = environ.get(ROUTE_KEY, UNROUTED)
            REQUESTS.labels(route, method, seen.get('status', '500')).inc()
            LATENCY.labels(route, method).observe(
                time.perf_counter() - started)
