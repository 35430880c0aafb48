"""The SQL side of the candidate search: which trees are worth searching,
and their contents, read a slice of trees at a time.

A ``LazyWorld`` fills a ``World`` (providers of the trees, their
inventories with usage, traits and aggregates, the sharing providers and
the trees they are anchored to) slice by slice as the search asks for
trees. The roots come from one set-based query, or, when a limit bounds
the answer, page by page in id order. Each slice costs a fixed number of
queries whatever its size (the root ids travel as one JSON parameter);
nothing here loops over providers issuing queries.
"""
import bisect
import collections
import dataclasses
import functools

import sqlalchemy as sa

from placement import capacity, providers, traits
from placement.db import id_list, raw_rows
from placement.db.tables import (allocations as alloc,
                                 inventories as inv,
                                 placement_aggregates as agg,
                                 resource_classes as rc,
                                 resource_provider_aggregates as rpa,
                                 resource_provider_traits as rpt,
                                 resource_providers as rp, traits as t)

SHARING_TRAIT = 'MISC_SHARES_VIA_AGGREGATE'

Provider = collections.namedtuple('Provider', 'id uuid parent_id root_id')
Inventory = collections.namedtuple(
    'Inventory', 'total reserved min_unit max_unit step_size allocation_ratio '
                 'used capacity')


def inventory_row(total, reserved, min_unit, max_unit, step_size, ratio,
                  used):
    """capacity is int((total - reserved) * allocation_ratio), as provider
    summaries show it; ``used + amount <= capacity`` is the same test as
    the SQL one on the float product, both sides being whole numbers."""
    return Inventory(total, reserved, min_unit, max_unit, step_size, ratio,
                     int(used), int((total - reserved) * ratio))


def room_for(row, amount, already=0):
    """``amount`` more (on top of ``already`` in this candidate) fits."""
    return (row.min_unit <= amount <= row.max_unit
            and amount % row.step_size == 0
            and row.used + already + amount <= row.capacity)


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

    sharers_of: dict = dataclasses.field(default_factory=dict)  # root id → set(sharing pids)
    with_trait: dict = dataclasses.field(default_factory=dict)  # trait name → set(pids)
    in_aggregate: dict = dataclasses.field(default_factory=dict)  # agg uuid → set(pids)
    lineages: dict = dataclasses.field(default_factory=dict)   # pid → frozenset

    def ancestors(self, pid):
        """pid and its ancestors, nearest first."""
        chain = []
        while pid is not None:
            chain.append(pid)
            pid = self.providers[pid].parent_id
        return chain

    def lineage(self, pid):
        """The set of pid and its ancestors (remembered)."""
        found = self.lineages.get(pid)
        if found is None:
            found = self.lineages[pid] = frozenset(self.ancestors(pid))
        return found


def _has_label_filters(request):
    return bool(request.root_required or request.root_forbidden or any(
        g.required or g.forbidden or g.member_of or g.forbidden_aggs
        for g in request.groups))


def _single_provider_tests(conn, request, class_ids, trait_ids):
    """What a provider must meet on its own to meet every group (room per
    group, traits, aggregates, root traits), as a hashable tuple of tests:
    ('room', class id, amount), ('traits', ids) any of, ('no traits',
    ids), ('aggs', ids) any of, ('no aggs', ids). When no tree has
    children and nothing is shared, the providers meeting them are
    exactly the answer's trees."""
    agg_uuids = set()
    for group in request.groups:
        agg_uuids |= group.forbidden_aggs
        agg_uuids = agg_uuids.union(*group.member_of)
    agg_ids = providers.aggregate_ids(conn, agg_uuids)

    def ids(names, known):
        return frozenset(known[n] for n in names if n in known)

    tests = []
    for group in request.groups:
        for name, amount in sorted(group.resources.items()):
            tests.append(('room', class_ids[name], amount))
        for any_of in group.required:
            tests.append(('traits', ids(any_of, trait_ids)))
        if group.forbidden:
            tests.append(('no traits', ids(group.forbidden, trait_ids)))
        for any_of in group.member_of:
            tests.append(('aggs', ids(any_of, agg_ids)))
        if ids(group.forbidden_aggs, agg_ids):
            tests.append(('no aggs', ids(group.forbidden_aggs, agg_ids)))
    for any_of in request.root_required:
        tests.append(('traits', ids(any_of, trait_ids)))
    if request.root_forbidden:
        tests.append(('no traits', ids(request.root_forbidden, trait_ids)))
    return tuple(tests)


