"""``fits`` with method ``sharing``: trees counted as ``tree`` counts
them, with the room of sharing providers lent to the trees that lack a
class.

A *lender* is a root provider without children that has the trait
MISC_SHARES_VIA_AGGREGATE. A tree is linked to a lender when one of its
(selected) providers shares an aggregate with it. For each requested
class a tree has no inventory of, the tree draws on the lenders it is
linked to; a tree with none of the requested classes is no unit of its
own (the lenders alone serve such a request).

The count allocates greedily: the trees that lack a class (borrowers) in
the order of their root's id, each taking as many requests as its own
room and its lenders' remaining room allow (lenders drawn on in id
order), then each lender alone with what it has left; trees that lack
nothing take what they hold, as ``tree`` counts. Every count so reached
can really be allocated, so it never says more fit than do. It is exact
(the most that fit) when the borrowers lack the same classes and are
linked to the same lenders, as in the usual deployment of one shared
storage pool per aggregate of compute nodes; otherwise another order
could fit more.

Set-based where the cloud is big: the trees that lack nothing are summed
and ranked in SQL; only borrowers and lenders come to Python (none of
either, and nothing comes, in a cloud without sharing providers).
"""
import collections

import sqlalchemy as sa

from placement import capacity, cloud_capacity
from placement.db import id_list
from placement.db.tables import (resource_provider_aggregates as rpa,
                                 resource_provider_traits as rpt,
                                 resource_providers as rp, traits as t)

SHARING_TRAIT = 'MISC_SHARES_VIA_AGGREGATE'
# A typed NULL: PostgreSQL takes an untyped one in a UNION's subquery for
# text, which then does not match the other part's numbers.
_NO_NUMBER = sa.cast(sa.null(), sa.BigInteger)


def _times(rooms, wanted):
    amount = sa.case({class_id: sa.literal(value, sa.Integer)
                      for class_id, value in wanted.items()},
                     value=rooms.c.class_id)
    return capacity.times_fit(amount, rooms.c.free, rooms)


def _key(keys):
    return keys[0] if keys else sa.null().label('key')


def _lenders(conn, conditions):
    """The ids of the selected lenders."""
    child = rp.alias('child')
    # Aliased, so that trait conditions among ``conditions`` (subqueries
    # on resource_provider_traits) still correlate to resource_providers.
    has, trait = rpt.alias('has'), t.alias('trait')
    return set(conn.execute(
        sa.select(rp.c.id)
        .join(has, has.c.resource_provider_id == rp.c.id)
        .join(trait, trait.c.id == has.c.trait_id)
        .where(trait.c.name == SHARING_TRAIT,
               rp.c.parent_provider_id.is_(None),
               ~sa.exists().where(child.c.parent_provider_id == rp.c.id),
               *conditions)).scalars())


def _trees(conditions, wanted, group_by):
    """Select of (unit, key, fits, mask) per tree (lenders left out):
    ``fits`` the least over the classes it has of the requests its
    providers take, ``mask`` a bit per requested class it has."""
    rooms = cloud_capacity._rooms(
        list(conditions) + [~id_list.in_ids(rp.c.id, 'lenders')], wanted)
    source, keys = cloud_capacity._keyed(rooms, group_by)
    keys = keys[:1]
    per_class = (sa.select(rooms.c.root_id.label('unit'), *keys,
                           rooms.c.class_id,
                           sa.func.sum(_times(rooms, wanted)).label('times'))
                 .select_from(source)
                 .group_by(rooms.c.root_id, *keys, rooms.c.class_id)
                 .subquery('per_class'))
    key_cols = [per_class.c.key] if keys else []
    bit = sa.case({class_id: 1 << index
                   for index, class_id in enumerate(sorted(wanted))},
                  value=per_class.c.class_id)
    return (sa.select(per_class.c.unit,
                      *(key_cols or [sa.null().label('key')]),
                      sa.func.min(per_class.c.times).label('fits'),
                      sa.func.sum(bit).label('mask'))
            .group_by(per_class.c.unit, *key_cols))


