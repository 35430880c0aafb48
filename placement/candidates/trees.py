"""Reading whole trees into the World: a fixed number of queries for any
number of trees (the root ids travel as one JSON parameter, id_list), the
rows taken straight off the DBAPI cursor (raw_rows)."""
import sqlalchemy as sa

from placement.candidates.world import Inventory, Provider
from placement.db import id_list, raw_rows, trait_list
from placement.db.tables import (allocations as alloc,
                                 inventories as inv,
                                 placement_aggregates as agg,
                                 resource_provider_aggregates as rpa,
                                 resource_provider_traits as rpt,
                                 resource_providers as rp)


TREE_PROVIDERS = (
    sa.select(rp.c.id, rp.c.uuid, rp.c.parent_provider_id,
              rp.c.root_provider_id)
    .where(id_list.in_ids(rp.c.root_provider_id, 'roots'))
    .order_by(rp.c.id))

# Where each provider's trait ids come as one column with the provider
# (trait_list.TraitIds): one row per provider instead of one per trait,
# and the DB-API's cost is per row (compute nodes report dozens of
# traits). PostgreSQL reads one row per trait (TREE_TRAITS): its
# per-provider subquery costs more than the rows it saves unless most
# providers have several traits.
TRAITS_IN_COLUMN = frozenset({'sqlite', 'mysql', 'mariadb'})

TREE_PROVIDERS_TRAITS = TREE_PROVIDERS.add_columns(
    trait_list.TraitIds(rp.c.id))

USED = (sa.select(sa.func.coalesce(sa.func.sum(alloc.c.used),
                                   sa.literal_column('0')))
        .where(alloc.c.resource_provider_id == inv.c.resource_provider_id,
               alloc.c.resource_class_id == inv.c.resource_class_id)
        .scalar_subquery())

TREE_INVENTORY = (
    sa.select(inv.c.resource_provider_id, inv.c.resource_class_id,
              inv.c.total, inv.c.reserved, inv.c.min_unit, inv.c.max_unit,
              inv.c.step_size, inv.c.allocation_ratio, USED)
    .join(rp, rp.c.id == inv.c.resource_provider_id)
    .where(id_list.in_ids(rp.c.root_provider_id, 'roots')))

# Summaries list traits in trait id order, as upstream does. Ids, not
# names: no join to traits per row (the names are read once for all).
TREE_TRAITS = (
    sa.select(rpt.c.resource_provider_id, rpt.c.trait_id)
    .join(rp, rp.c.id == rpt.c.resource_provider_id)
    .where(id_list.in_ids(rp.c.root_provider_id, 'roots'))
    .order_by(rpt.c.trait_id))

TREE_AGGREGATES = (
    sa.select(rpa.c.resource_provider_id, agg.c.uuid)
    .join(agg, agg.c.id == rpa.c.aggregate_id)
    .join(rp, rp.c.id == rpa.c.resource_provider_id)
    .where(id_list.in_ids(rp.c.root_provider_id, 'roots')))


def traits_in_column(conn):
    """Whether load_trees reads the providers' traits (TRAITS_IN_COLUMN)."""
    return conn.dialect.name in TRAITS_IN_COLUMN


def load_trees(conn, world, roots, mentioned, with_traits=False):
    """Load the providers of these trees (``with_traits``: and their
    traits, see ``load_labels``); return their ids.

    Under PostgreSQL's READ COMMITTED each query sees the database as it is
    when it starts: a tree deleted since its root was found is simply not
    there, and rows of providers created since are left out (by the other
    loaders and by the search)."""
    new = []
    members, providers = world.tree_members, world.providers
    if not with_traits:
        for row in raw_rows.fetch_all(conn, TREE_PROVIDERS, roots):
            providers[row[0]] = Provider(*row)
            members.setdefault(row[3], []).append(row[0])
            new.append(row[0])
        return new
    having = {}  # trait ids as read ("3,17") → [pid]: most lists repeat
    for pid, uuid, parent_id, root_id, trait_ids in raw_rows.fetch_all(
            conn, TREE_PROVIDERS_TRAITS, roots):
        providers[pid] = Provider(pid, uuid, parent_id, root_id)
        members.setdefault(root_id, []).append(pid)
        new.append(pid)
        if trait_ids:
            having.setdefault(trait_ids, []).append(pid)
    if having:
        names = trait_list.names_by_id(conn, having)
        for text, pids in having.items():
            _label(world, pids, trait_list.named(text, names), mentioned)
    return new


def _label(world, pids, names, mentioned):
    """``pids`` have the traits ``names`` (in trait id order)."""
    present = mentioned.intersection(names)
    order = world.trait_order
    for pid in pids:
        order[pid] = names  # read only: one list for all of them
    if present:
        traits = world.traits
        for pid in pids:
            traits[pid] = present
        for name in present:
            world.with_trait.setdefault(name, set()).update(pids)


def load_labels(conn, world, request, roots, mentioned, traits_read=False):
    """Traits (unless ``traits_read`` by load_trees) and aggregates of the
    providers of these trees (a provider without any has no entry). Every
    trait is listed in order (provider summaries show them all); only
    those ``mentioned`` by the request are indexed (world.traits and
    world.with_trait), as nothing else asks about the others."""
    providers = world.providers
    if not traits_read:
        order, traits, with_trait = (world.trait_order, world.traits,
                                     world.with_trait)
        rows = raw_rows.fetch_all(conn, TREE_TRAITS, roots)
        names_of = trait_list.names_of(conn, {row[1] for row in rows})
        for pid, trait_id in rows:
            name = names_of.get(trait_id)
            if pid not in providers or name is None:
                continue  # created after the providers were read, or
                # the trait taken off and deleted since
            names = order.get(pid)
            if names is None:
                order[pid] = [name]
            else:
                names.append(name)
            if name in mentioned:
                traits.setdefault(pid, set()).add(name)
                with_trait.setdefault(name, set()).add(pid)
    if any(g.member_of or g.forbidden_aggs for g in request.groups):
        aggregates, members_of = world.aggregates, world.in_aggregate
        for pid, uuid in raw_rows.fetch_all(conn, TREE_AGGREGATES, roots):
            if pid not in providers:
                continue
            aggregates.setdefault(pid, set()).add(uuid)
            members_of.setdefault(uuid, set()).add(pid)


def inventory_of(conn, provider_ids, roots, class_names, requested):
    """All inventory of the trees, with usage, in one query:
    {pid: {class name: Inventory}} of the ``requested`` classes (what the
    search reads), and {pid: [(class name, capacity, used)]} of every
    class (what provider summaries show)."""
    found = {pid: {} for pid in provider_ids}
    shown = {pid: [] for pid in provider_ids}
    make = Inventory
    for pid, class_id, total, reserved, min_unit, max_unit, step, ratio, \
            used in raw_rows.fetch_all(conn, TREE_INVENTORY, roots):
        listed = shown.get(pid)
        if listed is None:
            continue  # created after the providers were read
        name = class_names[class_id]
        capacity, used = int((total - reserved) * ratio), int(used)
        listed.append((name, capacity, used))
        if name in requested:
            # As inventory_row, written out: this runs for many rows.
            found[pid][name] = make(total, reserved, min_unit, max_unit,
                                    step, ratio, used, capacity)
    return found, shown
