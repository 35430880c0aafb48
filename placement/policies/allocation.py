from placement.policies import base

PREFIX = 'placement:allocations:'
PATH = '/allocations/{consumer_uuid}'
rules = base.table(
    base.ADMIN_OR_SERVICE,
    (PREFIX + 'manage', 'Write allocations of several consumers.', 'POST',
     '/allocations'),
    (PREFIX + 'list', "Show a consumer's allocations.", 'GET', PATH),
    (PREFIX + 'update', "Replace a consumer's allocations.", 'PUT', PATH),
    (PREFIX + 'delete', "Delete a consumer's allocations.", 'DELETE', PATH),
    ('placement:resource_providers:allocations:list',
     "List the allocations held on a resource provider.", 'GET',
     '/resource_providers/{uuid}/allocations'),
)
