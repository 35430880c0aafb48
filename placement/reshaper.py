"""The reshaper: replace several providers' inventories and move
allocations between them in one transaction."""
import sqlalchemy as sa

from placement import allocations, errors, inventories, providers, resource_classes
from placement.db.tables import allocations as alloc_t


def reshape(conn, provider_inventories, requests, version):
    """``provider_inventories`` is {uuid: (generation, {class: fields})};
    ``requests`` are allocations.ConsumerAllocations. All or nothing."""
    names = {n for _, records in provider_inventories.values() for n in records}
    class_ids = resource_classes.ids_by_name(conn, names)
    for name in sorted(names - set(class_ids)):
        raise errors.BadRequest('No such resource class %s' % name)
    rows = {}
    for uuid, (generation, records) in sorted(provider_inventories.items()):
        row = providers.get(conn, uuid)
        if row is None:
            raise errors.BadRequest(
                'Resource provider %s in inventories not found' % uuid,
                code=errors.RESOURCE_PROVIDER_NOT_FOUND)
        if row.generation != generation:
            raise errors.ConcurrentUpdate(
                'resource provider generation conflict: actual: %s, given: %s'
                % (row.generation, generation))
        for name, record in records.items():
            inventories.check_reserved(uuid, name, record, version, 'update')
        rows[uuid] = row
    # The consumers being rewritten let go of what they hold first, so
    # inventory they are moved off can be removed.
    consumer_uuids = sorted({r.consumer for r in requests})
    if consumer_uuids:
        conn.execute(alloc_t.delete().where(
            alloc_t.c.consumer_id.in_(consumer_uuids)))
    for uuid, (_, records) in sorted(provider_inventories.items()):
        inventories.replace(conn, rows[uuid], records, class_ids)
        providers.bump_generation(conn, rows[uuid])
    if requests:
        allocations.write(conn, requests)
