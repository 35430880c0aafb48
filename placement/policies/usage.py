"""Rules for usage reports."""
from placement.policies import base

PROVIDER_USAGES = 'placement:resource_providers:usages'
TOTAL_USAGES = 'placement:usages'

rules = [
    base.api_rule(PROVIDER_USAGES, base.ADMIN_OR_SERVICE,
                  'Show how much of each resource class a provider has '
                  'handed out.', 'GET', '/resource_providers/{uuid}/usages'),
    # Besides admins and services, a reader of a project may see the totals
    # of that project (the target carries the requested project_id).
    base.api_rule(TOTAL_USAGES, base.ADMIN_OR_PROJECT_READER_OR_SERVICE,
                  'Show the total resources consumed by a project, '
                  'optionally narrowed to one user or consumer type.',
                  'GET', '/usages'),
]


def list_rules():
    return rules
