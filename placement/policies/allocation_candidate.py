"""Rule for allocation candidate queries."""
from placement.policies import base

LIST = 'placement:allocation_candidates:list'

rules = [
    base.api_rule(LIST, base.ADMIN_OR_SERVICE,
                  'Find the provider combinations able to satisfy a '
                  'resource request.', 'GET', '/allocation_candidates'),
]


def list_rules():
    return rules
