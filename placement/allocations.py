"""Allocations: what consumers hold on providers, and the write path that
never takes a provider over capacity.

Every write (PUT /allocations/{c}, POST /allocations, the reshaper) goes
through ``write``: it claims the consumers (consumer generation), bumps the
generation of every provider it touches (compare-and-swap, in id order, so
competing writers serialize on the provider rows), replaces the consumers'
allocations and then checks capacity against what is now committed to the
transaction. A lost race raises ``ProviderRace``; callers retry.
"""
import collections

import sqlalchemy as sa

from placement import (capacity, consumers, errors, metrics, providers,
                       resource_classes)
from placement.schemas.inventory import MAX_INT
from placement.db.tables import (allocations as a, consumers as consumer_t,
                                 inventories as inv,
                                 resource_classes as rc,
                                 resource_providers as rp)

ConsumerAllocations = collections.namedtuple(
    'ConsumerAllocations',
    'consumer project user generation consumer_type resources')
# ``resources`` is {provider uuid: {class name: amount}}; generation and
# consumer_type are consumers.MISSING where the microversion has none.


class ProviderRace(errors.ConcurrentUpdate):
    """Another writer changed a provider between our read and our write."""


def of_consumer(conn, consumer_uuid):
    return conn.execute(
        sa.select(rp.c.uuid.label('provider'), rp.c.generation,
                  rc.c.name.label('resource_class'), a.c.used,
                  a.c.created_at, a.c.updated_at)
        .select_from(a.join(rp, rp.c.id == a.c.resource_provider_id)
                     .join(rc, rc.c.id == a.c.resource_class_id))
        .where(a.c.consumer_id == consumer_uuid)
        .order_by(rp.c.id, rc.c.id)).all()


def of_provider(conn, provider_id):
    """Allocations on a provider, with each consumer's generation (None
    when the consumer record is missing)."""
    return conn.execute(
        sa.select(a.c.consumer_id, rc.c.name.label('resource_class'),
                  a.c.used, a.c.created_at, a.c.updated_at,
                  consumer_t.c.generation.label('consumer_generation'))
        .join(rc, rc.c.id == a.c.resource_class_id)
        .outerjoin(consumer_t, consumer_t.c.uuid == a.c.consumer_id)
        .where(a.c.resource_provider_id == provider_id)
        .order_by(a.c.consumer_id, rc.c.id)).all()


# The write path's statements, built once (SQLAlchemy keys every new
# statement object anew: most of a claim's CPU when built per request).
_PROVIDERS_BY_UUID = sa.select(rp.c.id, rp.c.uuid, rp.c.generation).where(
    rp.c.uuid.in_(sa.bindparam('uuids', expanding=True)))
_USED = sa.select(sa.func.coalesce(sa.func.sum(a.c.used), 0)).where(
    a.c.resource_provider_id == inv.c.resource_provider_id,
    a.c.resource_class_id == inv.c.resource_class_id).scalar_subquery()
_INVENTORY_WITH_USAGE = sa.select(inv, _USED.label('used')).where(
    inv.c.resource_provider_id.in_(sa.bindparam('pids', expanding=True)),
    inv.c.resource_class_id.in_(sa.bindparam('cids', expanding=True)))
_DELETE_OF_CONSUMERS = a.delete().where(
    a.c.consumer_id.in_(sa.bindparam('consumers', expanding=True)))
_PROVIDERS_OF_CONSUMERS = (
    sa.select(rp.c.id, rp.c.uuid, rp.c.generation).distinct()
    .join(a, a.c.resource_provider_id == rp.c.id)
    .where(a.c.consumer_id.in_(sa.bindparam('consumers', expanding=True))))


def _providers_by_uuid(conn, uuids):
    rows = conn.execute(_PROVIDERS_BY_UUID, {'uuids': sorted(uuids)}).all() \
        if uuids else []
    return {row.uuid: row for row in rows}


def _class_ids(conn, names, consumer):
    ids = resource_classes.ids_by_name(conn, names)
    for name in sorted(names):
        if name not in ids:
            raise errors.BadRequest(
                'Unable to allocate inventory for consumer %s: No such '
                'resource class %s.' % (consumer, name))
    return ids


def _lock_providers(conn, provider_rows):
    """Bump each provider's generation once, in id order."""
    for row in sorted(provider_rows, key=lambda r: r.id):
        if not providers.generation_swapped(conn, row.id, row.generation):
            raise ProviderRace(
                'resource provider generation conflict: %s' % row.uuid)


def inventory_with_usage(conn, keys):
    """{(provider id, class id): inventory row with ``used``, the sum of
    the allocations against it} for those of ``keys`` that have one."""
    if not keys:
        return {}
    rows = conn.execute(_INVENTORY_WITH_USAGE, {
        'pids': sorted({p for p, _ in keys}),
        'cids': sorted({cid for _, cid in keys})}).all()
    return {(row.resource_provider_id, row.resource_class_id): row
            for row in rows}


def capacity_refusal(inventory, wanted, names):
    """Why a write's allocations do not fit, or None when they do.

    ``wanted`` is {(provider row, class id): [amounts]}, ``inventory``
    what ``inventory_with_usage`` reads once they are in place (its
    ``used`` counting them), ``names`` {class id: name}.
    """
    for (provider, class_id), amounts in sorted(
            wanted.items(), key=lambda item: (item[0][0].id, item[0][1])):
        name = names[class_id]
        row = inventory.get((provider.id, class_id))
        if row is None:
            return errors.Conflict(
                "Unable to allocate inventory: Inventory for '%s' on resource "
                "provider '%s' invalid." % (name, provider.uuid))
        for amount in amounts:
            if (amount < row.min_unit or amount > row.max_unit
                    or amount % row.step_size):
                return errors.Conflict(
                    "Unable to allocate inventory: Allocation for '%s' on "
                    "resource provider '%s' violates min_unit, max_unit, or "
                    'step_size. Requested: %s, min_unit: %s, max_unit: %s, '
                    'step_size: %s' % (name, provider.uuid, amount,
                                       row.min_unit, row.max_unit,
                                       row.step_size))
        if not capacity.holds(row.used, row.total, row.reserved,
                              row.allocation_ratio):
            return errors.Conflict(
                "Unable to allocate inventory: Unable to create allocation "
                "for '%s' on resource provider '%s'. The requested amount "
                'would exceed the capacity.' % (name, provider.uuid))
    return None


