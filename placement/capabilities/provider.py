"""GET /capabilities/resource_providers/{uuid}: what the caller may do to
one provider now, and the answer each request would get.

Each entry is judged in the order its handler checks (version gate,
policy, then the steps below), with the domain functions the real
request calls.
"""
from placement import (aggregates, capacity, errors, inventories, providers,
                       traits, usages)
from placement.capabilities import features
from placement.capabilities.judge import raised
from placement.policies import inventory as inventory_policies
from placement.policies import resource_provider as provider_policies
from placement.policies import usage as usage_policies

RP = '/resource_providers/{uuid}'
INVENTORIES = RP + '/inventories'
INVENTORY = INVENTORIES + '/{resource_class}'
TRAITS = RP + '/traits'
AGGREGATES = RP + '/aggregates'
ALLOCATIONS = RP + '/allocations'
USAGES = RP + '/usages'

NEW_NAME = {'new_name': 'any name no other resource provider has'}
NEW_PARENT = {'new_parent_uuid': 'the uuid of any existing resource '
                                 'provider outside this one\'s subtree, '
                                 'other than its parent'}
# Stand-ins for the placeholders while a body is checked against its
# schema.
SAMPLES = {'new_name': 'new-name', 'new_parent_uuid':
           '00000000-0000-4000-8000-000000000000'}


def not_found(uuid):
    """What GET /resource_providers/{uuid} answers for an unknown one."""
    return errors.NotFound('No resource provider with uuid %s found' % uuid)


class _State:
    """The provider and what hangs off it, read in one transaction."""

    def __init__(self, conn, uuid):
        self.provider = providers.get(conn, uuid)
        if self.provider is None:
            raise not_found(uuid)
        pid = self.provider.id
        self.inventory = inventories.of_provider(conn, pid)
        self.used = usages.of_provider(conn, pid)
        self.traits = [row.name for row in traits.of_provider(conn, pid)]
        self.aggregates = aggregates.of_provider(conn, pid)
        self.conn = conn

    def deletion_refusal(self):
        return providers.deletion_refusal(self.conn, self.provider)

    def removal_refusal(self, names):
        return inventories.removal_refusal(
            self.conn, self.provider,
            {name: self.inventory[name].resource_class_id for name in names})


def _provider_fields(judge, row):
    """The provider as GET /resource_providers/{uuid} shows it, to a
    caller who may make that request; else only its uuid."""
    version = judge.version
    if not judge.allows(provider_policies.SHOW):
        return {'uuid': row.uuid}
    body = {'uuid': row.uuid, 'name': row.name, 'generation': row.generation}
    if version >= (1, 14):
        body['parent_provider_uuid'] = row.parent_provider_uuid
        body['root_provider_uuid'] = row.root_provider_uuid
    return body


def _provider_entries(judge, state):
    row = state.provider
    version = judge.version
    values = {'uuid': row.uuid}
    generation = raised(providers.check_generation, row, row.generation)
    allow_reparent = features.available('reparenting', version)

    def parent_change(parent_id):
        return lambda: providers.parent_change_refusal(
            row, parent_id, allow_reparent, in_subtree=lambda _: False)

    rename = {'name': '{new_name}'}
    reparent = {'name': row.name, 'parent_provider_uuid': '{new_parent_uuid}'}
    unparent = {'name': row.name, 'parent_provider_uuid': None}
    return {
        'show': judge.request('GET', RP, values, 200),
        'rename': judge.request(
            'PUT', RP, values, 200, body=rename, parameters=NEW_NAME,
            steps=[judge.valid_body('PUT', RP, rename, SAMPLES)]),
        'reparent': judge.request(
            'PUT', RP, values, 200, body=reparent, parameters=NEW_PARENT,
            steps=[judge.valid_body('PUT', RP, reparent, SAMPLES),
                   parent_change(providers.ANOTHER_PROVIDER)]),
        'unparent': judge.request(
            'PUT', RP, values, 200, body=unparent,
            steps=[judge.valid_body('PUT', RP, unparent),
                   parent_change(None)]),
        'delete': judge.request('DELETE', RP, values, 204,
                                steps=[state.deletion_refusal]),
    }, generation


def _inventory_records(state):
    return {name: inventories.render(row)
            for name, row in state.inventory.items()}


