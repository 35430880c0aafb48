"""Rules for consumers' allocations."""
from placement.policies import base

MANAGE = 'placement:allocations:manage'
LIST = 'placement:allocations:list'
UPDATE = 'placement:allocations:update'
DELETE = 'placement:allocations:delete'
RP_LIST = 'placement:resource_providers:allocations:list'

_CONSUMER = '/allocations/{consumer_uuid}'

rules = [
    base.api_rule(MANAGE, base.ADMIN_OR_SERVICE,
                  'Write allocations for several consumers in one request.',
                  'POST', '/allocations'),
    base.api_rule(LIST, base.ADMIN_OR_SERVICE,
                  'Show what one consumer has allocated.', 'GET', _CONSUMER),
    base.api_rule(UPDATE, base.ADMIN_OR_SERVICE,
                  "Replace one consumer's allocations.", 'PUT', _CONSUMER),
    base.api_rule(DELETE, base.ADMIN_OR_SERVICE,
                  "Remove all of one consumer's allocations.", 'DELETE',
                  _CONSUMER),
    base.api_rule(RP_LIST, base.ADMIN_OR_SERVICE,
                  'Show the allocations made against a resource provider.',
                  'GET', '/resource_providers/{uuid}/allocations'),
]


def list_rules():
    return rules
