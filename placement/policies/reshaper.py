from placement.policies import base

# Only services (nova-compute reshaping its provider tree) by default.
rules = base.table(
    base.SERVICE,
    ('placement:reshaper:reshape',
     'Move inventories and allocations between providers atomically.',
     'POST', '/reshaper'),
)