def _inventories_entries(judge, state, generation):
    row = state.provider
    version = judge.version
    values = {'uuid': row.uuid}
    records = _inventory_records(state)
    body = {'resource_provider_generation': row.generation,
            'inventories': records}
    reserved_ok = [raised(inventories.check_reserved, row.uuid, name,
                          record, version, 'update')
                   for name, record in records.items()]
    return {
        'list': judge.request('GET', INVENTORIES, values, 200),
        'replace': judge.request(
            'PUT', INVENTORIES, values, 200, body=body,
            steps=[judge.valid_body('PUT', INVENTORIES, body), generation]
            + reserved_ok),
        'delete_all': judge.request(
            'DELETE', INVENTORIES, values, 204,
            steps=[lambda: state.removal_refusal(list(state.inventory))]),
    }


def _inventory_class(judge, state, name, generation, show_usage):
    row = state.provider
    version = judge.version
    record = inventories.render(state.inventory[name])
    values = {'uuid': row.uuid, 'resource_class': name}
    body = dict(record, resource_provider_generation=row.generation)

    def delete():
        in_use = state.removal_refusal([name])
        return in_use and inventories.deletion_conflict(name, in_use)

    found = dict(record)
    found['min_total'] = inventories.smallest_total(record['reserved'],
                                                    version)
    if show_usage:
        used = state.used.get(name, 0)
        found['used'] = used
        found['min_total_for_usage'] = capacity.smallest_total(
            used, record['reserved'], record['allocation_ratio'])
    found['operations'] = {
        'show': judge.request('GET', INVENTORY, values, 200),
        'update': judge.request(
            'PUT', INVENTORY, values, 200, body=body,
            steps=[judge.valid_body('PUT', INVENTORY, body), generation,
                   raised(inventories.check_reserved, row.uuid, name,
                          record, version, 'update')]),
        'delete': judge.request('DELETE', INVENTORY, values, 204,
                                steps=[delete]),
    }
    return found


def _traits_entries(judge, state, generation):
    row = state.provider
    values = {'uuid': row.uuid}
    body = {'traits': state.traits,
            'resource_provider_generation': row.generation}
    return {
        'list': judge.request('GET', TRAITS, values, 200),
        'update': judge.request(
            'PUT', TRAITS, values, 200, body=body,
            steps=[judge.valid_body('PUT', TRAITS, body), generation]),
        'delete': judge.request('DELETE', TRAITS, values, 204),
    }


def _aggregates_entries(judge, state, generation):
    row = state.provider
    values = {'uuid': row.uuid}
    steps = []
    if features.available('aggregate_generations', judge.version):
        body = {'aggregates': state.aggregates,
                'resource_provider_generation': row.generation}
        steps.append(generation)
    else:
        body = state.aggregates
    return {
        'list': judge.request('GET', AGGREGATES, values, 200),
        'update': judge.request(
            'PUT', AGGREGATES, values, 200, body=body,
            steps=[judge.valid_body('PUT', AGGREGATES, body)] + steps),
    }


def document(conn, uuid, judge):
    """The whole body; NotFound (as GET /resource_providers/{uuid}
    answers) for an unknown provider."""
    state = _State(conn, uuid)
    version = judge.version
    # Inventory records and usage are shown only to a caller who may read
    # them through the API (a PUT of inventory answers with the records).
    show_inventory = any(judge.allows(rule) for rule in (
        inventory_policies.LIST, inventory_policies.SHOW,
        inventory_policies.UPDATE))
    show_usage = judge.allows(usage_policies.PROVIDER_USAGES)
    provider_ops, generation = _provider_entries(judge, state)
    values = {'uuid': state.provider.uuid}
    body = {
        'version': str(version),
        'resource_provider': _provider_fields(judge, state.provider),
        'operations': {
            'resource_provider': provider_ops,
            'inventories': _inventories_entries(judge, state, generation),
            'traits': _traits_entries(judge, state, generation),
            'aggregates': _aggregates_entries(judge, state, generation),
            'allocations': {'list': judge.request('GET', ALLOCATIONS,
                                                  values, 200)},
            'usages': {'show': judge.request('GET', USAGES, values, 200)},
        },
    }
    if show_inventory:
        body['inventories'] = {
            name: _inventory_class(judge, state, name, generation,
                                   show_usage)
            for name in state.inventory}
    return body
