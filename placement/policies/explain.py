"""Rule for GET /allocation_candidates/explain (ours; upstream answers 404
on its path): why a request gets the candidates it gets.

It reads, and names, every provider of the cloud it removes (and the
numbers of their inventories), so it defaults to the operators' accounts:
the admin role and the read-only reader role, as the operator views do.
A service token (the scheduler) is refused unless a policy file says
otherwise.
"""
from placement.policies import base

EXPLAIN = 'placement:allocation_candidates:explain'

OPERATOR_READER = 'role:admin or role:reader'

rules = [
    base.api_rule(EXPLAIN, OPERATOR_READER,
                  'Explain an allocation candidates query: per request '
                  'group the providers left after each rule, then the trees '
                  'left after each step across groups, with the reason for '
                  'some of those removed and for the providers named. For '
                  'operators (admin) and read-only operator accounts '
                  '(reader).', 'GET', '/allocation_candidates/explain'),
]


def list_rules():
    return rules
