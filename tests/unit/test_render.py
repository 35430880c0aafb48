"""The fast JSON writer for allocation requests says exactly what the
plain renderer says."""
import json

import pytest

from placement.candidates import render, world as world_mod
from placement.candidates.combine import Candidate
from placement.microversion import Version

UUIDS = {1: '8d8b7b4e-0c4a-4d38-9a8c-1c1e0f7a0001',
         2: '8d8b7b4e-0c4a-4d38-9a8c-1c1e0f7a0002',
         3: '8d8b7b4e-0c4a-4d38-9a8c-1c1e0f7a0003'}
CANDIDATES = [
    Candidate({1: {'VCPU': 2, 'MEMORY_MB': 512}, 3: {'DISK_GB': 10}},
              {'': [1, 3], '_NIC': [2]}),
    Candidate({2: {'VCPU': 1}}, {'1': [2], '"odd\\suffix': [2]}),
    Candidate({1: {'VCPU': 2, 'MEMORY_MB': 512}, 3: {'DISK_GB': 10}},
              {'': [1, 3]}),
]


@pytest.mark.parametrize('version', [(1, 10), (1, 12), (1, 33), (1, 34),
                                     (1, 39)])
def test_writer_matches_renderer(version):
    version = Version(*version)
    expected = [render.allocation_request(version, c, UUIDS)
                for c in CANDIDATES]
    written = render.RequestsWriter(version, UUIDS).write(CANDIDATES)
    assert json.loads(written) == expected


def test_mappings_only_from_1_34():
    old = json.loads(render.RequestsWriter(Version(1, 33), UUIDS).write(
        CANDIDATES))
    new = json.loads(render.RequestsWriter(Version(1, 34), UUIDS).write(
        CANDIDATES))
    assert 'mappings' not in old[0]
    assert new[0]['mappings'] == {'': [UUIDS[1], UUIDS[3]], '_NIC': [UUIDS[2]]}


def _world():
    world = world_mod.World()
    world.providers = {
        1: world_mod.Provider(1, 'u-1', None, 1),
        2: world_mod.Provider(2, 'u-2', 1, 1),
    }
    rows = {
        1: {'VCPU': world_mod.inventory_row(8, 1, 1, 8, 1, 2.5, 3),
            'DISK_GB': world_mod.inventory_row(100, 0, 1, 100, 1, 1.0, 0)},
        2: {'CUSTOM_"ODD"': world_mod.inventory_row(4, 0, 1, 4, 1, 1.0, 4)},
    }
    world.all_inventory = {
        pid: [(name, row.capacity, row.used) for name, row in found.items()]
        for pid, found in rows.items()}
    world.trait_order = {1: ['HW_CPU_X86_AVX2', 'CUSTOM_B']}
    return world


@pytest.mark.parametrize('version', [(1, 10), (1, 17), (1, 26), (1, 27),
                                     (1, 29), (1, 39)])
def test_summaries_writer_matches_renderer(version):
    version = Version(*version)
    world = _world()
    requested = {'VCPU', 'CUSTOM_"ODD"'}
    expected = {world.providers[pid].uuid: render.provider_summary(
        version, world, pid, world.all_inventory[pid], requested)
        for pid in (1, 2)}
    written = render.SummariesWriter(version, world, requested).write([1, 2])
    assert json.loads(written) == expected


def test_summaries_show_capacity_as_a_whole_number():
    written = json.loads(render.SummariesWriter(
        Version(1, 39), _world(), {'VCPU'}).write([1]))
    # (8 - 1) * 2.5 = 17.5
    assert written['u-1']['resources']['VCPU'] == {'capacity': 17, 'used': 3}
    assert written['u-1']['parent_provider_uuid'] is None
    assert written['u-1']['traits'] == ['HW_CPU_X86_AVX2', 'CUSTOM_B']
