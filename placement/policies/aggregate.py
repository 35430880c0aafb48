"""Rules for a resource provider's aggregate associations."""
from placement.policies import base

LIST = 'placement:resource_providers:aggregates:list'
UPDATE = 'placement:resource_providers:aggregates:update'

_PATH = '/resource_providers/{uuid}/aggregates'

rules = [
    base.api_rule(LIST, base.ADMIN_OR_SERVICE,
                  'Show which aggregates a resource provider belongs to.',
                  'GET', _PATH),
    base.api_rule(UPDATE, base.ADMIN_OR_SERVICE,
                  'Replace the set of aggregates of a resource provider.',
                  'PUT', _PATH),
]


def list_rules():
    return rules
