from placement.policies import base

PREFIX = 'placement:resource_providers:aggregates:'
PATH = '/resource_providers/{uuid}/aggregates'
rules = base.table(
    base.ADMIN_OR_SERVICE,
    (PREFIX + 'list', "List a resource provider's aggregates.", 'GET', PATH),
    (PREFIX + 'update', "Replace a resource provider's aggregates.", 'PUT',
     PATH),
)
