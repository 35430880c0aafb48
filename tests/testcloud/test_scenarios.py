"""Scenario files: the built-in ones load and check; a user's mistakes
get an error that says where and what."""
import configparser
import fnmatch
import os

import pytest

from placement.testcloud import scenario as scenario_mod

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
REQUIRED = ['empty', 'flat', 'numa', 'sriov', 'vgpu', 'shared-storage',
            'ironic', 'mixed']


def write(tmp_path, text, name='mine.yaml'):
    path = tmp_path / name
    path.write_text(text)
    return str(path)


def error_of(tmp_path, text):
    with pytest.raises(scenario_mod.ScenarioError) as caught:
        scenario_mod.load(write(tmp_path, text))
    return str(caught.value)


def test_the_issue_scenarios_are_built_in():
    assert set(REQUIRED) <= set(scenario_mod.builtin_names())


@pytest.mark.parametrize('name', scenario_mod.builtin_names())
def test_builtin_scenario_is_valid(name):
    loaded = scenario_mod.load(name)
    assert loaded.name == name
    assert loaded.description


def test_builtin_scenarios_cover_what_the_issue_lists():
    mixed = scenario_mod.load('mixed')
    others = [scenario_mod.load(n) for n in REQUIRED if n != 'mixed']
    assert [p.name for p in mixed.providers] == [
        p.name for s in others for p in s.providers]
    assert any(p.parent for p in scenario_mod.load('numa').providers)
    sharing = [p for p in scenario_mod.load('shared-storage').providers
               if 'MISC_SHARES_VIA_AGGREGATE' in p.traits]
    assert sharing and sharing[0].aggregates
    assert scenario_mod.load('ironic').resource_classes
    sriov = scenario_mod.load('sriov')
    assert any('NET_BW_EGR_KILOBIT_PER_SEC' in p.inventories
               and 'SRIOV_NET_VF' in p.inventories for p in sriov.providers)
    assert any(t.startswith('CUSTOM_PHYSNET_') for t in sriov.traits)
    types = {c.consumer_type for c in mixed.consumers}
    assert {'INSTANCE', 'MIGRATION', None} <= types
    # The migration record holds the source host's allocations, the
    # instance the destination's.
    flat = scenario_mod.load('flat').index()['providers']
    consumers = {c.name: c for c in mixed.consumers}
    assert list(consumers['flat-migration-0'].allocations) == [
        flat['compute-1']]
    assert list(consumers['flat-vm-2'].allocations) == [flat['compute-2']]


def test_uuids_derive_from_names_unless_given(tmp_path):
    first = scenario_mod.load('flat').index()
    assert first == scenario_mod.load('flat').index()
    assert first['providers']['compute-0'] == scenario_mod.derived_uuid(
        'provider', 'compute-0')
    given = scenario_mod.load(write(tmp_path, """
providers:
  - name: a
    uuid: 7D3F3B1E-0000-4000-8000-000000000001
"""))
    assert given.providers[0].uuid == '7d3f3b1e-0000-4000-8000-000000000001'


def test_includes_resolve_relative_to_the_file(tmp_path):
    write(tmp_path, 'providers: [{name: mine-0, inventories: {VCPU: 4}}]\n',
          'part.yaml')
    loaded = scenario_mod.load(write(tmp_path, """
description: mine
include: [flat, part.yaml]
"""))
    assert [p.name for p in loaded.providers][-1] == 'mine-0'
    assert loaded.description == 'mine'


@pytest.mark.parametrize('text, expected', [
    ('providers:\n  - name: a\n    inventory: {VCPU: 1}\n',
     "providers[0]: Additional properties are not allowed ('inventory'"),
    ('providers:\n  - name: a\n    inventories: {VCPU: 0}\n',
     'providers[0].inventories.VCPU'),
    ('providers:\n  - name: a\n    inventories: {vcpu: 1}\n',
     "providers[0].inventories: 'vcpu' does not match"),
    ('resource_classes: [GOLD]\n', "resource_classes[0]: 'GOLD' does not"),
    ('consumers:\n  - name: c\n', "consumers[0]: 'allocations' is a required"),
    ('providers: {name: a}\n', 'providers: {'),
    ('- a\n', "(top level): ['a'] is not of type 'object'"),
], ids=['typo', 'zero-total', 'lower-case-class', 'class-not-custom',
        'no-allocations', 'not-a-list', 'not-a-mapping'])