def _links(conn, conditions, roots, group_by, params):
    """{key: {root id: lender ids}}: the lenders sharing an aggregate with
    a selected provider of each tree in ``roots``, keyed by that
    provider's group."""
    members = (sa.select(rp.c.id.label('provider_id'),
                         rp.c.root_provider_id.label('root_id'))
               .where(*conditions,
                      id_list.in_ids(rp.c.root_provider_id, 'roots'))
               .subquery('members'))
    source, keys = cloud_capacity._keyed(members, group_by)
    mine, theirs = rpa.alias('mine'), rpa.alias('theirs')
    rows = conn.execute(
        sa.select(_key(keys[:1]), members.c.root_id,
                  theirs.c.resource_provider_id)
        .select_from(source.join(mine, mine.c.resource_provider_id
                                 == members.c.provider_id)
                     .join(theirs, theirs.c.aggregate_id
                           == mine.c.aggregate_id))
        .where(id_list.in_ids(theirs.c.resource_provider_id, 'lenders'))
        .distinct(), dict(params, roots=id_list.encode(roots)))
    found = collections.defaultdict(lambda: collections.defaultdict(set))
    for key, root, lender in rows:
        found[key][root].add(lender)
    return found


class Pools:
    """The lenders' room left, with the sum per (lenders, class) kept up
    to date as they are drawn on (many trees share one set of lenders)."""

    def __init__(self, lent):
        self.left = {lender: dict(room) for lender, room in lent.items()}
        self.sums = {}
        self.pools = collections.defaultdict(list)

    def room(self, lenders, cls):
        pool = (lenders, cls)
        if pool not in self.sums:
            self.sums[pool] = sum(self.left.get(lender, {}).get(cls, 0)
                                  for lender in lenders)
            for lender in lenders:
                self.pools[lender, cls].append(pool)
        return self.sums[pool]

    def draw(self, lenders, cls, need):
        for lender in lenders:
            if not need:
                return
            room = self.left.get(lender, {})
            taken = min(need, room.get(cls, 0))
            if taken:
                room[cls] -= taken
                need -= taken
                for pool in self.pools[lender, cls]:
                    self.sums[pool] -= taken


def count(borrowers, lent, links, wanted):
    """{unit id: how many fit} for the borrowers and lenders, by the
    greedy rule above.

    ``borrowers`` {root id: (fits on its own classes, [classes it
    lacks])}, ``lent`` {lender id: {class id: times}}, ``links`` {root id:
    lender ids}, ``wanted`` the requested class ids.
    """
    pools = Pools(lent)
    fits = {}
    for root in sorted(borrowers):
        most, lacking = borrowers[root]
        lenders = tuple(sorted(links.get(root, ())))
        if not lenders:
            continue
        for cls in lacking:
            most = min(most, pools.room(lenders, cls))
        if most <= 0:
            continue
        for cls in lacking:
            pools.draw(lenders, cls, most)
        fits[root] = most
    for lender, room in pools.left.items():
        if all(cls in room for cls in wanted):
            most = min(room[cls] for cls in wanted)
            if most > 0:
                fits[lender] = most
    return fits


