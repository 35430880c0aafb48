"""Pieces of explain's reasons: an inventory's numbers in words, and
parts of the body written once the provider names are read."""

UNEXPLAINED = 'unexplained'


def label(group):
    """A request group as the query names it."""
    return 'resources%s' % group.suffix


def any_of(sets):
    return ', '.join(' or '.join(sorted(s)) for s in sets)


def room_facts(example, row, name, amount, summed=False):
    """Fill ``example`` with an inventory's numbers and say why
    ``amount`` of it does not fit (room_for's tests, or for a sum only
    sum_fits': max_unit and capacity)."""
    free = max(row.capacity - row.used, 0)
    example.update(resource_class=name, requested=amount, total=row.total,
                   reserved=row.reserved,
                   allocation_ratio=float(row.allocation_ratio),
                   capacity=row.capacity, used=row.used, free=free,
                   min_unit=row.min_unit, max_unit=row.max_unit,
                   step_size=row.step_size)
    violates = []
    if row.used + amount > row.capacity:
        violates.append('capacity')
    if not summed and amount < row.min_unit:
        violates.append('min_unit')
    if amount > row.max_unit:
        violates.append('max_unit')
    if not summed and amount % row.step_size:
        violates.append('step_size')
    example['violates'] = violates
    asked = '%d requested%s' % (amount, ' in all' if summed else '')
    if 'capacity' in violates:
        words = ['%s %d free (capacity %d, used %d), %s' % (
            name, free, row.capacity, row.used, asked)]
    else:
        words = ['%s %s' % (name, asked)]
    if 'min_unit' in violates:
        words.append('below min_unit %d' % row.min_unit)
    if 'max_unit' in violates:
        words.append('above max_unit %d' % row.max_unit)
    if 'step_size' in violates:
        words.append('not a multiple of step_size %d' % row.step_size)
    return ', '.join(words)


class Later:
    """A part of the body written once the provider names are read."""

    def __init__(self, make):
        self.make = make


def resolve(value):
    if isinstance(value, Later):
        return resolve(value.make())
    if isinstance(value, dict):
        return {k: resolve(v) for k, v in value.items()}
    if isinstance(value, list):
        return [resolve(v) for v in value]
    return value