@functools.lru_cache(maxsize=256)
def _single_providers_query(tests, paged):
    """SELECT of the providers meeting ``tests`` (ordered by id when read
    page by page). Schedulers repeat the same requests: each statement is
    built once."""
    if paged:
        # Each test judged provider by provider (see capacity.found).
        room = capacity.room_exists

        def trait_any(ids):
            return capacity.found(sa.select(sa.literal(1)).select_from(rpt)
                                  .where(rpt.c.resource_provider_id == rp.c.id,
                                         rpt.c.trait_id.in_(sorted(ids))))

        def in_aggregates(ids):
            return capacity.found(sa.select(sa.literal(1)).select_from(rpa)
                                  .where(rpa.c.resource_provider_id == rp.c.id,
                                         rpa.c.aggregate_id.in_(sorted(ids))))
    else:
        room = capacity.provider_has_room
        trait_any, in_aggregates = (providers.with_trait_any,
                                    providers.in_aggregates)
    conditions = []
    for kind, *args in tests:
        if kind == 'room':
            conditions.append(room(rp.c.id, *args))
        elif kind == 'traits':
            conditions.append(trait_any(*args))
        elif kind == 'no traits':
            conditions.append(sa.not_(trait_any(*args)))
        elif kind == 'aggs':
            conditions.append(in_aggregates(*args))
        else:
            conditions.append(sa.not_(in_aggregates(*args)))
    query = sa.select(rp.c.id).where(*conditions)
    return query.order_by(rp.c.id) if paged else query


@functools.lru_cache(maxsize=256)
def _roots_with_room_page(wanted):
    """SELECT of the roots of the trees where some provider could take
    one of the ``wanted`` (class id, amount), in root order, the room
    tests correlated per provider (for reading page by page)."""
    return (sa.select(rp.c.root_provider_id).distinct()
            .where(sa.or_(*[capacity.room_exists(rp.c.id, class_id, amount)
                            for class_id, amount in wanted]))
            .order_by(rp.c.root_provider_id))


@functools.lru_cache(maxsize=256)
def _roots_with_room_query(wanted):
    with_room = sa.union(*[capacity.providers_with_room(class_id, amount)
                           for class_id, amount in wanted])
    return (sa.select(rp.c.root_provider_id).distinct()
            .where(rp.c.id.in_(sa.select(with_room.subquery()))))


def _roots_with_room(conn, class_ids, wanted):
    """Roots of all the trees where some provider could take one of the
    requested amounts of its class: one set-based query for all groups."""
    return set(conn.execute(_roots_with_room_query(tuple(sorted(
        (class_ids[name], amount) for name, amount in wanted)))).scalars())


_SHARING_PROVIDERS = (sa.select(rp.c.id, rp.c.root_provider_id)
                      .join(rpt, rpt.c.resource_provider_id == rp.c.id)
                      .join(t, t.c.id == rpt.c.trait_id)
                      .where(t.c.name == SHARING_TRAIT))

# With a limit, slices grow from FIRST_LOAD trees (or the limit, if
# smaller) up to TREES_PER_LOAD, so a small limit reads few trees. Without
# one every tree is in the answer, and all are loaded at once: the number
# of queries stays the same however many trees there are. (Tests set
# WHOLE_LOAD to slice unlimited requests too.)
TREES_PER_LOAD = 2000
FIRST_LOAD = 100
WHOLE_LOAD = None


