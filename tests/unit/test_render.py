"""The fast JSON writer for allocation requests says exactly what the
plain renderer says."""
import json

import pytest

from placement.candidates import render
from placement.candidates.combine import Candidate
from placement.microversion import Version

UUIDS = {1: 'u-1', 2: 'u-2', 3: 'u-3'}
CANDIDATES = [
    Candidate({1: {'VCPU': 2, 'MEMORY_MB': 512}, 3: {'DISK_GB': 10}},
              {'': [1, 3], '_NIC': [2]}),
    Candidate({2: {'VCPU': 1}}, {'1': [2]}),
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
    assert new[0]['mappings'] == {'': ['u-1', 'u-3'], '_NIC': ['u-2']}
