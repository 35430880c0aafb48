"""Allocation requests and provider summaries, per microversion.

``allocation_request`` and ``provider_summary`` say what the JSON is; the
writers produce the same JSON as text straight away (a response can hold
thousands of each), and the unit tests hold them to the plain versions.
"""
import json


_dumps = json.JSONEncoder(separators=(',', ':')).encode


def allocation_request(version, candidate, uuids):
    """``uuids`` maps provider ids to uuids (a dict: this runs per
    candidate, thousands of times a request)."""
    if version < (1, 12):
        body = {'allocations': [
            {'resource_provider': {'uuid': uuids[pid]},
             'resources': resources}
            for pid, resources in sorted(candidate.allocations.items())]}
    else:
        body = {'allocations': {
            uuids[pid]: {'resources': resources}
            for pid, resources in sorted(candidate.allocations.items())}}
    if version >= (1, 34):
        body['mappings'] = {suffix: [uuids[pid] for pid in pids]
                            for suffix, pids in candidate.mappings.items()}
    return body


def provider_summary(version, world, pid, inventory, requested):
    """``inventory``: [(class name, capacity, used)] of the provider."""
    summary = {'resources': {
        name: {'capacity': capacity, 'used': used}
        for name, capacity, used in inventory
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


class Names(dict):
    """JSON strings of names (classes, traits, group suffixes), each
    encoded once: they repeat across thousands of fragments."""

    def __missing__(self, name):
        text = self[name] = _dumps(name)
        return text


class RequestsWriter:
    """Writes allocation requests straight to JSON text.

    A response can hold a thousand candidates of twenty providers each,
    often repeating the same (provider, resources) and (group, providers)
    pairs: each distinct fragment is written once and reused. Provider
    uuids are canonical UUIDs (every write path validates them), which
    JSON needs no escaping for.
    """

    def __init__(self, version, uuids):
        self.version = version
        self.uuids = uuids
        self._names = Names()
        self._allocations = {}
        self._mappings = {}

    def _allocation(self, pid, resources):
        key = (pid, tuple(resources.items()))
        text = self._allocations.get(key)
        if text is None:
            names = self._names
            amounts = ','.join([f'{names[name]}:{amount}'
                                for name, amount in resources.items()])
            text = f'"{self.uuids[pid]}":{{"resources":{{{amounts}}}}}'
            self._allocations[key] = text
        return text

    def _mapping(self, suffix, pids):
        key = (suffix, tuple(pids))
        text = self._mappings.get(key)
        if text is None:
            uuids = self.uuids
            listed = ','.join([f'"{uuids[pid]}"' for pid in pids])
            text = f'{self._names[suffix]}:[{listed}]'
            self._mappings[key] = text
        return text

    def write(self, candidates):
        if self.version < (1, 12):
            return _dumps([allocation_request(self.version, c, self.uuids)
                           for c in candidates])
        allocation, mapping = self._allocation, self._mapping
        with_mappings = self.version >= (1, 34)
        parts = []
        for candidate in candidates:
            allocations = candidate.allocations
            text = ','.join([allocation(pid, allocations[pid])
                             for pid in sorted(allocations)])
            if with_mappings:
                mappings = ','.join([
                    mapping(suffix, pids)
                    for suffix, pids in candidate.mappings.items()])
                parts.append(f'{{"allocations":{{{text}}},'
                             f'"mappings":{{{mappings}}}}}')
            else:
                parts.append(f'{{"allocations":{{{text}}}}}')
        return '[%s]' % ','.join(parts)


class SummariesWriter:
    """Writes the provider_summaries object straight to JSON text (uuids
    and names as in RequestsWriter)."""

    def __init__(self, version, world, requested):
        self.version = version
        self.world = world
        self.requested = requested
        self._names = Names()

    def write(self, pids):
        version, world, names = self.version, self.world, self._names
        all_classes = version >= (1, 27)
        with_traits = version >= (1, 17)
        with_tree = version >= (1, 29)
        providers, inventories = world.providers, world.all_inventory
        trait_order, requested = world.trait_order, self.requested
        no_traits = ()
        parts = []
        append = parts.append
        for pid in pids:
            provider = providers[pid]
            resources = ','.join([
                f'{names[cls]}:{{"capacity":{capacity},"used":{used}}}'
                for cls, capacity, used in inventories[pid]
                if all_classes or cls in requested])
            text = f'"{provider.uuid}":{{"resources":{{{resources}}}'
            if with_traits:
                traits = ','.join([names[trait] for trait in
                                   trait_order.get(pid, no_traits)])
                text = f'{text},"traits":[{traits}]'
            if with_tree:
                parent = provider.parent_id
                parent = ('null' if parent is None
                          else f'"{providers[parent].uuid}"')
                text = (f'{text},"parent_provider_uuid":{parent},'
                        f'"root_provider_uuid":'
                        f'"{providers[provider.root_id].uuid}"')
            append(text + '}')
        return '{%s}' % ','.join(parts)
