from placement.policies import base

rules = [
    base.api_rule('placement:resource_providers:usages', base.ADMIN_OR_SERVICE,
                  "Show a resource provider's usages.", 'GET',
                  '/resource_providers/{uuid}/usages'),
    # Project readers may see their own project's usages.
    base.api_rule('placement:usages',
                  base.ADMIN_OR_PROJECT_READER_OR_SERVICE,
                  'Show the usages of a project (and user).', 'GET',
                  '/usages'),
]
