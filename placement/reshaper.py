"""The reshaper: replace several providers' inventories and move
allocations between them in one transaction."""
from placement import (allocations, errors, inventories, providers,
                       resource_classes)


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
    # Inventory cannot be removed while allocated and allocations cannot
    # land on missing inventory, so: first an interim inventory (the old
    # one overlaid with the new), then the allocations, then the final
    # inventory. Each step moves the provider generations as upstream's do.
    for uuid, (_, records) in sorted(provider_inventories.items()):
        if not records:
            continue
        interim = {name: inventories.render(row) for name, row in
                   inventories.of_provider(conn, rows[uuid].id).items()}
        interim.update(records)
        inventories.replace(conn, rows[uuid], interim, class_ids)
        providers.bump_generation(conn, providers.get(conn, uuid))
    if requests:
        allocations.write(conn, requests)
    for uuid, (_, records) in sorted(provider_inventories.items()):
        inventories.replace(conn, rows[uuid], records, class_ids)
        providers.bump_generation(conn, providers.get(conn, uuid))
