"""A provider's whole tree, in one read of a fixed number of set-based
queries however big the tree: the providers, their inventories with
capacity, usage and free room, their traits, their aggregates and the
number of consumers on each (GET /resource_providers/{uuid}/tree)."""
import collections

import sqlalchemy as sa

from placement import capacity, errors, inventories, providers
from placement.db.tables import (allocations as alloc, inventories as inv,
                                 placement_aggregates as agg,
                                 resource_classes as rc,
                                 resource_provider_aggregates as rpa,
                                 resource_provider_traits as rpt,
                                 resource_providers as rp, traits as t)

_WHOLE = capacity.whole_capacity(inv)
_USED = capacity.usage_of(inv.c.resource_provider_id,
                          inv.c.resource_class_id)


def _inventories(conn, root_id):
    """{provider id: {class name: inventory dict}} of the tree."""
    room = (sa.select(inv.c.resource_provider_id, rc.c.name,
                      *[inv.c[field] for field in inventories.FIELDS],
                      _USED.label('used'), _WHOLE.label('whole'))
            .join(rc, rc.c.id == inv.c.resource_class_id)
            .join(rp, rp.c.id == inv.c.resource_provider_id)
            .where(rp.c.root_provider_id == root_id)
            .subquery())
    rows = conn.execute(sa.select(
        room, capacity.free(room.c.whole, room.c.used).label('free'))
        .order_by(room.c.resource_provider_id, room.c.name))
    found = collections.defaultdict(dict)
    for row in rows:
        shown = inventories.render(row)
        shown.update(capacity=int(row.whole), used=int(row.used),
                     free=int(row.free))
        found[row.resource_provider_id][row.name] = shown
    return found


def _names(conn, link, name_col, join, root_id):
    """{provider id: [names]} of the tree's traits or aggregates."""
    rows = conn.execute(
        sa.select(link.c.resource_provider_id, name_col)
        .join(join[0], join[1])
        .join(rp, rp.c.id == link.c.resource_provider_id)
        .where(rp.c.root_provider_id == root_id)
        .order_by(link.c.resource_provider_id, name_col))
    found = collections.defaultdict(list)
    for provider_id, name in rows:
        found[provider_id].append(name)
    return found


def _consumer_counts(conn, root_id):
    """{provider id: distinct consumers with allocations on it}."""
    return dict(conn.execute(
        sa.select(alloc.c.resource_provider_id,
                  sa.func.count(sa.distinct(alloc.c.consumer_id)))
        .join(rp, rp.c.id == alloc.c.resource_provider_id)
        .where(rp.c.root_provider_id == root_id)
        .group_by(alloc.c.resource_provider_id)).all())


def load(conn, uuid):
    """(the tree holding provider ``uuid`` as nested dicts from its root,
    when it last changed); 404 when there is no such provider. Six
    queries, whatever the tree's size (again if the tree was moved under
    another between them)."""
    for _attempt in range(3):
        root_id = providers.get_or_404(conn, uuid).root_provider_id
        members = providers.list_filtered(conn, in_tree=root_id)
        if any(row.id == root_id for row in members):
            break
    else:
        raise errors.NotFound('No resource provider with uuid %s found'
                              % uuid)
    stock = _inventories(conn, root_id)
    traits = _names(conn, rpt, t.c.name,
                    (t, t.c.id == rpt.c.trait_id), root_id)
    aggregates = _names(conn, rpa, agg.c.uuid,
                        (agg, agg.c.id == rpa.c.aggregate_id), root_id)
    consumers = _consumer_counts(conn, root_id)
    nodes = {}
    for row in members:
        nodes[row.id] = {
            'uuid': row.uuid, 'name': row.name,
            'generation': row.generation,
            'parent_provider_uuid': row.parent_provider_uuid,
            'traits': traits.get(row.id, []),
            'aggregates': aggregates.get(row.id, []),
            'inventories': stock.get(row.id, {}),
            'consumer_count': consumers.get(row.id, 0),
            'children': []}
    # Children by name (then id, for providers without one).
    for row in sorted(members, key=lambda row: (row.name is None,
                                                row.name or '', row.id)):
        if row.id != root_id and row.parent_provider_id in nodes:
            nodes[row.parent_provider_id]['children'].append(nodes[row.id])
    # The newest change (None if none is recorded; the handler then says
    # now, as every Last-Modified does).
    times = [row.updated_at or row.created_at for row in members]
    changed = max((t for t in times if t is not None), default=None)
    return {'root': nodes[root_id], 'provider_count': len(nodes)}, changed
