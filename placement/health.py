"""GET /healthcheck (our extension): oslo.middleware's health check, for
load balancers, with no token needed.

oslo.middleware's ``Healthcheck`` answers every request it is handed, so
``HealthcheckRoute`` hands it only GET and HEAD of ``/healthcheck``;
everything else goes on to the API as before (with a token upstream
answers 404 there, without one 401, and so does this service for every
other method). The checks are oslo.middleware's backends, set in
``[healthcheck] backends``; ours, ``placement_database``
(``DatabaseCheck``), is the default: ``SELECT 1`` on the service's own
engine, 200 when the database answers and 503 when it does not.
"""
import logging
import threading

import sqlalchemy as sa
from oslo_middleware import healthcheck
from oslo_middleware.healthcheck import pluginbase

from placement import metrics
from placement.conf import healthcheck as conf_healthcheck

LOG = logging.getLogger(__name__)
PATH = '/healthcheck'
_METHODS = ('GET', 'HEAD')

# The engine of the application being built: oslo.middleware makes the
# backends itself (through their entry points, with only the configuration
# as arguments), so the database check finds its engine here.
_BUILDING = threading.local()


class DatabaseCheck(pluginbase.HealthcheckBaseExtension):
    """``SELECT 1`` on the service's engine (the pool it serves from)."""

    def __init__(self, oslo_conf, conf):
        super().__init__(oslo_conf, conf)
        self.engine = getattr(_BUILDING, 'engine', None)
        if self.engine is None:
            # Loaded by another pipeline (a paste deployment): an engine
            # of its own, from the same configuration.
            from placement.db import engine as db_engine
            self.engine = db_engine.create_engine(
                oslo_conf.placement_database)

    def healthcheck(self, server_port):
        try:
            with self.engine.connect() as conn:
                conn.execute(sa.text('SELECT 1'))
        except Exception as exc:
            LOG.warning('health check: database unavailable: %s', exc)
            return pluginbase.HealthcheckResult(
                available=False, reason='database unavailable',
                details='%s: %s' % (type(exc).__name__, exc))
        return pluginbase.HealthcheckResult(
            available=True, reason='database OK')


def _checker(application, conf, engine):
    _BUILDING.engine = engine
    try:
        # Requests it declines ([healthcheck] allowed_source_ranges,
        # ignore_proxied_requests) go on to ``application``.
        return healthcheck.Healthcheck(application, conf)
    finally:
        del _BUILDING.engine


class HealthcheckRoute:
    """WSGI middleware: GET and HEAD /healthcheck to the health check, the
    rest to ``application``."""

    def __init__(self, application, conf, engine):
        conf_healthcheck.register_opts(conf)
        self.application = application
        self.check = _checker(application, conf, engine)

    def __call__(self, environ, start_response):
        if (environ.get('PATH_INFO') == PATH
                and environ.get('REQUEST_METHOD') in _METHODS):
            environ[metrics.ROUTE_KEY] = PATH
            return self.check(environ, start_response)
        return self.application(environ, start_response)
