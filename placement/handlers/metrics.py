"""GET /metrics: the service's Prometheus metrics (our extension), as
Prometheus text; ``placement.metrics`` says what is counted."""
from placement import errors, metrics
from placement.handlers import util
from placement.operations import operation
from placement.policies import metrics as policies

MEDIA_TYPE = 'text/plain'
TEXT = {'type': 'string',
        'description': 'The Prometheus text exposition format.'}


class Metrics:
    @operation(
        'Prometheus metrics of this service (all its workers): requests '
        'by route template, method and status, request latency '
        'histograms, database pool use, conflict retries and allocation '
        'candidates returned per request, as Prometheus text. At every '
        'microversion; 404 when [metrics] enabled is False.',
        policy=policies.SHOW, responses={200: TEXT}, errors={404: []},
        media_type=MEDIA_TYPE, cached=False, extension=True, name='show',
        enabled_by=('metrics', 'enabled'))
    def on_get(self, req, resp):
        util.authorize(req, policies.SHOW)
        if not req.client_accepts(MEDIA_TYPE):
            raise errors.NotAcceptable('Only %s is provided' % MEDIA_TYPE)
        body, content_type = metrics.exposition()
        resp.status = 200
        resp.content_type = content_type
        resp.data = body