class Sharing:
    """The counts for one request over the selected providers: the trees
    pass over the inventories once (a common table expression both parts
    of one query read), the trees that lack nothing counted in SQL, the
    borrowers and lenders in Python."""

    def __init__(self, conn, conditions, wanted, group_by=None):
        self.conn = conn
        self.conditions = conditions
        self.wanted = wanted
        self.group_by = group_by
        self.lenders = _lenders(conn, conditions)
        self.params = {'lenders': id_list.encode(self.lenders)}
        self.trees = _trees(conditions, wanted, group_by).cte('trees')
        self.full = (1 << len(wanted)) - 1

    def whole_trees(self):
        """The trees that lack no class, as a WHERE clause on trees."""
        return sa.and_(self.trees.c.mask == self.full, self.trees.c.fits > 0)

    def run(self, whole):
        """([rows of ``whole``], {key: {unit id: fits}} lent).

        ``whole`` selects, from the trees that lack nothing, the columns
        (key, unit, rank, fits, total) a caller wants; the borrowers come
        in the same query."""
        trees = self.trees
        parts = [sa.select(sa.literal(1).label('part'), whole.c.key,
                           whole.c.unit, whole.c.rank, whole.c.fits,
                           whole.c.total)]
        if self.lenders:
            parts.append(sa.select(
                sa.literal(2), trees.c.key, trees.c.unit, _NO_NUMBER,
                trees.c.fits, trees.c.mask)
                .where(trees.c.mask != self.full, trees.c.fits > 0))
        query = sa.union_all(*parts) if len(parts) > 1 else parts[0]
        rows, borrowers = [], collections.defaultdict(dict)
        classes = sorted(self.wanted)
        for part, key, unit, rank, fits, extra in self.conn.execute(
                query, self.params):
            if part == 1:
                rows.append((key, unit, rank, int(fits), extra))
                continue
            mask = int(extra)
            borrowers[key][unit] = (int(fits), [
                cls for index, cls in enumerate(classes)
                if not mask & (1 << index)])
        if not self.lenders:
            return rows, {}
        roots = {root for found in borrowers.values() for root in found}
        links = _links(self.conn, self.conditions, roots, self.group_by,
                       self.params) if roots else {}
        lent = self._lent()
        return rows, {key: count(borrowers.get(key, {}), lent.get(key, {}),
                                 links.get(key, {}), self.wanted)
                      for key in set(borrowers) | set(lent)}

    def _lent(self):
        """{key: {lender id: {class id: times}}}: what each lender has."""
        rooms = cloud_capacity._rooms(
            list(self.conditions) + [id_list.in_ids(rp.c.id, 'lenders')],
            self.wanted)
        source, keys = cloud_capacity._keyed(rooms, self.group_by)
        found = collections.defaultdict(dict)
        for key, lender, cls, times in self.conn.execute(
                sa.select(_key(keys[:1]), rooms.c.provider_id,
                          rooms.c.class_id, _times(rooms, self.wanted))
                .select_from(source), self.params):
            found[key].setdefault(lender, {})[cls] = int(times)
        return found


def fits(conn, conditions, wanted, top):
    """(how many fit, the ``top`` units where most do), as
    ``cloud_capacity.fits`` answers."""
    sharing = Sharing(conn, conditions, wanted)
    trees = sharing.trees
    order = (trees.c.fits.desc(), rp.c.name, rp.c.uuid)
    whole = (sa.select(trees.c.key, trees.c.unit,
                       sa.func.row_number().over(order_by=order)
                       .label('rank'), trees.c.fits,
                       sa.func.sum(trees.c.fits).over().label('total'))
             .join(rp, rp.c.id == trees.c.unit)
             .where(sharing.whole_trees())
             .order_by(*order).limit(max(top, 1)).subquery('whole'))
    rows, lent = sharing.run(whole)
    rows.sort(key=lambda row: row[2])
    total = int(rows[0][4]) if rows else 0
    counts = {unit: fits for _, unit, _, fits, _ in rows[:top]}
    lent = lent.get(None, {})
    total += sum(lent.values())
    counts.update(lent)
    return total, cloud_capacity.top_units(conn, counts, top) if top else []


def fits_by_group(conn, conditions, wanted, group_by):
    """{key: how many fit on the group's providers}."""
    sharing = Sharing(conn, conditions, wanted, group_by)
    trees = sharing.trees
    whole = (sa.select(trees.c.key, _NO_NUMBER.label('unit'),
                       _NO_NUMBER.label('rank'),
                       sa.func.sum(trees.c.fits).label('fits'),
                       _NO_NUMBER.label('total'))
             .where(sharing.whole_trees()).group_by(trees.c.key)
             .subquery('whole'))
    rows, lent = sharing.run(whole)
    found = collections.Counter({key: fits for key, _, _, fits, _ in rows})
    for key, counts in lent.items():
        found[key] += sum(counts.values())
    return dict(found)
