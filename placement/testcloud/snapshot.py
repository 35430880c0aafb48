"""Everything a client can read about a cloud, as one comparable dict,
read through the public API (so it works against any Placement)."""


def snapshot(client, version='1.39'):
    """{...}: providers with their inventories, traits, aggregates, usages
    and allocations; consumers with theirs; classes, traits and per-project
    usages. Timestamps are not part of it; generations are."""
    def get(path):
        return client.request('GET', path, version=version, expect=200).json()

    state = {'resource_classes': sorted(
        rc['name'] for rc in get('/resource_classes')['resource_classes'])}
    state['traits'] = sorted(get('/traits')['traits'])
    providers = {}
    consumer_uuids = set()
    for rp in get('/resource_providers')['resource_providers']:
        path = '/resource_providers/%s' % rp['uuid']
        allocations = get(path + '/allocations')['allocations']
        consumer_uuids.update(allocations)
        providers[rp['uuid']] = {
            'provider': {key: value for key, value in rp.items()
                         if key != 'links'},
            'inventories': get(path + '/inventories'),
            'traits': sorted(get(path + '/traits')['traits']),
            'aggregates': sorted(get(path + '/aggregates')['aggregates']),
            'usages': get(path + '/usages'),
            'allocations': allocations,
        }
    state['providers'] = providers
    consumers = {uuid: get('/allocations/%s' % uuid)
                 for uuid in sorted(consumer_uuids)}
    state['consumers'] = consumers
    projects = sorted({c['project_id'] for c in consumers.values()
                       if 'project_id' in c})
    state['usages'] = {project: get('/usages?project_id=%s' % project)
                       for project in projects}
    return state
