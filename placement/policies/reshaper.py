"""Rule for the reshaper (services only by default, not admins)."""
from placement.policies import base

RESHAPE = 'placement:reshaper:reshape'

rules = [
    base.api_rule(RESHAPE, base.SERVICE,
                  'Move inventories and allocations around a provider tree '
                  'in a single atomic operation.', 'POST', '/reshaper'),
]


def list_rules():
    return rules
