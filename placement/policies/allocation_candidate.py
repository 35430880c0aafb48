from placement.policies import base

rules = base.table(
    base.ADMIN_OR_SERVICE,
    ('placement:allocation_candidates:list',
     'List the ways a request for resources can be satisfied.', 'GET',
     '/allocation_candidates'),
)