_Provider = collections.namedtuple('_Provider', 'id uuid')


def rewrite_refusal(conn, consumer_uuid):
    """Why writing a consumer's allocations again exactly as they are
    would be refused by ``write``'s capacity check (an inventory lowered
    or narrowed under them since), or None. Usage after such a write is
    usage now, so nothing needs writing to judge it."""
    rows = conn.execute(
        sa.select(a.c.resource_provider_id, rp.c.uuid, a.c.resource_class_id,
                  rc.c.name, a.c.used)
        .join(rp, rp.c.id == a.c.resource_provider_id)
        .join(rc, rc.c.id == a.c.resource_class_id)
        .where(a.c.consumer_id == consumer_uuid)).all()
    wanted = collections.defaultdict(list)
    names = {}
    for row in rows:
        wanted[(_Provider(row.resource_provider_id, row.uuid),
                row.resource_class_id)].append(row.used)
        names[row.resource_class_id] = row.name
    return capacity_refusal(
        inventory_with_usage(conn, {(p.id, cid) for p, cid in wanted}),
        wanted, names)


def _check_capacity(conn, wanted, names):
    """``wanted`` is {(provider row, class id): [amounts]}, already inserted."""
    refusal = capacity_refusal(
        inventory_with_usage(conn, {(p.id, cid) for p, cid in wanted}),
        wanted, names)
    if refusal is not None:
        raise refusal


def write(conn, requests):
    """Replace the allocations of each consumer in ``requests`` atomically."""
    provider_uuids = {u for req in requests for u in req.resources}
    found = _providers_by_uuid(conn, provider_uuids)
    for uuid in sorted(provider_uuids - set(found)):
        raise errors.BadRequest(
            "Allocation for resource provider '%s' that does not exist."
            % uuid)
    names = {n for req in requests for res in req.resources.values()
             for n in res}
    class_ids = _class_ids(conn, names, requests[0].consumer if requests else '')

    for req in sorted(requests, key=lambda r: r.consumer):
        consumers.claim(conn, req.consumer, req.project, req.user,
                        req.generation, req.consumer_type)

    consumer_uuids = sorted({req.consumer for req in requests})
    # As upstream: the providers receiving allocations move to a new
    # generation, and so do those of a consumer whose allocations are
    # emptied; a provider a consumer merely moves away from keeps its
    # generation (taking allocations away never oversubscribes).
    locked = {row.id: row for row in found.values()}
    emptied = [req.consumer for req in requests if not req.resources]
    if emptied:
        locked.update((row.id, row) for row in conn.execute(
            _PROVIDERS_OF_CONSUMERS, {'consumers': sorted(emptied)}))
    _lock_providers(conn, locked.values())

    conn.execute(_DELETE_OF_CONSUMERS, {'consumers': consumer_uuids})
    wanted = collections.defaultdict(list)
    new_rows = []
    for req in requests:
        for uuid, resources in req.resources.items():
            provider = found[uuid]
            for name, amount in resources.items():
                wanted[(provider, class_ids[name])].append(amount)
                new_rows.append({'resource_provider_id': provider.id,
                                 'consumer_id': req.consumer,
                                 'resource_class_id': class_ids[name],
                                 'used': amount})
    if new_rows:
        names = {v: k for k, v in class_ids.items()}
        if any(row['used'] > MAX_INT for row in new_rows):
            # Past every max_unit, and past what the database's integer
            # column holds: refused as upstream refuses it (409) before
            # the insert could fail.
            _check_capacity(conn, wanted, names)
            raise errors.Conflict(
                'Unable to allocate inventory: the requested amount would '
                'exceed the capacity.')
        conn.execute(a.insert(), new_rows)
        _check_capacity(conn, wanted, names)
    # Only a consumer whose allocations were emptied can be left unused.
    consumers.delete_if_unused(conn, emptied)


def deletion_refusal(conn, consumer_uuid):
    """Why DELETE /allocations/{consumer_uuid} is refused (404: it has no
    allocations), or None."""
    if conn.execute(sa.select(sa.literal(1)).where(sa.exists().where(
            a.c.consumer_id == consumer_uuid))).first():
        return None
    return errors.NotFound("No allocations for consumer '%s'"
                           % consumer_uuid)


def delete_consumer(conn, consumer_uuid):
    """Remove all of a consumer's allocations; 404 when it has none.
    Provider generations stay as they are, as upstream leaves them."""
    refusal = deletion_refusal(conn, consumer_uuid)
    if refusal is not None:
        raise refusal
    conn.execute(a.delete().where(a.c.consumer_id == consumer_uuid))
    consumers.delete_if_unused(conn, [consumer_uuid])


def write_with_retries(db, retries, func, *args):
    """Run a write, retrying lost provider races like upstream does."""
    for attempt in range(retries + 1):
        try:
            return db.write(func, *args)
        except ProviderRace:
            if attempt == retries:
                raise errors.ConcurrentUpdate(
                    'Unable to allocate inventory: Another thread '
                    'concurrently updated the data. Please retry your update')
            metrics.conflict_retried('generation')
