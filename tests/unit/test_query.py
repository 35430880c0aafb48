import pytest

from placement import errors, query
from placement.microversion import Version

AGG1 = 'a3ba1e9b-9a0c-4b28-9e5e-d6a3d6d3b1a1'
AGG2 = 'b3ba1e9b-9a0c-4b28-9e5e-d6a3d6d3b1a2'


def test_resources_parse():
    assert query.resources('VCPU:2,MEMORY_MB:1024') == {
        'VCPU': 2, 'MEMORY_MB': 1024}


@pytest.mark.parametrize('raw, message', [
    ('', 'Got: empty string.'),
    ('VCPU', 'Got: VCPU.'),
    ('VCPU:fred', 'expected positive integer amount'),
    ('VCPU:-2', 'requires amount >= 1'),
    ('DISK_GB:500,', 'Got: .'),
], ids=['empty', 'no-amount', 'not-integer', 'negative', 'trailing-comma'])
# (explicit ids: gabbi's pytest plugin takes ids holding ':' for its own)
def test_resources_errors(raw, message):
    with pytest.raises(errors.BadRequest) as caught:
        query.resources(raw)
    assert message in caught.value.detail


def test_required_forbidden_needs_1_22():
    with pytest.raises(errors.BadRequest):
        query.required_traits('!CUSTOM_A', Version(1, 21))
    parsed = query.required_traits('CUSTOM_B,!CUSTOM_A', Version(1, 22))
    assert parsed.any_of == [frozenset(['CUSTOM_B'])]
    assert parsed.forbidden == {'CUSTOM_A'}


def test_required_any_of_needs_1_39():
    with pytest.raises(errors.BadRequest) as caught:
        query.required_traits('in:CUSTOM_A,CUSTOM_B', Version(1, 38))
    assert 'only supported since microversion 1.39' in caught.value.detail
    parsed = query.required_traits(['in:CUSTOM_A,CUSTOM_B', 'CUSTOM_C'],
                                   Version(1, 39))
    assert parsed.any_of == [frozenset(['CUSTOM_A', 'CUSTOM_B']),
                             frozenset(['CUSTOM_C'])]


def test_repeated_required_before_1_39_keeps_last():
    parsed = query.required_traits(['CUSTOM_A', 'CUSTOM_B'], Version(1, 38))
    assert parsed.any_of == [frozenset(['CUSTOM_B'])]


def test_member_of_forms():
    parsed = query.member_of(['in:%s,%s' % (AGG1, AGG2), '!' + AGG1],
                             Version(1, 32))
    assert parsed.any_of == [frozenset([AGG1, AGG2])]
    assert parsed.forbidden == {AGG1}


@pytest.mark.parametrize('values, version, message', [
    ([AGG1, AGG2], (1, 23), 'Multiple member_of parameters'),
    (['!' + AGG1], (1, 31), 'Forbidden member_of'),
    (['%s,%s' % (AGG1, AGG2)], (1, 24), "prefixed with the 'in:'"),
    (['in:%s,!%s' % (AGG1, AGG2)], (1, 32), 'valid UUID'),
    (['in:'], (1, 24), 'valid UUID'),
], ids=['repeat-1.23', 'forbidden-1.31', 'unprefixed-list', 'in-with-not',
        'empty-in'])
def test_member_of_errors(values, version, message):
    with pytest.raises(errors.BadRequest) as caught:
        query.member_of(values, Version(*version))
    assert message in caught.value.detail
