"""Rules for the operator views (ours; upstream answers 404 on their
paths): a provider's whole tree, and the cloud's capacity.

Both only read, and show every provider they cover (the capacity view the
whole cloud's), so they default to the operators' accounts: the admin role
and the read-only reader role. Policy files may narrow or widen them.
"""
from placement.policies import base

TREE = 'placement:resource_providers:tree:show'
CAPACITY = 'placement:capacity:show'

OPERATOR_READER = 'role:admin or role:reader'

rules = [
    base.api_rule(TREE, OPERATOR_READER,
                  "Show the whole tree of a resource provider: each "
                  "provider's traits, aggregates, inventories with their "
                  'capacity, usage and free room, and how many consumers '
                  'hold allocations on it. For operators (admin) and '
                  'read-only operator accounts (reader).', 'GET',
                  '/resource_providers/{uuid}/tree'),
    base.api_rule(CAPACITY, OPERATOR_READER,
                  'Show the capacity, usage and free room of each resource '
                  'class across the cloud (or the providers a filter '
                  'selects), by aggregate, tree or trait if asked, and how '
                  'many more of a given request fit. For operators (admin) '
                  'and read-only operator accounts (reader).', 'GET',
                  '/capacity'),
]


def list_rules():
    return rules
