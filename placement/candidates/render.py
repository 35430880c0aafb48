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
    summary = {'resources': {
        name: {'capacity': row.capacity, 'used': row.used}
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


class _Names(dict):
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
        self._names = _Names()
        self._allocations = {}
        self._mappings = {}

    def _allocation(self, pid, resources):
        key = (pid, tuple(resources.items()))
        text = self._allocations.get(key)
        if text is None:
            names = self._names
            text = '"%s":{"resources":{%s}}' % (self.uuids[pid], ','.join(
                '%s:%d' % (names[name], amount)
                for name, amount in resources.items()))
            self._allocations[key] = text
        return text

    def _mapping(self, suffix, pids):
        key = (suffix, tuple(pids))
        text = self._mappings.get(key)
        if text is None:
            uuids = self.uuids
            text = '%s:[%s]' % (self._names[suffix], ','.join(
                '"%s"' % uuids[pid] for pid in pids))
            self._mappings[key] = text
        return text

    def write(self, candidates):
        if self.version < (1, 12):
            return _dumps([allocation_request(self.version, c, self.uuids)
                           for c in candidates])
        parts = []
        for candidate in candidates:
            text = '{"allocations":{%s}' % ','.join(
                self._allocation(pid, candidate.allocations[pid])
                for pid in sorted(candidate.allocations))
            if self.version >= (1, 34):
                text += ',"mappings":{%s}' % ','.join(
                    self._mapping(suffix, pids)
                    for suffix, pids in candidate.mappings.items())
            parts.append(text + '}')
        return '[%s]' % ','.join(parts)


class SummariesWriter:
    """Writes the provider_summaries object straight to JSON text (uuids
    and names as in RequestsWriter)."""

    def __init__(self, version, world, requested):
        self.version = version
        self.world = world
        self.requested = requested
        self._names = _Names()

    def write(self, pids):
        version, world, names = self.version, self.world, self._names
        all_classes = version >= (1, 27)
        with_traits = version >= (1, 17)
        with_tree = version >= (1, 29)
        providers = world.providers
        parts = []
        for pid in pids:
            resources = ','.join(
                '%s:{"capacity":%d,"used":%d}' % (names[cls], row.capacity,
                                                   row.used)
                for cls, row in world.all_inventory[pid].items()
                if all_classes or cls in self.requested)
            text = '"%s":{"resources":{%s}' % (providers[pid].uuid, resources)
            if with_traits:
                text += ',"traits":[%s]' % ','.join(
                    names[trait] for trait in world.trait_order.get(pid, ()))
            if with_tree:
                provider = providers[pid]
                parent = provider.parent_id
                text += ',"parent_provider_uuid":%s,"root_provider_uuid":"%s"' % (
                    'null' if parent is None
                    else '"%s"' % providers[parent].uuid,
                    providers[provider.root_id].uuid)
            parts.append(text + '}')
        return '{%s}' % ','.join(parts)
