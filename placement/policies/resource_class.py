"""Rules for resource classes."""
from placement.policies import base

LIST = 'placement:resource_classes:list'
CREATE = 'placement:resource_classes:create'
SHOW = 'placement:resource_classes:show'
UPDATE = 'placement:resource_classes:update'
DELETE = 'placement:resource_classes:delete'

_ALL = '/resource_classes'
_ONE = '/resource_classes/{name}'

rules = [
    base.api_rule(LIST, base.ADMIN_OR_SERVICE,
                  'Show every standard and custom resource class.',
                  'GET', _ALL),
    base.api_rule(CREATE, base.ADMIN_OR_SERVICE,
                  'Define a new custom resource class.', 'POST', _ALL),
    base.api_rule(SHOW, base.ADMIN_OR_SERVICE,
                  'Show one resource class.', 'GET', _ONE),
    base.api_rule(UPDATE, base.ADMIN_OR_SERVICE,
                  'Create (or, before 1.7, rename) a custom resource class.',
                  'PUT', _ONE),
    base.api_rule(DELETE, base.ADMIN_OR_SERVICE,
                  'Remove an unused custom resource class.', 'DELETE', _ONE),
]


def list_rules():
    return rules
