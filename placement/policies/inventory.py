from placement.policies import base

PREFIX = 'placement:resource_providers:inventories:'
COLLECTION = '/resource_providers/{uuid}/inventories'
ITEM = COLLECTION + '/{resource_class}'
rules = [
    base.api_rule(PREFIX + 'list', base.ADMIN_OR_SERVICE,
                  "List a resource provider's inventories.", 'GET', COLLECTION),
    base.api_rule(PREFIX + 'create', base.ADMIN_OR_SERVICE,
                  'Add one inventory to a resource provider.', 'POST',
                  COLLECTION),
    base.api_rule(PREFIX + 'show', base.ADMIN_OR_SERVICE,
                  'Show one inventory of a resource provider.', 'GET', ITEM),
]
for _name, _description in (('update', 'Replace or update inventories.'),
                            ('delete', 'Delete inventories.')):
    rules.append(base.policy.DocumentedRuleDefault(
        name=PREFIX + _name, check_str=base.ADMIN_OR_SERVICE,
        description=_description, scope_types=['project'],
        operations=[{'method': 'PUT' if _name == 'update' else 'DELETE',
                     'path': path} for path in (COLLECTION, ITEM)]))
