"""Which trees are worth searching: the SQL that finds their roots.

Either one set-based query for all of them, or, when a limit bounds the
answer, a query read page by page in root id order whose tests are judged
provider by provider (conditions.found). Statements are built once per
request shape. Also the sharing providers and the trees they serve.
"""
import functools

import sqlalchemy as sa

from placement import capacity, providers
from placement.db.tables import (resource_provider_aggregates as rpa,
                                 resource_provider_traits as rpt,
                                 resource_providers as rp, traits as t)

SHARING_TRAIT = 'MISC_SHARES_VIA_AGGREGATE'


def has_label_filters(request):
    return bool(request.root_required or request.root_forbidden or any(
        g.required or g.forbidden or g.member_of or g.forbidden_aggs
        for g in request.groups))


def single_provider_tests(conn, request, class_ids, trait_ids):
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


# Where room for several classes is judged in one pass over their
# inventories (capacity.providers_with_room_for_all): measured faster on
# PostgreSQL and MariaDB, slower on SQLite than one IN per class.
ROOM_IN_ONE_PASS = frozenset(['postgresql', 'mysql', 'mariadb'])


@functools.lru_cache(maxsize=256)
def single_providers_query(tests, paged, one_pass=False):
    """SELECT of the providers meeting ``tests`` (ordered by id when read
    page by page). Schedulers repeat the same requests: each statement is
    built once. ``one_pass``: judge the room tests of distinct classes
    together (unpaged only; see ROOM_IN_ONE_PASS)."""
    # Paged, each test is judged provider by provider (conditions.found).
    room = capacity.room_per_provider if paged else capacity.provider_has_room
    conditions = []
    wanted = [tuple(args) for kind, *args in tests if kind == 'room']
    grouped = one_pass and not paged and len(wanted) > 1 and \
        len({class_id for class_id, _ in wanted}) == len(wanted)
    if grouped:
        # Each class once: one pass over their inventories.
        conditions.append(rp.c.id.in_(
            capacity.providers_with_room_for_all(tuple(wanted))))
    for kind, *args in tests:
        if kind == 'room':
            if not grouped:
                conditions.append(room(rp.c.id, *args))
        elif kind == 'traits':
            conditions.append(providers.with_trait_any(*args,
                                                       per_row=paged))
        elif kind == 'no traits':
            conditions.append(sa.not_(providers.with_trait_any(
                *args, per_row=paged)))
        elif kind == 'aggs':
            conditions.append(providers.in_aggregates(*args, per_row=paged))
        else:
            conditions.append(sa.not_(providers.in_aggregates(
                *args, per_row=paged)))
    query = sa.select(rp.c.id).where(*conditions)
    return query.order_by(rp.c.id) if paged else query


@functools.lru_cache(maxsize=256)
def roots_with_room_page(wanted):
    """SELECT of the roots of the trees where some provider could take
    one of the ``wanted`` (class id, amount), in root order, the room
    tests correlated per provider (for reading page by page)."""
    return (sa.select(rp.c.root_provider_id).distinct()
            .where(sa.or_(*[
                capacity.room_per_provider(rp.c.id, class_id, amount)
                for class_id, amount in wanted]))
            .order_by(rp.c.root_provider_id))


@functools.lru_cache(maxsize=256)
def _roots_with_room_query(wanted):
    with_room = sa.union(*[capacity.providers_with_room(class_id, amount)
                           for class_id, amount in wanted])
    return (sa.select(rp.c.root_provider_id).distinct()
            .where(rp.c.id.in_(sa.select(with_room.subquery()))))


def roots_with_room(conn, class_ids, wanted):
    """Roots of all the trees where some provider could take one of the
    requested amounts of its class: one set-based query for all groups."""
    return set(conn.execute(_roots_with_room_query(tuple(sorted(
        (class_ids[name], amount) for name, amount in wanted)))).scalars())


SHARING_PROVIDERS = (sa.select(rp.c.id, rp.c.root_provider_id)
                     .join(rpt, rpt.c.resource_provider_id == rp.c.id)
                     .join(t, t.c.id == rpt.c.trait_id)
                     .where(t.c.name == SHARING_TRAIT))


# Every tree (explain reads them all).
ALL_ROOTS = sa.select(rp.c.id).where(rp.c.id == rp.c.root_provider_id)

_ANY_NESTED = sa.select(sa.literal(1)).where(sa.exists().where(
    rp.c.parent_provider_id.is_not(None)))


# Neither a provider with a parent nor a sharing provider: one query.
_LONE_AND_UNSHARED = sa.select(sa.literal(1)).where(
    ~sa.exists().where(rp.c.parent_provider_id.is_not(None)),
    ~sa.exists(SHARING_PROVIDERS.with_only_columns(rp.c.id)))


def all_lone_and_unshared(conn):
    """Every tree is one provider and none is shared."""
    return conn.execute(_LONE_AND_UNSHARED).first() is not None


def has_nested_providers(conn):
    return conn.execute(_ANY_NESTED).first() is not None


def sharing_anchors(conn, sharing_ids):
    """(sharing provider, root) pairs: the trees each sharing provider
    serves, through the aggregates they share (its own tree included)."""
    other = rpa.alias('other')
    return conn.execute(
        sa.select(rpa.c.resource_provider_id, rp.c.root_provider_id)
        .distinct()
        .join(other, other.c.aggregate_id == rpa.c.aggregate_id)
        .join(rp, rp.c.id == other.c.resource_provider_id)
        .where(rpa.c.resource_provider_id.in_(sorted(sharing_ids)))).all()
