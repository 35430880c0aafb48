"""Rules for resource provider inventories."""
from placement.policies import base

LIST = 'placement:resource_providers:inventories:list'
CREATE = 'placement:resource_providers:inventories:create'
SHOW = 'placement:resource_providers:inventories:show'
UPDATE = 'placement:resource_providers:inventories:update'
DELETE = 'placement:resource_providers:inventories:delete'

_ALL = '/resource_providers/{uuid}/inventories'
_ONE = _ALL + '/{resource_class}'

rules = [
    base.api_rule(LIST, base.ADMIN_OR_SERVICE,
                  'Show every inventory record of a resource provider.',
                  'GET', _ALL),
    base.api_rule(CREATE, base.ADMIN_OR_SERVICE,
                  'Add an inventory record for one resource class.',
                  'POST', _ALL),
    base.api_rule(SHOW, base.ADMIN_OR_SERVICE,
                  'Show the inventory record of one resource class.',
                  'GET', _ONE),
    base.api_rule(UPDATE, base.ADMIN_OR_SERVICE,
                  'Replace all inventory records of a provider, or change '
                  'one of them.', 'PUT', _ALL, ('PUT', _ONE)),
    base.api_rule(DELETE, base.ADMIN_OR_SERVICE,
                  'Remove all inventory records of a provider, or one of '
                  'them.', 'DELETE', _ALL, ('DELETE', _ONE)),
]


def list_rules():
    return rules
