"""Inventories of providers: what each provider has of each class."""
import collections

import sqlalchemy as sa

from placement import errors
from placement.db.tables import (allocations, inventories as inv,
                                 resource_classes as rc)
from placement.schemas.inventory import FIELDS as FIELD_SCHEMAS, MAX_INT

FIELDS = ('total', 'reserved', 'min_unit', 'max_unit', 'step_size',
          'allocation_ratio')
DEFAULTS = {'reserved': 0, 'min_unit': 1, 'max_unit': MAX_INT,
            'step_size': 1, 'allocation_ratio': 1.0}


def with_defaults(record):
    fields = {field: record.get(field, DEFAULTS.get(field))
              for field in FIELDS}
    # As stored and as upstream answers: a float, even if given as 16.
    fields['allocation_ratio'] = float(fields['allocation_ratio'])
    return fields


# An inventory as just written, to answer with without reading it back:
# like upstream's, its timestamps are unknown, so the answer is dated now.
Written = collections.namedtuple('Written',
                                 FIELDS + ('created_at', 'updated_at'))


def written(records):
    """{name: Written} of the records a write stored."""
    return {name: Written(created_at=None, updated_at=None, **record)
            for name, record in records.items()}


_OF_PROVIDER = (
    sa.select(rc.c.name, inv).join(rc, rc.c.id == inv.c.resource_class_id)
    .where(inv.c.resource_provider_id == sa.bindparam('rp_id'))
    .order_by(inv.c.resource_class_id))


def of_provider(conn, provider_id):
    """{class name: row} of a provider's inventory."""
    rows = conn.execute(_OF_PROVIDER, {'rp_id': provider_id})
    return {row.name: row for row in rows}


def render(row):
    return {field: getattr(row, field) for field in FIELDS}


def _reserved_may_equal_total(version):
    return version >= (1, 26)


def reserved_fits(reserved, total, version):
    """Reserved may equal total only from 1.26 (below it before)."""
    if _reserved_may_equal_total(version):
        return reserved <= total
    return reserved < total


def smallest_total(reserved, version):
    """The smallest total the API accepts beside this reserved (never
    below the schema's minimum)."""
    total = max(FIELD_SCHEMAS['total']['minimum'], reserved)
    return total if reserved_fits(reserved, total, version) else total + 1


def check_reserved(provider_uuid, name, record, version, action):
    """Reserved may equal total only from 1.26."""
    if not reserved_fits(record['reserved'], record['total'], version):
        relation = 'greater than' if _reserved_may_equal_total(version) \
            else 'greater than or equal to'
        raise errors.BadRequest(
            "Unable to %s inventory for resource provider %s: Invalid "
            "inventory for '%s' on resource provider '%s'. The reserved "
            'value is %s total.' % (action, provider_uuid, name,
                                    provider_uuid, relation))


def classes_in_use(conn, provider_id, class_ids):
    if not class_ids:
        return set()
    query = (sa.select(allocations.c.resource_class_id).distinct()
             .where(allocations.c.resource_provider_id == provider_id,
                    allocations.c.resource_class_id.in_(sorted(class_ids))))
    return set(conn.execute(query).scalars())


class InUse(errors.Conflict):
    """Inventory with allocations against it cannot go; handlers word
    this differently, so it is told apart from other conflicts."""

    def __init__(self, detail):
        super().__init__(detail, code=errors.INVENTORY_INUSE)


def removal_refusal(conn, provider, removed):
    """Why removing some classes ({name: class id}) of a provider's
    inventory is refused (``InUse``: some have allocations), or None."""
    if not removed:
        return None
    in_use = classes_in_use(conn, provider.id, set(removed.values()))
    if not in_use:
        return None
    by_id = sorted(removed.items(), key=lambda item: item[1])
    names = [name for name, cid in by_id if cid in in_use]
    return InUse("Inventory for '%s' on resource provider '%s' in use."
                 % (', '.join(names), provider.uuid))


def deletion_conflict(name, in_use):
    """What DELETE .../inventories/{name} answers for ``InUse``: upstream
    files it under concurrent update, not in use."""
    return errors.Conflict('Unable to delete inventory of class %s: %s'
                           % (name, in_use.detail),
                           code=errors.CONCURRENT_UPDATE)


def remove(conn, provider, removed):
    """Delete some classes ({name: class id}) of a provider's inventory;
    any with allocations → 409 inventory in use."""
    refusal = removal_refusal(conn, provider, removed)
    if refusal is not None:
        raise refusal
    if not removed:
        return
    conn.execute(inv.delete().where(
        inv.c.resource_provider_id == provider.id,
        inv.c.resource_class_id.in_(sorted(removed.values()))))


def replace(conn, provider, records, class_ids, current=None):
    """Make the provider's inventory exactly ``records`` ({name: fields});
    ``current`` is its inventory as read in this transaction (read here
    if not given), ``class_ids`` the ids of the classes it lacks.

    Lowering capacity under current usage is allowed, as upstream allows.
    """
    if current is None:
        current = of_provider(conn, provider.id)
    remove(conn, provider, {name: row.resource_class_id
                            for name, row in current.items()
                            if name not in records})
    added = []
    for name, record in records.items():
        if name in current:
            update(conn, current[name].id, record)
        else:
            added.append(dict(record, resource_provider_id=provider.id,
                              resource_class_id=class_ids[name]))
    if added:
        # One statement for all of them (an executemany).
        conn.execute(inv.insert(), added)


def update(conn, inventory_id, record):
    conn.execute(inv.update().where(inv.c.id == inventory_id).values(**record))


def add(conn, provider, class_id, record):
    conn.execute(inv.insert().values(resource_provider_id=provider.id,
                                     resource_class_id=class_id, **record))
