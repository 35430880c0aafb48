"""The SQL side of the candidate search: a fixed number of set-based queries
that load the slice of the database a request can use.

``load`` returns a ``World``: the providers that have room for some
requested class (with their trees, traits and aggregates), sharing
providers and the trees they are anchored to. Nothing here loops over
providers issuing queries; large id lists are sent in chunks.
"""
import collections
import dataclasses

import sqlalchemy as sa

from placement import capacity, providers, traits
from placement.db.tables import (allocations as alloc,
                                 inventories as inv,
                                 placement_aggregates as agg,
                                 resource_classes as rc,
                                 resource_provider_aggregates as rpa,
                                 resource_provider_traits as rpt,
                                 resource_providers as rp, traits as t)

SHARING_TRAIT = 'MISC_SHARES_VIA_AGGREGATE'
CHUNK = 5000

Provider = collections.namedtuple('Provider', 'id uuid parent_id root_id')
Inventory = collections.namedtuple(
    'Inventory', 'total reserved min_unit max_unit step_size allocation_ratio '
                 'used')


def capacity_of(row):
    return int((row.total - row.reserved) * row.allocation_ratio)


def room_for(row, amount, already=0):
    """``amount`` more (on top of ``already`` in this candidate) fits."""
    return (row.min_unit <= amount <= row.max_unit
            and amount % row.step_size == 0
            and row.used + already + amount <=
            (row.total - row.reserved) * row.allocation_ratio)


def _chunks(ids):
    ids = sorted(ids)
    for start in range(0, len(ids), CHUNK):
        yield ids[start:start + CHUNK]


@dataclasses.dataclass
class World:
    class_ids: dict                 # name → id
    inventory: dict = dataclasses.field(default_factory=dict)  # (pid, rc name) → Inventory
    providers: dict = dataclasses.field(default_factory=dict)  # pid → Provider
    traits: dict = dataclasses.field(default_factory=dict)     # pid → set(names)
    trait_order: dict = dataclasses.field(default_factory=dict)  # pid → [names]
    aggregates: dict = dataclasses.field(default_factory=dict)  # pid → set(uuids)
    sharing: set = dataclasses.field(default_factory=set)
    sharing_root: dict = dataclasses.field(default_factory=dict)  # pid → root
    anchors: dict = dataclasses.field(default_factory=dict)    # sharing pid → set(root ids)
    tree_members: dict = dataclasses.field(default_factory=dict)  # root id → [pid]
    all_inventory: dict = dataclasses.field(default_factory=dict)  # pid → {name: Inventory}

    def ancestors(self, pid):
        """pid and its ancestors, nearest first."""
        chain = []
        while pid is not None:
            chain.append(pid)
            pid = self.providers[pid].parent_id
        return chain


def _has_label_filters(request):
    return bool(request.root_required or request.root_forbidden or any(
        g.required or g.forbidden or g.member_of or g.forbidden_aggs
        for g in request.groups))


def _single_providers_matching(conn, request, class_ids):
    """Providers that meet every group on their own (capacity per group,
    traits, aggregates, root traits): the whole answer's trees when no
    tree has children and nothing is shared. One query."""
    trait_ids = traits.ids_by_name(conn, request.trait_names())
    agg_uuids = set()
    for group in request.groups:
        agg_uuids |= group.forbidden_aggs
        agg_uuids = agg_uuids.union(*group.member_of)
    agg_ids = providers.aggregate_ids(conn, agg_uuids)

    def ids(names, known):
        return {known[n] for n in names if n in known}

    conditions = []
    for group in request.groups:
        for name, amount in group.resources.items():
            conditions.append(capacity.provider_has_room(
                rp.c.id, class_ids[name], amount))
        for any_of in group.required:
            conditions.append(providers.with_trait_any(ids(any_of,
                                                           trait_ids)))
        if group.forbidden:
            conditions.append(~providers.with_trait_any(
                ids(group.forbidden, trait_ids)))
        for any_of in group.member_of:
            conditions.append(providers.in_aggregates(ids(any_of, agg_ids)))
        if ids(group.forbidden_aggs, agg_ids):
            conditions.append(~providers.in_aggregates(
                ids(group.forbidden_aggs, agg_ids)))
    for any_of in request.root_required:
        conditions.append(providers.with_trait_any(ids(any_of, trait_ids)))
    if request.root_forbidden:
        conditions.append(~providers.with_trait_any(
            ids(request.root_forbidden, trait_ids)))
    return set(conn.execute(sa.select(rp.c.id).where(*conditions)).scalars())


