"""Rules for resource providers themselves."""
from placement.policies import base

LIST = 'placement:resource_providers:list'
CREATE = 'placement:resource_providers:create'
SHOW = 'placement:resource_providers:show'
UPDATE = 'placement:resource_providers:update'
DELETE = 'placement:resource_providers:delete'

_ALL = '/resource_providers'
_ONE = '/resource_providers/{uuid}'

rules = [
    base.api_rule(LIST, base.ADMIN_OR_SERVICE,
                  'Search and list resource providers.', 'GET', _ALL),
    base.api_rule(CREATE, base.ADMIN_OR_SERVICE,
                  'Register a new resource provider.', 'POST', _ALL),
    base.api_rule(SHOW, base.ADMIN_OR_SERVICE,
                  'Show one resource provider.', 'GET', _ONE),
    base.api_rule(UPDATE, base.ADMIN_OR_SERVICE,
                  "Change a resource provider's name or parent.", 'PUT',
                  _ONE),
    base.api_rule(DELETE, base.ADMIN_OR_SERVICE,
                  'Remove a resource provider.', 'DELETE', _ONE),
]


def list_rules():
    return rules
