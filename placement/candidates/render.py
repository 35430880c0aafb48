"""Allocation requests and provider summaries, per microversion."""
import json

from placement.candidates.search import capacity_of

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


class RequestsWriter:
    """Writes allocation requests straight to JSON text.

    A response can hold a thousand candidates of twenty providers each,
    most of them repeating the same (provider, resources) and (group,
    providers) pairs: each distinct fragment is encoded once and reused.
    The text is the same JSON ``allocation_request`` would give.
    """

    def __init__(self, version, uuids):
        self.version = version
        self.uuids = uuids
        self._allocations = {}
        self._mappings = {}

    def _allocation(self, pid, resources):
        key = (pid, tuple(resources.items()))
        text = self._allocations.get(key)
        if text is None:
            text = '%s:{"resources":%s}' % (_dumps(self.uuids[pid]),
                                            _dumps(resources))
            self._allocations[key] = text
        return text

    def _mapping(self, suffix, pids):
        key = (suffix, tuple(pids))
        text = self._mappings.get(key)
        if text is None:
            text = '%s:%s' % (_dumps(suffix),
                              _dumps([self.uuids[p] for p in pids]))
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
