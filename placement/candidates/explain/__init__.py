"""GET /allocation_candidates/explain (our extension): the funnel from the
whole cloud to the candidates GET /allocation_candidates gives for the
same query, with reasons.

Nothing here decides what a candidate is. A ``Recorder`` is handed to the
candidate search (combine.generate) as its observer, over a LazyWorld
that loads every tree (not only those the SQL finds worth searching):

- eligible.py tells it, per request group, which providers each of its
  rules kept, in the order they are applied (set by set, per slice of
  trees); for the unsuffixed group, whose per-provider loop is left as it
  is, it is shown what the loop kept and finds, with the same predicates
  (room_for, spread_labels_failure) in the same order, the rule that
  dropped each of the others;
- combine.generate runs each tree's search through ``Recorder.search``,
  and tells it of each duplicate candidate it drops; a tree whose search
  gives nothing is searched again (the same TreeSearch, copied) with the
  combination rules switched off and then on again one at a time, in a
  fixed order: the first rule whose switching on leaves nothing removed
  the tree, and a candidate of the search before it is the example of
  what that rule refuses;
- generate is given the maximum the candidates handler gives it, so it
  stops where GET /allocation_candidates stops (explain costs what that
  query costs, however many candidates there would be without it); the
  trees it did not reach are then only asked for a first candidate (or
  searched again as above, if they have none): the funnel counts every
  tree, and counts candidates only as far as the search went.

A reason's words are written from the same world the search read: the
numbers it gives are the ones the predicates tested.
"""
import uuid as uuidlib

import sqlalchemy as sa

from placement.candidates import combine
from placement.candidates.explain.recorder import Recorder
from placement.candidates.explain.report import Report
from placement.db.tables import resource_providers as rp


def canonical_uuid(value):
    return str(uuidlib.UUID(value))


def named_providers(conn, uuids):
    """{uuid as given: provider id} of those that exist."""
    if not uuids:
        return {}
    wanted = {}
    for value in uuids:
        wanted.setdefault(canonical_uuid(value), []).append(value)
        wanted.setdefault(value, []).append(value)
    found = {}
    for pid, uuid in conn.execute(sa.select(rp.c.id, rp.c.uuid).where(
            rp.c.uuid.in_(sorted(wanted)))):
        for value in wanted.get(uuid, ()):
            found[value] = pid
    return found


def explain(conn, lazy, request, in_tree_roots, conf, maximum, examples,
            one_provider_per_tree, named_uuids):
    """The body of GET /allocation_candidates/explain. ``lazy``: a
    LazyWorld over every tree; ``maximum``: what the candidates handler
    would give generate."""
    named = named_providers(conn, named_uuids)
    recorder = Recorder(lazy.world, request, in_tree_roots, examples,
                        one_provider_per_tree, named.values())
    for candidate in combine.generate(
            lazy, request, in_tree_roots,
            conf.allocation_candidates_generation_strategy, maximum,
            one_provider_per_tree=one_provider_per_tree, observer=recorder):
        recorder.accept(candidate)
    recorder.finish(lazy)
    try:
        return Report(conn, recorder, request, conf, maximum, named_uuids,
                      named).body()
    finally:
        # The search index holds the recorder, which holds a search (and
        # so the index): break the cycle, so that reference counting
        # frees the world at once, as it does after the candidates query.
        recorder.template = None
