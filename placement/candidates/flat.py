"""Allocation candidates in a cloud of lone providers, answered without
building trees.

When no provider has a parent and none is shared (most clouds that do not
model NUMA, devices or shared storage), every tree is one provider and a
request whose groups all ask for resources has at most one candidate per
provider: that provider serving every group. Which providers give one is
then exactly what roots.single_provider_tests say, all judged in SQL; the
answer needs only their uuids and traits (read with them, the traits
as one column: db/trait_list.py) and their inventories with usage, read
as plain rows and written straight to JSON text.

``applies`` says when this holds; otherwise the general search (search.py,
eligible.py, combine.py) answers, and the tests hold both to the same
answers.
"""
import functools
import random

import sqlalchemy as sa

from placement.candidates import roots as root_sql, trees as tree_sql
from placement.candidates.render import Names
from placement.db import id_list, raw_rows, trait_list
from placement.db.tables import inventories as inv, resource_providers as rp

MOST_ROWS = 2 ** 31 - 1

# Inventory of the chosen providers with usage (capacity is computed in
# Python, as everywhere else: int((total - reserved) * ratio)).
INVENTORY = (
    sa.select(inv.c.resource_provider_id, inv.c.resource_class_id,
              inv.c.total, inv.c.reserved, inv.c.allocation_ratio,
              tree_sql.USED)
    .where(id_list.in_ids(inv.c.resource_provider_id, 'pids')))


def applies(conn, request, version, in_tree_roots):
    """Whether this path gives the general search's answer: every group
    asks for resources, no class is asked by two groups (their sum would
    need checking), no in_tree, no isolation between several suffixed
    groups, allocation requests as objects (1.12), no sharing provider
    and no nested provider anywhere."""
    if version < (1, 12) or in_tree_roots:
        return False
    seen = set()
    for group in request.groups:
        if not group.resources or seen & set(group.resources):
            return False
        seen |= set(group.resources)
    suffixed = sum(1 for group in request.groups if group.suffix)
    if suffixed > 1 and request.group_policy == 'isolate':
        return False
    return root_sql.all_lone_and_unshared(conn)


@functools.lru_cache(maxsize=256)
def _chosen_query(tests, paged, one_pass):
    """(id, uuid, trait ids) of the providers meeting ``tests``; ordered
    by id and judged provider by provider when ``paged`` (a LIMIT
    follows)."""
    query = root_sql.single_providers_query(tests, paged, one_pass)
    return query.add_columns(rp.c.uuid, trait_list.TraitIds(rp.c.id))


@functools.lru_cache(maxsize=256)
def _limited_query(tests):
    """``_chosen_query`` page by page, up to parameter ``most`` rows (one
    statement whatever the limit: SQLAlchemy keys each new statement
    anew, a tenth of a millisecond for this one)."""
    return _chosen_query(tests, True, False).limit(
        sa.bindparam('most', type_=sa.Integer))


def chosen(conn, request, class_ids, trait_ids, maximum):
    """[(id, uuid, trait ids)] of the providers that give a
    candidate, in id order; at most ``maximum`` (None: all)."""
    tests = root_sql.single_provider_tests(conn, request, class_ids,
                                           trait_ids)
    one_pass = conn.dialect.name in root_sql.ROOM_IN_ONE_PASS
    if maximum is None:
        found = conn.execute(_chosen_query(tests, False, one_pass))
    else:
        # A limit past any integer column is only a limit.
        found = conn.execute(_limited_query(tests),
                             {'most': min(maximum, MOST_ROWS)})
    # Plain tuples, fetched all at once (row by row, PostgreSQL's driver
    # took a call per row): they sort and unpack faster than result rows.
    rows = list(map(tuple, found.fetchall()))
    if maximum is None:
        rows.sort()
    return rows


def answer(conn, request, version, class_ids, trait_ids, class_names,
           maximum, randomize):
    """The whole response body as JSON text, and the candidate count."""
    rows = chosen(conn, request, class_ids, trait_ids, maximum)
    if randomize:
        random.shuffle(rows)
    if request.limit:
        rows = rows[:request.limit]
    in_order = sorted(rows) if randomize else rows
    param = {'pids': id_list.encode([row[0] for row in rows])}
    names = Names()
    resources = _resources(conn, version, param, class_names, names,
                           request.class_names())
    with_traits = version >= (1, 17)
    written = {}  # nodes alike carry the same traits: each written once
    trait_names = trait_list.names_by_id(
        conn, {row[2] for row in rows}) if with_traits else {}
    summaries = []
    for pid, uuid, traits in in_order:
        text = f'"{uuid}":{{"resources":{{{resources.get(pid, "")}}}'
        if with_traits:
            listed = written.get(traits)
            if listed is None:
                listed = written[traits] = ','.join([
                    names[name] for name in trait_list.named(traits,
                                                             trait_names)])
            text = f'{text},"traits":[{listed}]'
        if version >= (1, 29):
            text = (f'{text},"parent_provider_uuid":null,'
                    f'"root_provider_uuid":"{uuid}"')
        summaries.append(text + '}')
    return ('{"allocation_requests":%s,"provider_summaries":{%s}}' % (
        _requests(request, version, rows, names), ','.join(summaries)),
        len(rows))


def _requests(request, version, rows, names):
    """Every candidate is one provider given every group's amounts."""
    amounts = ','.join(f'{names[name]}:{amount}'
                       for group in request.groups
                       for name, amount in group.resources.items())
    if version >= (1, 34):
        suffixes = [names[group.suffix] for group in request.groups]
        return '[%s]' % ','.join([
            f'{{"allocations":{{"{uuid}":{{"resources":{{{amounts}}}}}}},'
            f'"mappings":{{%s}}}}' % ','.join(
                [f'{suffix}:["{uuid}"]' for suffix in suffixes])
            for _, uuid, _ in rows])
    return '[%s]' % ','.join([
        f'{{"allocations":{{"{uuid}":{{"resources":{{{amounts}}}}}}}}}'
        for _, uuid, _ in rows])


def _resources(conn, version, param, class_names, names, requested):
    """{pid: the summary's resources, as JSON text without braces}; all
    classes from 1.27, the requested ones before."""
    every_class = version >= (1, 27)
    parts = {}
    # Many providers hold the same inventory with the same usage: each
    # distinct (class, total, reserved, ratio, used) is written once.
    written = {}
    for row in raw_rows.fetch_all(conn, INVENTORY, param):
        key = row[1:]
        text = written.get(key)
        if text is None:
            class_id, total, reserved, ratio, used = key
            name = class_names[class_id]
            if not every_class and name not in requested:
                text = ''
            else:
                text = (f'{names[name]}:{{"capacity":'
                        f'{int((total - reserved) * ratio)},'
                        f'"used":{int(used)}}}')
            written[key] = text
        if text:
            pid = row[0]
            found = parts.get(pid)
            parts[pid] = text if found is None else f'{found},{text}'
    return parts
