from placement.policies import base

PREFIX = 'placement:resource_providers:'
rules = base.table(
    base.ADMIN_OR_SERVICE,
    (PREFIX + 'list', 'List resource providers.', 'GET', '/resource_providers'),
    (PREFIX + 'create', 'Create a resource provider.', 'POST',
     '/resource_providers'),
    (PREFIX + 'show', 'Show a resource provider.', 'GET',
     '/resource_providers/{uuid}'),
    (PREFIX + 'update', 'Update a resource provider.', 'PUT',
     '/resource_providers/{uuid}'),
    (PREFIX + 'delete', 'Delete a resource provider.', 'DELETE',
     '/resource_providers/{uuid}'),
)
