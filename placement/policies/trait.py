from placement.policies import base

PREFIX = 'placement:traits:'
RP_PREFIX = 'placement:resource_providers:traits:'
RP_PATH = '/resource_providers/{uuid}/traits'
rules = base.table(
    base.ADMIN_OR_SERVICE,
    (PREFIX + 'list', 'List traits.', 'GET', '/traits'),
    (PREFIX + 'show', 'Show a trait.', 'GET', '/traits/{name}'),
    (PREFIX + 'update', 'Create a custom trait.', 'PUT', '/traits/{name}'),
    (PREFIX + 'delete', 'Delete a custom trait.', 'DELETE', '/traits/{name}'),
    (RP_PREFIX + 'list', "List a resource provider's traits.", 'GET', RP_PATH),
    (RP_PREFIX + 'update', "Replace a resource provider's traits.", 'PUT',
     RP_PATH),
    (RP_PREFIX + 'delete', "Remove a resource provider's traits.", 'DELETE',
     RP_PATH),
)
