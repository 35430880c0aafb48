"""``fits`` with method ``sharing``: trees counted as ``tree`` counts
them, with the room of sharing providers lent to the trees that lack a
class.

A *lender* is a root provider without children that has the trait
MISC_SHARES_VIA_AGGREGATE. A tree is linked to a lender when one of its
(selected) providers shares an aggregate with it. For each requested
class a tree has no inventory of, the tree draws on the lenders it is
linked to; a tree with none of the requested classes is no unit of its
own (the lenders alone serve such a request).

The count allocates greedily: trees in the order of their root's id, each
taking as many requests as its own room and its lenders' remaining room
allow (lenders drawn on in id order), then each lender alone with what it
has left. Every count so reached can really be allocated, so it never
says more fit than do. It is exact (the most that fit) when the trees
that draw on lenders lack the same classes and are linked to the same
lenders, as in the usual deployment of one shared storage pool per
aggregate of compute nodes; otherwise another order could fit more.

Three queries: the room per provider and class, the lenders, the links.
The counting is in Python, over one row per inventory of the requested
classes on the selected providers.
"""
import collections

import sqlalchemy as sa

from placement import capacity, cloud_capacity
from placement.db.tables import (resource_provider_aggregates as rpa,
                                 resource_provider_traits as rpt,
                                 resource_providers as rp, traits as t)

SHARING_TRAIT = 'MISC_SHARES_VIA_AGGREGATE'


def _times(conn, conditions, wanted, group_by):
    """[(key, provider id, root id, class id, times)]."""
    rooms = cloud_capacity._rooms(conditions, wanted)
    source, keys = cloud_capacity._keyed(rooms, group_by)
    key = keys[0] if keys else sa.null().label('key')
    amount = sa.case({class_id: sa.literal(value, sa.Integer)
                      for class_id, value in wanted.items()},
                     value=rooms.c.class_id)
    return conn.execute(
        sa.select(key, rooms.c.provider_id, rooms.c.root_id,
                  rooms.c.class_id,
                  capacity.times_fit(amount, rooms.c.free, rooms)
                  .label('times'))
        .select_from(source)).all()


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


def _links(conn, conditions, lenders, group_by):
    """[(key, root id, lender id)]: a tree linked to a lender through one
    of its selected providers, keyed by that provider's group."""
    members = (sa.select(rp.c.id.label('provider_id'),
                         rp.c.root_provider_id.label('root_id'))
               .where(*conditions).subquery('members'))
    source, keys = cloud_capacity._keyed(members, group_by)
    key = keys[0] if keys else sa.null().label('key')
    mine, theirs = rpa.alias('mine'), rpa.alias('theirs')
    return conn.execute(
        sa.select(key, members.c.root_id,
                  theirs.c.resource_provider_id.label('lender'))
        .select_from(source.join(mine, mine.c.resource_provider_id
                                 == members.c.provider_id)
                     .join(theirs, theirs.c.aggregate_id
                           == mine.c.aggregate_id))
        .where(theirs.c.resource_provider_id.in_(sorted(lenders)),
               members.c.root_id != theirs.c.resource_provider_id)
        .distinct()).all()


def count(trees, lent, links, wanted):
    """{unit id: how many fit} by the greedy rule above.

    ``trees`` {root id: {class id: times}} (lenders not among them),
    ``lent`` {lender id: {class id: times}}, ``links`` {root id: set of
    lender ids}, ``wanted`` the requested class ids.
    """
    left = {lender: dict(room) for lender, room in lent.items()}
    fits = {}
    for root in sorted(trees):
        own = trees[root]
        lacking = [cls for cls in wanted if cls not in own]
        lenders = sorted(links.get(root, ()))
        most = min(own[cls] for cls in wanted if cls in own)
        for cls in lacking:
            most = min(most, sum(left[lender].get(cls, 0)
                                 for lender in lenders if lender in left))
        if most <= 0:
            continue
        for cls in lacking:
            need = most
            for lender in lenders:
                room = left.get(lender, {})
                taken = min(need, room.get(cls, 0))
                if taken:
                    room[cls] -= taken
                    need -= taken
        fits[root] = most
    for lender, room in left.items():
        if all(cls in room for cls in wanted):
            most = min(room[cls] for cls in wanted)
            if most > 0:
                fits[lender] = most
    return fits


def fits_by_key(conn, conditions, wanted, group_by=None):
    """{key: {unit id: how many fit}} (key None without ``group_by``);
    units where none fits are left out."""
    lenders = _lenders(conn, conditions)
    trees = collections.defaultdict(
        lambda: collections.defaultdict(lambda: collections.defaultdict(int)))
    lent = collections.defaultdict(dict)
    for key, provider, root, cls, times in _times(
            conn, conditions, wanted, group_by):
        if provider in lenders:
            lent[key].setdefault(provider, {})[cls] = int(times)
        else:
            trees[key][root][cls] += int(times)
    links = collections.defaultdict(lambda: collections.defaultdict(set))
    if lenders:
        for key, root, lender in _links(conn, conditions, lenders,
                                        group_by):
            links[key][root].add(lender)
    return {key: count(trees.get(key, {}), lent.get(key, {}),
                       links.get(key, {}), wanted)
            for key in set(trees) | set(lent)}
