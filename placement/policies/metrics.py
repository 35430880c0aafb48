"""Rule for the Prometheus metrics (our extension; upstream answers 404
on GET /metrics).

The metrics tell how busy the service is, how its database pool is used
and which routes fail: for operators and their monitoring, so admin only
by default. A policy file may open it to a monitoring account's role.
"""
from placement.policies import base

SHOW = 'placement:metrics:show'

rules = [
    base.api_rule(SHOW, 'role:admin',
                  'Read the Prometheus metrics of this service: requests '
                  'by route, method and status, latency histograms, '
                  'database pool use, conflict retries and allocation '
                  'candidates returned per request. Turned off altogether '
                  'with [metrics] enabled = False.', 'GET', '/metrics'),
]


def list_rules():
    return rules