class LazyWorld:
    """The World, filled a slice of trees at a time.

    ``roots()`` yields the trees worth searching in id order, loading
    each slice of them (with the sharing providers anchored to them) just
    before it is needed, so that a request stopped by its limit has only
    read the trees it used: memory and time follow the answer, not the
    whole cloud.
    """

    def __init__(self, conn, request, class_ids, trait_ids, maximum=None,
                 class_names=None):
        """``maximum``: the most candidates that will be taken (None: all).
        With a maximum, roots are read page by page in id order; without,
        all at once by a set-based query."""
        self.conn = conn
        self.request = request
        self.world = World(class_ids=class_ids)
        self.listeners = []  # called with (pids, holders) after each load
        self.class_names = class_names  # id → name (else read when needed)
        self.first_load = max(1, min(maximum or FIRST_LOAD, FIRST_LOAD))
        self.limited = maximum is not None
        wanted = {(name, amount) for group in request.groups
                  for name, amount in group.resources.items()}
        self.requested = {name for name, _ in wanted}
        self._find_sharing()
        self.sharing_roots = {}  # anchor root → roots of its sharers
        # With a maximum, read the roots page by page in id order (the
        # tests judged provider by provider, so a page stops early).
        paged = maximum is not None
        self._listed, self._page_query = None, None
        if self.world.sharing:
            # Trees anchored to sharing providers count even without room
            # of their own: all the roots are listed up front.
            roots = _roots_with_room(conn, class_ids, wanted)
            for anchored in self.world.anchors.values():
                roots |= anchored
            for sharing, anchored in self.world.anchors.items():
                own = self.world.sharing_root[sharing]
                for root in anchored:
                    self.sharing_roots.setdefault(root, set()).add(own)
            self._listed = sorted(roots)
        elif (_has_label_filters(request)
                and not has_nested_providers(conn)):
            # Every tree is one provider: it alone must meet every group,
            # and the trait and aggregate filters can be done in SQL.
            query = _single_providers_query(_single_provider_tests(
                conn, request, class_ids, trait_ids), paged)
            if paged:
                self._page_query = (query, rp.c.id)
            else:
                self._listed = sorted(conn.execute(query).scalars())
        elif paged:
            self._page_query = (_roots_with_room_page(tuple(sorted(
                (class_ids[name], amount) for name, amount in wanted))),
                rp.c.root_provider_id)
        else:
            self._listed = sorted(_roots_with_room(conn, class_ids, wanted))

    def _next_roots(self, after, count):
        """The next ``count`` roots worth searching after root id ``after``
        (read page by page, so a limit stops the reading early)."""
        if self._listed is not None:
            start = bisect.bisect_right(self._listed, after)
            return self._listed[start:start + count]
        query, column = self._page_query
        return self.conn.execute(
            query.where(column > after).limit(count)).scalars().all()

    def _find_sharing(self):
        """Every sharing provider: one with room can serve resources, any
        can serve a resourceless group of the trees it is anchored to."""
        world, conn = self.world, self.conn
        for pid, root in conn.execute(_SHARING_PROVIDERS):
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
                world.sharers_of.setdefault(root_id, set()).add(sharing_id)

    def roots(self):
        """The roots in id order, each slice of trees loaded just before
        its roots are given out."""
        if self.limited:
            after, per_load = -1, min(self.first_load, TREES_PER_LOAD)
            most = TREES_PER_LOAD
        else:
            after = -1
            per_load = most = WHOLE_LOAD or max(1, len(self._listed))
        while True:
            part = self._next_roots(after, per_load)
            if not part:
                return
            after = part[-1]
            needed = set(part)
            for root in part:
                needed |= self.sharing_roots.get(root, set())
            self._load(needed - set(self.world.tree_members))
            yield from part
            if len(part) < per_load:
                return
            per_load = min(per_load * 2, most)

    def _load(self, roots):
        if not roots:
            return
        world = self.world
        param = {'roots': id_list.encode(roots)}
        new = _load_trees(self.conn, world, param)
        # All inventory of every loaded provider: the search reads the
        # requested classes, the provider summaries read them all.
        holders = {}  # requested class → pids of the slice having some
        if self.class_names is None:
            self.class_names = dict(self.conn.execute(
                sa.select(rc.c.id, rc.c.name)).all())
        for pid, classes in inventory_of(self.conn, new, param,
                                         self.class_names).items():
            world.all_inventory[pid] = classes
            for name, row in classes.items():
                if name in self.requested:
                    world.inventory[(pid, name)] = row
                    holders.setdefault(name, []).append(pid)
        _load_labels(self.conn, world, self.request, param)
        for listener in self.listeners:
            listener(new, holders)