def _roots_with_room(conn, class_ids, wanted):
    """Roots of the trees where some provider could take one of the
    requested amounts of its class: one query for all groups."""
    with_room = sa.union(*[capacity.providers_with_room(class_ids[name],
                                                        amount)
                           for name, amount in sorted(wanted)])
    return set(conn.execute(
        sa.select(rp.c.root_provider_id).distinct()
        .where(rp.c.id.in_(sa.select(with_room.subquery()))))
        .scalars())


TREES_PER_LOAD = 2000
FIRST_LOAD = 100


class LazyWorld:
    """The World, filled a slice of trees at a time.

    ``roots()`` yields the trees worth searching in id order, loading
    each slice of them (with the sharing providers anchored to them) just
    before it is needed, so that a request stopped by its limit has only
    read the trees it used: memory and time follow the answer, not the
    whole cloud.
    """

    def __init__(self, conn, request, class_ids):
        self.conn = conn
        self.request = request
        self.world = World(class_ids=class_ids)
        wanted = {(name, amount) for group in request.groups
                  for name, amount in group.resources.items()}
        self.requested = {name for name, _ in wanted}
        self._find_sharing()
        if (_has_label_filters(request) and not self.world.sharing
                and not has_nested_providers(conn)):
            # Every tree is one provider: it alone must meet every group,
            # and the trait and aggregate filters can be done in SQL.
            # (Without such filters the plain capacity query is cheaper.)
            roots = _single_providers_matching(conn, request, class_ids)
        else:
            roots = _roots_with_room(conn, class_ids, wanted)
        for anchored in self.world.anchors.values():
            roots |= anchored
        self.sharing_roots = {}  # anchor root → roots of its sharers
        for sharing, anchored in self.world.anchors.items():
            own = self.world.sharing_root[sharing]
            for root in anchored:
                self.sharing_roots.setdefault(root, set()).add(own)
        self._roots = sorted(roots)

    def _find_sharing(self):
        """Every sharing provider: one with room can serve resources, any
        can serve a resourceless group of the trees it is anchored to."""
        world, conn = self.world, self.conn
        for pid, root in conn.execute(
                sa.select(rp.c.id, rp.c.root_provider_id)
                .join(rpt, rpt.c.resource_provider_id == rp.c.id)
                .join(t, t.c.id == rpt.c.trait_id)
                .where(t.c.name == SHARING_TRAIT)):
            world.sharing.add(pid)
            world.sharing_root[pid] = root
        if world.sharing:
            other = rpa.alias('other')
            rows = conn.execute(
                sa.select(rpa.c.resource_provider_id, rp.c.root_provider_id)
                .distinct()
                .join(other, other.c.aggregate_id == rpa.c.aggregate_id)
                .join(rp, rp.c.id == other.c.resource_provider_id)
                .where(rpa.c.resource_provider_id.in_(sorted(world.sharing))))
            for sharing_id, root_id in rows:
                world.anchors.setdefault(sharing_id, set()).add(root_id)

    def roots(self):
        """Slices grow from a small first one, so a small limit reads few
        trees and a large answer takes few queries."""
        start, per_load = 0, min(FIRST_LOAD, TREES_PER_LOAD)
        while start < len(self._roots):
            part = self._roots[start:start + per_load]
            start += per_load
            per_load = min(per_load * 2, TREES_PER_LOAD)
            needed = set(part)
            for root in part:
                needed |= self.sharing_roots.get(root, set())
            self._load(needed - set(self.world.tree_members))
            yield from part

    def _load(self, roots):
        if not roots:
            return
        world = self.world
        new = _load_trees(self.conn, world, roots)
        # All inventory of every loaded provider: the search reads the
        # requested classes, the provider summaries read them all.
        for pid, classes in inventory_of(self.conn, new).items():
            world.all_inventory[pid] = classes
            for name, row in classes.items():
                if name in self.requested:
                    world.inventory[(pid, name)] = row
        _load_labels(self.conn, world, self.request, new)


