"""Rules for the capabilities documents (ours; upstream has no such API).

Each document only describes; every operation it lists is judged by that
operation's own rule, for the caller who asked.
"""
from placement.policies import allocation, base, resource_provider

SHOW = 'placement:capabilities:show'
PROVIDER = 'placement:capabilities:resource_providers:show'
CONSUMER = 'placement:capabilities:consumers:show'

rules = [
    # Authentication is already required by the middleware: any caller.
    base.api_rule(SHOW, '@',
                  'Show the microversions, features, settings and the '
                  'operations on each resource type that the caller may '
                  'perform.', 'GET', '/capabilities'),
    base.api_rule(PROVIDER, 'rule:%s' % resource_provider.SHOW,
                  'Show what the caller may do to one resource provider '
                  'now, and why not where refused.', 'GET',
                  '/capabilities/resource_providers/{uuid}'),
    base.api_rule(CONSUMER, 'rule:%s' % allocation.LIST,
                  "Show what the caller may do to one consumer's "
                  'allocations now, and why not where refused.', 'GET',
                  '/capabilities/consumers/{consumer_uuid}'),
]


def list_rules():
    return rules