_TREE_PROVIDERS = (
    sa.select(rp.c.id, rp.c.uuid, rp.c.parent_provider_id,
              rp.c.root_provider_id)
    .where(id_list.in_ids(rp.c.root_provider_id, 'roots'))
    .order_by(rp.c.id))

_USED = (sa.select(sa.func.coalesce(sa.func.sum(alloc.c.used),
                                    sa.literal_column('0')))
         .where(alloc.c.resource_provider_id == inv.c.resource_provider_id,
                alloc.c.resource_class_id == inv.c.resource_class_id)
         .scalar_subquery())

_TREE_INVENTORY = (
    sa.select(inv.c.resource_provider_id, inv.c.resource_class_id,
              inv.c.total, inv.c.reserved, inv.c.min_unit, inv.c.max_unit,
              inv.c.step_size, inv.c.allocation_ratio, _USED)
    .join(rp, rp.c.id == inv.c.resource_provider_id)
    .where(id_list.in_ids(rp.c.root_provider_id, 'roots')))

# Summaries list traits in trait id order, as upstream does.
_TREE_TRAITS = (
    sa.select(rpt.c.resource_provider_id, t.c.name)
    .join(t, t.c.id == rpt.c.trait_id)
    .join(rp, rp.c.id == rpt.c.resource_provider_id)
    .where(id_list.in_ids(rp.c.root_provider_id, 'roots'))
    .order_by(rpt.c.trait_id))

_TREE_AGGREGATES = (
    sa.select(rpa.c.resource_provider_id, agg.c.uuid)
    .join(agg, agg.c.id == rpa.c.aggregate_id)
    .join(rp, rp.c.id == rpa.c.resource_provider_id)
    .where(id_list.in_ids(rp.c.root_provider_id, 'roots')))


def _load_trees(conn, world, roots):
    """Load the providers of these trees; return their ids."""
    new = []
    members = world.tree_members
    for row in raw_rows.fetch_all(conn, _TREE_PROVIDERS, roots):
        world.providers[row[0]] = Provider(*row)
        members.setdefault(row[3], []).append(row[0])
        new.append(row[0])
    return new


def _load_labels(conn, world, request, roots):
    """Traits and aggregates of the providers of these trees (a provider
    without any has no entry)."""
    traits, order, with_trait = (world.traits, world.trait_order,
                                 world.with_trait)
    for pid, name in raw_rows.fetch_all(conn, _TREE_TRAITS, roots):
        names = order.get(pid)
        if names is None:
            order[pid] = [name]
            traits[pid] = {name}
        else:
            names.append(name)
            traits[pid].add(name)
        members = with_trait.get(name)
        if members is None:
            with_trait[name] = {pid}
        else:
            members.add(pid)
    if any(g.member_of or g.forbidden_aggs for g in request.groups):
        aggregates, members_of = world.aggregates, world.in_aggregate
        for pid, uuid in raw_rows.fetch_all(conn, _TREE_AGGREGATES, roots):
            aggregates.setdefault(pid, set()).add(uuid)
            members_of.setdefault(uuid, set()).add(pid)


def inventory_of(conn, provider_ids, roots, class_names):
    """{pid: {class name: Inventory}} of all inventory of the trees, with
    usage, in one query."""
    result = {pid: {} for pid in provider_ids}
    make = Inventory
    for pid, class_id, total, reserved, min_unit, max_unit, step, ratio, \
            used in raw_rows.fetch_all(conn, _TREE_INVENTORY, roots):
        # As inventory_row, written out: this runs for every row.
        result[pid][class_names[class_id]] = make(
            total, reserved, min_unit, max_unit, step, ratio, int(used),
            int((total - reserved) * ratio))
    return result


_ANY_NESTED = sa.select(sa.literal(1)).where(sa.exists().where(
    rp.c.parent_provider_id.is_not(None)))


def has_nested_providers(conn):
    return conn.execute(_ANY_NESTED).first() is not None