def _load_trees(conn, world, roots):
    """Load the providers of these trees; return their ids."""
    new = []
    for chunk in _chunks(roots):
        rows = conn.execute(
            sa.select(rp.c.id, rp.c.uuid, rp.c.parent_provider_id,
                      rp.c.root_provider_id)
            .where(rp.c.root_provider_id.in_(chunk)))
        for row in rows:
            world.providers[row.id] = Provider(*row)
            world.tree_members.setdefault(row.root_provider_id, []).append(
                row.id)
            new.append(row.id)
    for root in roots:
        world.tree_members.setdefault(root, []).sort()
    return new


def _load_labels(conn, world, request, ids):
    """Traits and aggregates of the given providers."""
    for pid in ids:
        world.traits[pid] = set()
        world.aggregates[pid] = set()
    for chunk in _chunks(ids):
        rows = conn.execute(
            sa.select(rpt.c.resource_provider_id, t.c.name)
            .join(t, t.c.id == rpt.c.trait_id)
            .where(rpt.c.resource_provider_id.in_(chunk))
            .order_by(rpt.c.trait_id))
        for pid, name in rows:
            world.traits[pid].add(name)
            # Summaries list traits in trait id order, as upstream does.
            world.trait_order.setdefault(pid, []).append(name)
    if any(g.member_of or g.forbidden_aggs for g in request.groups):
        for chunk in _chunks(ids):
            rows = conn.execute(
                sa.select(rpa.c.resource_provider_id, agg.c.uuid)
                .join(agg, agg.c.id == rpa.c.aggregate_id)
                .where(rpa.c.resource_provider_id.in_(chunk)))
            for pid, uuid in rows:
                world.aggregates[pid].add(uuid)


def inventory_of(conn, provider_ids):
    """{pid: {class name: Inventory}} of all inventory, with usage: per
    chunk of providers, one query joining their summed allocations."""
    result = {pid: {} for pid in provider_ids}
    names = dict(conn.execute(sa.select(rc.c.id, rc.c.name)).all())
    for chunk in _chunks(provider_ids):
        usage = (sa.select(alloc.c.resource_provider_id,
                           alloc.c.resource_class_id,
                           sa.func.sum(alloc.c.used).label('used'))
                 .where(alloc.c.resource_provider_id.in_(chunk))
                 .group_by(alloc.c.resource_provider_id,
                           alloc.c.resource_class_id).subquery())
        rows = conn.execute(
            sa.select(inv.c.resource_provider_id, inv.c.resource_class_id,
                      inv.c.total, inv.c.reserved, inv.c.min_unit,
                      inv.c.max_unit, inv.c.step_size,
                      inv.c.allocation_ratio,
                      sa.func.coalesce(usage.c.used, 0))
            .outerjoin(usage, sa.and_(
                usage.c.resource_provider_id == inv.c.resource_provider_id,
                usage.c.resource_class_id == inv.c.resource_class_id))
            .where(inv.c.resource_provider_id.in_(chunk))
            .order_by(inv.c.resource_provider_id, inv.c.resource_class_id))
        for pid, class_id, total, reserved, min_unit, max_unit, step, \
                ratio, used in rows:
            result[pid][names[class_id]] = Inventory(
                total, reserved, min_unit, max_unit, step, ratio, int(used))
    return result


def has_nested_providers(conn):
    return conn.execute(sa.select(sa.literal(1)).where(sa.exists().where(
        rp.c.parent_provider_id.is_not(None)))).first() is not None
