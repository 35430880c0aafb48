from placement.policies import base

PREFIX = 'placement:resource_classes:'
rules = base.table(
    base.ADMIN_OR_SERVICE,
    (PREFIX + 'list', 'List resource classes.', 'GET', '/resource_classes'),
    (PREFIX + 'create', 'Create a custom resource class.', 'POST',
     '/resource_classes'),
    (PREFIX + 'show', 'Show a resource class.', 'GET',
     '/resource_classes/{name}'),
    (PREFIX + 'update', 'Create or rename a custom resource class.', 'PUT',
     '/resource_classes/{name}'),
    (PREFIX + 'delete', 'Delete a custom resource class.', 'DELETE',
     '/resource_classes/{name}'),
)
