"""Rules for traits and for the traits of a resource provider."""
from placement.policies import base

LIST = 'placement:traits:list'
SHOW = 'placement:traits:show'
UPDATE = 'placement:traits:update'
DELETE = 'placement:traits:delete'
RP_LIST = 'placement:resource_providers:traits:list'
RP_UPDATE = 'placement:resource_providers:traits:update'
RP_DELETE = 'placement:resource_providers:traits:delete'

_ONE = '/traits/{name}'
_RP = '/resource_providers/{uuid}/traits'

rules = [
    base.api_rule(LIST, base.ADMIN_OR_SERVICE,
                  'Show the known traits, optionally filtered.', 'GET',
                  '/traits'),
    base.api_rule(SHOW, base.ADMIN_OR_SERVICE,
                  'Check whether one trait exists.', 'GET', _ONE),
    base.api_rule(UPDATE, base.ADMIN_OR_SERVICE,
                  'Define a custom trait.', 'PUT', _ONE),
    base.api_rule(DELETE, base.ADMIN_OR_SERVICE,
                  'Remove an unused custom trait.', 'DELETE', _ONE),
    base.api_rule(RP_LIST, base.ADMIN_OR_SERVICE,
                  'Show the traits a resource provider has.', 'GET', _RP),
    base.api_rule(RP_UPDATE, base.ADMIN_OR_SERVICE,
                  'Replace the set of traits of a resource provider.',
                  'PUT', _RP),
    base.api_rule(RP_DELETE, base.ADMIN_OR_SERVICE,
                  'Strip every trait from a resource provider.', 'DELETE',
                  _RP),
]


def list_rules():
    return rules