def test_schema_errors_say_where(tmp_path, text, expected):
    message = error_of(tmp_path, text)
    assert 'mine.yaml' in message and 'is not a valid scenario' in message
    assert expected in message


def test_not_yaml(tmp_path):
    assert 'not valid YAML' in error_of(tmp_path, 'providers: [\n')


def test_unknown_standard_trait_suggests_the_right_one(tmp_path):
    message = error_of(tmp_path, """
providers:
  - {name: a, traits: [HW_CPU_X86_AVX3]}
""")
    assert 'HW_CPU_X86_AVX3 is not a standard trait' in message
    assert 'did you mean HW_CPU_X86_AVX' in message


def test_unknown_standard_class(tmp_path):
    message = error_of(tmp_path, """
providers:
  - {name: a, inventories: {VCPUS: 4}}
""")
    assert 'VCPUS is not a standard resource class' in message
    assert 'did you mean VCPU?' in message


@pytest.mark.parametrize('text, expected', [
    ("providers: [{name: a}, {name: a}]",
     "provider name 'a' is used twice"),
    ("include: [flat]\nproviders: [{name: compute-0}]",
     "provider name 'compute-0' is used twice"),
    ("providers: [{name: a, inventories: {VCPU: 1}}]\n"
     "consumers: [{name: c, allocations: {b: {VCPU: 1}}}]",
     "allocates from unknown provider 'b'"),
    ("providers: [{name: a, inventories: {VCPU: 1}}]\n"
     "consumers: [{name: c, allocations: {a: {DISK_GB: 1}}}]",
     'provider a has no DISK_GB inventory'),
    ("providers: [{name: a, inventories: {VCPU: 2}}]\n"
     "consumers: [{name: c, allocations: {a: {VCPU: 2}}},"
     " {name: d, allocations: {a: {VCPU: 1}}}]",
     'exceed its capacity 2 (at consumer d)'),
    ("providers: [{name: a, inventories: {VCPU: {total: 8, max_unit: 2}}}]\n"
     "consumers: [{name: c, allocations: {a: {VCPU: 4}}}]",
     'outside min_unit 1, max_unit 2'),
    ("providers: [{name: a, inventories: {VCPU: {total: 1, reserved: 2}}}]",
     'VCPU inventory needs reserved <= total'),
    ("include: [nowhere]", "unknown scenario 'nowhere'"),
    ("include: [mine.yaml]", 'included twice'),
], ids=['twice', 'twice-in-include', 'unknown-provider', 'no-inventory',
        'over-capacity', 'over-max-unit', 'reserved', 'unknown-include',
        'cycle'])
def test_semantic_errors(tmp_path, text, expected):
    assert expected in error_of(tmp_path, text)


def test_missing_file():
    with pytest.raises(scenario_mod.ScenarioError,
                       match='cannot read scenario file'):
        scenario_mod.load('/nonexistent/scenario.yaml')


def test_needs_the_microversion_of_what_it_uses():
    assert scenario_mod.load('empty').needs() == (1, 0)
    assert scenario_mod.load('flat').needs() == (1, 6)
    assert scenario_mod.load('numa').needs() == (1, 14)


def test_a_plain_install_ships_the_scenario_files():
    """setup.cfg's package_data for placement.testcloud matches every
    scenario file (a wheel holds only what it names)."""
    config = configparser.ConfigParser()
    config.read(os.path.join(ROOT, 'setup.cfg'))
    patterns = config['options.package_data']['placement.testcloud'].split()
    folder = os.path.join(ROOT, 'placement', 'testcloud', 'scenarios')
    for name in os.listdir(folder):
        assert any(fnmatch.fnmatch('scenarios/' + name, p) for p in patterns)
