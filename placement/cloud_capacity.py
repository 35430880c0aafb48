"""The cloud's capacity per resource class (GET /capacity), in a fixed
number of set-based queries whatever the cloud's size.

Every figure starts from one row per inventory of the selected providers
(``_rooms``): its total and reserved, its capacity
(``capacity.whole_capacity``: (total - reserved) * allocation_ratio,
rounded down), what is allocated of it (``used``) and the room left
(``capacity.free``: capacity - used, never below 0). Per class, and per
group key with ``group_by``, the figures sum those; ``largest_allocation``
is the most that one provider can take in one allocation
(``capacity.most_of`` and ``capacity.stepped``).

``fits`` answers "how many more of this request fit now", all at once:

* ``provider`` (the default): each provider alone. On a provider that has
  every requested class, each class takes ``free // amount`` allocations
  one after another (0 when the amount breaks min_unit, max_unit or
  step_size: ``capacity.times_fit``), and the provider takes the least of
  those over the classes. The cloud's count is the sum over providers.
  This is exact for requests that one provider serves alone. A request
  whose classes sit on different providers of a tree (VCPU on a NUMA
  child, DISK_GB on the root) is not counted, nor one that needs a
  sharing provider's inventory (DISK_GB from shared storage).
* ``tree``: each tree (a root provider and its descendants) as a whole,
  as the unsuffixed request group is served: each class comes from one
  provider of the tree, so the tree takes, per class, the sum over its
  providers of ``times_fit``, and the least of those over the classes.
  Exact for such requests on trees that need no sharing provider.

In both, sharing providers are not lent to the trees they serve: each
counts as its own provider (or tree), so requests that need one are
undercounted.

* ``sharing``: as ``tree``, with sharing providers' room lent to the
  trees that lack a class (``placement.capacity_lending`` tells how;
  never more than fit, exact for one shared pool per aggregate).

Only the providers the filters select count, and with ``group_by`` only
those of the group (a provider in two aggregates counts in both).
"""
import collections

import sqlalchemy as sa

from placement import capacity, capacity_lending, resource_classes
from placement.db import id_list
from placement.db.tables import (inventories as inv,
                                 placement_aggregates as agg,
                                 resource_provider_aggregates as rpa,
                                 resource_provider_traits as rpt,
                                 resource_providers as rp, traits as t)

FIGURES = ('providers', 'total', 'reserved', 'capacity', 'used', 'free',
           'largest_allocation')
PROVIDER, TREE, SHARING = 'provider', 'tree', 'sharing'


def _rooms(conditions, class_ids=None, roots=True):
    """Subquery: one row per inventory of the providers meeting
    ``conditions`` (on resource_providers), of the classes ``class_ids``
    (None: all), with its usage, capacity and free room, and (``roots``)
    its provider's root."""
    usage = capacity.usage_table()
    used = sa.func.coalesce(usage.c.used, 0)
    source = inv
    columns = [inv.c.resource_provider_id.label('provider_id')]
    if roots or conditions:
        # Without filters or roots, the inventories alone say it all.
        source = inv.join(rp, rp.c.id == inv.c.resource_provider_id)
        columns.append(rp.c.root_provider_id.label('root_id'))
    query = (
        sa.select(*columns, inv.c.resource_class_id.label('class_id'),
                  inv.c.total, inv.c.reserved, inv.c.min_unit,
                  inv.c.max_unit, inv.c.step_size, used.label('used'),
                  capacity.whole_capacity(inv).label('whole'))
        .select_from(source.outerjoin(usage, sa.and_(
            usage.c.resource_provider_id == inv.c.resource_provider_id,
            usage.c.resource_class_id == inv.c.resource_class_id)))
        .where(*conditions))
    if class_ids is not None:
        query = query.where(inv.c.resource_class_id.in_(sorted(class_ids)))
    rooms = query.subquery('rooms')
    # Free room as a column of its own, so that what uses it stays short
    # (and is computed once per row).
    return sa.select(rooms, capacity.free(rooms.c.whole, rooms.c.used)
                     .label('free')).subquery('room')


_ROOT = rp.alias('group_root')


def _keyed(rooms, group_by):
    """(FROM clause, [key columns]) adding each row's group key (a row
    appears once per key it has: a provider's aggregates or traits)."""
    if group_by == 'aggregate':
        return (rooms.outerjoin(rpa, rpa.c.resource_provider_id
                                == rooms.c.provider_id)
                .outerjoin(agg, agg.c.id == rpa.c.aggregate_id),
                [agg.c.uuid.label('key')])
    if group_by == 'trait':
        return (rooms.outerjoin(rpt, rpt.c.resource_provider_id
                                == rooms.c.provider_id)
                .outerjoin(t, t.c.id == rpt.c.trait_id),
                [t.c.name.label('key')])
    if group_by == 'root':
        return (rooms.join(_ROOT, _ROOT.c.id == rooms.c.root_id),
                [_ROOT.c.uuid.label('key'), _ROOT.c.name.label('name')])
    return rooms, []


def _number(value):
    return 0 if value is None else int(value)


