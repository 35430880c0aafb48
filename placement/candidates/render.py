"""Allocation requests and provider summaries, per microversion."""
from placement.candidates.search import capacity_of


def allocation_request(version, candidate, uuid_of):
    if version < (1, 12):
        body = {'allocations': [
            {'resource_provider': {'uuid': uuid_of(pid)},
             'resources': resources}
            for pid, resources in sorted(candidate.allocations.items())]}
    else:
        body = {'allocations': {
            uuid_of(pid): {'resources': resources}
            for pid, resources in sorted(candidate.allocations.items())}}
    if version >= (1, 34):
        body['mappings'] = {suffix: [uuid_of(pid) for pid in pids]
                            for suffix, pids in candidate.mappings.items()}
    return body


def provider_summary(version, world, pid, inventory, requested):
    summary = {'resources': {
        name: {'capacity': capacity_of(row), 'used': row.used}
        for name, row in inventory.items()
        if version >= (1, 27) or name in requested}}
    if version >= (1, 17):
        summary['traits'] = list(world.trait_order.get(pid, ()))
    if version >= (1, 29):
        provider = world.providers[pid]
        parent = provider.parent_id
        summary['parent_provider_uuid'] = (
            world.providers[parent].uuid if parent is not None else None)
        summary['root_provider_uuid'] = world.providers[provider.root_id].uuid
    return summary