def figures(conn, conditions, class_ids=None, group_by=None):
    """{key: (name, {class name: {figure: value}})} for the providers
    meeting ``conditions``; the key is None without ``group_by``. One
    query, grouped by class id (the names are looked up after)."""
    rooms = _rooms(conditions, class_ids, roots=group_by == 'root')
    # The most one allocation could take before step_size and min_unit
    # are applied, computed once per row for largest_allocation.
    most = sa.select(rooms, capacity.most_of(rooms.c.free, rooms)
                     .label('most')).subquery('most')
    source, keys = _keyed(most, group_by)
    query = (sa.select(
        *keys, most.c.class_id,
        sa.func.count().label('providers'),
        sa.func.sum(most.c.total).label('total'),
        sa.func.sum(most.c.reserved).label('reserved'),
        sa.func.sum(most.c.whole).label('capacity'),
        sa.func.sum(most.c.used).label('used'),
        sa.func.sum(most.c.free).label('free'),
        sa.func.max(capacity.stepped(most.c.most, most))
        .label('largest_allocation'))
        .select_from(source)
        .group_by(*keys, most.c.class_id))
    found = {}
    names = resource_classes.NamesById(conn)
    for row in conn.execute(query).all():
        key = row.key if keys else None
        name = row.name if group_by == 'root' else None
        classes = found.setdefault(key, (name, {}))[1]
        classes[names[row.class_id]] = {
            figure: _number(getattr(row, figure)) for figure in FIGURES}
    return found


def _units(conditions, wanted, method, group_by):
    """Subquery of (unit, [key], fits): how many of ``wanted``
    ({class id: amount}) fit on each provider (``provider``) or tree
    (``tree``; the unit is its root), with a group key per ``group_by``."""
    # A provider's own inventories are its unit: no root needed unless
    # it is the group's key.
    rooms = _rooms(conditions, wanted,
                   roots=method != PROVIDER or group_by == 'root')
    amount = sa.case({class_id: sa.literal(value, sa.Integer)
                      for class_id, value in wanted.items()},
                     value=rooms.c.class_id)
    source, keys = _keyed(rooms, group_by)
    keys = keys[:1]
    times = capacity.times_fit(amount, rooms.c.free, rooms)
    if method == PROVIDER:
        # A provider has one inventory per class: no sum per class.
        per_class = (sa.select(rooms.c.provider_id.label('unit'), *keys,
                               times.label('times'))
                     .select_from(source).subquery('per_class'))
    else:
        per_class = (sa.select(rooms.c.root_id.label('unit'), *keys,
                               rooms.c.class_id,
                               sa.func.sum(times).label('times'))
                     .select_from(source)
                     .group_by(rooms.c.root_id, *keys, rooms.c.class_id)
                     .subquery('per_class'))
    key_cols = [per_class.c.key] if keys else []
    return (sa.select(per_class.c.unit, *key_cols,
                      sa.func.min(per_class.c.times).label('fits'))
            .group_by(per_class.c.unit, *key_cols)
            .having(sa.func.count() == len(wanted))
            .subquery('units'))


def top_units(conn, counts, top):
    """The ``top`` units of {unit id: fits} where most fit, most first,
    then by name and uuid (as the SQL ranking of the other methods)."""
    by_count = collections.defaultdict(list)
    for unit, n in counts.items():
        by_count[n].append(unit)
    best = []
    query = (sa.select(rp.c.uuid, rp.c.name)
             .where(id_list.in_ids(rp.c.id, 'units'))
             .order_by(rp.c.name, rp.c.uuid).limit(sa.bindparam('most')))
    for n in sorted(by_count, reverse=True):
        if len(best) >= top:
            break
        rows = conn.execute(query, {'units': id_list.encode(by_count[n]),
                                    'most': top - len(best)})
        best.extend({'uuid': row.uuid, 'name': row.name, 'fits': n}
                    for row in rows)
    return best


def fits(conn, conditions, wanted, method=PROVIDER, top=5):
    """(how many of ``wanted`` fit in all, [the ``top`` providers or
    roots where most fit: {uuid, name, fits}]). Two queries (``sharing``:
    see ``capacity_lending``)."""
    if method == SHARING:
        return capacity_lending.fits(conn, conditions, wanted, top)
    units = _units(conditions, wanted, method, None)
    # The total comes with the top rows: a window over every unit where
    # some fit, summed before the limit applies (one pass, one query).
    rows = conn.execute(
        sa.select(rp.c.uuid, rp.c.name, units.c.fits,
                  sa.func.sum(units.c.fits).over().label('count'))
        .join(rp, rp.c.id == units.c.unit)
        .where(units.c.fits > 0)
        .order_by(units.c.fits.desc(), rp.c.name, rp.c.uuid)
        .limit(max(top, 1))).all()
    count = int(rows[0].count) if rows else 0
    best = [{'uuid': row.uuid, 'name': row.name, 'fits': int(row.fits)}
            for row in rows[:top]]
    return count, best


def fits_by_group(conn, conditions, wanted, method, group_by):
    """{key: how many of ``wanted`` fit on the group's providers}. One
    query."""
    if method == SHARING:
        return capacity_lending.fits_by_group(conn, conditions, wanted,
                                              group_by)
    units = _units(conditions, wanted, method, group_by)
    rows = conn.execute(sa.select(units.c.key, sa.func.sum(units.c.fits))
                        .group_by(units.c.key))
    return {key: int(total) for key, total in rows}
