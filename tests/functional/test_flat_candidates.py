"""Property test: in clouds of lone providers, the candidates answered
without building trees (candidates/flat.py) are the general search's,
byte for byte in content, at every microversion whose answer differs."""
from unittest import mock

from hypothesis import HealthCheck, given, settings, strategies as st
import pytest
import sqlalchemy as sa

from placement.candidates import flat
from placement.db import tables
from tests import oracle
from tests.functional import app as test_app
from tests.functional import test_candidates_oracle as base

VERSIONS = ['1.12', '1.17', '1.27', '1.29', '1.34', '1.39']


@st.composite
def flat_worlds(draw):
    """Lone providers only: no parent, no sharing provider."""
    return {'p%d' % index: oracle.Provider(
        'p%d' % index, None, draw(base.inventories()),
        set(draw(st.sets(st.sampled_from(base.TRAITS), max_size=2))),
        set(draw(st.sets(st.sampled_from(sorted(base.AGGS)), max_size=2))))
        for index in range(draw(st.integers(1, 6)))}


@st.composite
def flat_requests(draw, world):
    """Requests the flat path takes: no in_tree, each class asked by one
    group, no isolation between two suffixed groups."""
    request = draw(base.requests(world))
    seen = set()
    for group in request.groups:
        group.in_tree = None
        group.resources = {name: amount for name, amount
                           in group.resources.items() if name not in seen}
        seen |= set(group.resources)
    request.groups = [g for g in request.groups if g.resources]
    if not request.groups:
        request.groups = [oracle.Group('', {'VCPU': 1}, [], set(), [],
                                       set(), None)]
    suffixes = {g.suffix for g in request.groups if g.suffix}
    if len(suffixes) > 1:
        request.group_policy = 'none'
    request.same_subtree = [s for s in request.same_subtree
                            if set(s) <= suffixes]
    return request


@pytest.fixture(scope='module')
def loaded():
    service = test_app.Service()
    yield base.World(service)
    service.close()


def _answer(world, params, version, general):
    headers = {'openstack-api-version': 'placement %s' % version}
    if general:
        with mock.patch.object(flat, 'applies', return_value=False):
            response = world.client.get('/allocation_candidates',
                                        params=params, headers=headers)
    else:
        with mock.patch.object(flat, 'answer', wraps=flat.answer) as spy:
            response = world.client.get('/allocation_candidates',
                                        params=params, headers=headers)
        assert spy.called, 'the flat path was not taken'
    assert response.status_code == 200, response.text
    return response.json()


def _params(request, uuids, version):
    """The query for ``request`` in the syntax ``version`` accepts; None
    when it cannot be asked there (suffixed groups before 1.25)."""
    at = tuple(int(part) for part in version.split('.'))
    granular = at >= (1, 25)
    if not granular and any(g.suffix for g in request.groups):
        return None
    params = []
    for group in request.groups:
        s = group.suffix
        params.append(('resources' + s, ','.join(
            '%s:%d' % item for item in sorted(group.resources.items()))))
        if at >= (1, 17):
            required = []
            for any_of in group.required:
                if len(any_of) == 1:
                    required.extend(any_of)
                elif at >= (1, 39):
                    params.append(('required' + s,
                                   'in:' + ','.join(sorted(any_of))))
            if at >= (1, 22):
                required += ['!' + t for t in sorted(group.forbidden)]
            if required:
                params.append(('required' + s, ','.join(required)))
        if at >= (1, 21):
            for any_of in group.member_of:
                params.append(('member_of' + s, 'in:' + ','.join(
                    sorted(base.AGGS[a] for a in any_of))))
    if granular:
        params.append(('group_policy', request.group_policy))
    if at >= (1, 36):
        for suffixes in request.same_subtree:
            params.append(('same_subtree', ','.join(suffixes)))
    if at >= (1, 35) and (request.root_required or request.root_forbidden):
        params.append(('root_required', ','.join(
            sorted(request.root_required)
            + ['!' + t for t in sorted(request.root_forbidden)])))
    return params


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture,
                                 HealthCheck.too_slow])
@given(data=st.data())
def test_flat_path_matches_general_search(loaded, data):
    world = data.draw(flat_worlds())
    request = data.draw(flat_requests(world))
    uuids = loaded.load(world)
    try:
        for version in VERSIONS:
            params = _params(request, uuids, version)
            if params is None:
                continue
            limit = data.draw(st.sampled_from([None, 1, 2]))
            if limit is not None and version != '1.12':  # limit: 1.16
                params.append(('limit', str(limit)))
            expected = _answer(loaded, params, version, general=True)
            assert _answer(loaded, params, version, general=False) == \
                expected, (version, params)
    finally:
        loaded.wipe()


def test_flat_path_not_taken_for_nested_or_shared(loaded):
    """A parent anywhere, or a sharing provider, sends every request to
    the general search."""
    for world in (
            {'p0': oracle.Provider('p0', None, {'VCPU': oracle.Inv(
                total=4, reserved=0, min_unit=1, max_unit=4, step_size=1,
                ratio=1.0)}, set(), set()),
             'p1': oracle.Provider('p1', 'p0', {}, set(), set())},
            {'p0': oracle.Provider('p0', None, {'VCPU': oracle.Inv(
                total=4, reserved=0, min_unit=1, max_unit=4, step_size=1,
                ratio=1.0)}, set(), {'agg1'}),
             's0': oracle.Provider('s0', None, {'DISK_GB': oracle.Inv(
                 total=4, reserved=0, min_unit=1, max_unit=4, step_size=1,
                 ratio=1.0)}, {oracle.SHARING}, {'agg1'})}):
        for provider in world.values():
            for inv in provider.inventory.values():
                inv.used = 0
        loaded.load(world)
        try:
            with mock.patch.object(flat, 'answer') as spy:
                response = loaded.client.get(
                    '/allocation_candidates',
                    params={'resources': 'VCPU:1'},
                    headers={'openstack-api-version': 'placement 1.39'})
            assert response.status_code == 200, response.text
            assert len(response.json()['allocation_requests']) == 1
            assert not spy.called
        finally:
            loaded.wipe()


def _six_lone_providers():
    inv = {'VCPU': oracle.Inv(total=8, reserved=0, min_unit=1, max_unit=8,
                              step_size=1, ratio=1.0)}
    world = {'p%d' % n: oracle.Provider('p%d' % n, None, dict(inv), set(),
                                        set()) for n in range(6)}
    for provider in world.values():
        provider.inventory['VCPU'].used = 0
    return world


@pytest.mark.parametrize('randomize', [False, True])
def test_flat_path_takes_the_configured_maximum(randomize):
    """[placement] max_allocation_candidates bounds the flat path's
    answer as the general search's: the first by provider id, shuffled
    after when randomize_allocation_candidates is set; the summaries are
    those of the candidates given, and a limit applies after."""
    service = test_app.Service({
        ('placement', 'max_allocation_candidates'): 4,
        ('placement', 'randomize_allocation_candidates'): randomize})
    try:
        world = base.World(service)
        uuids = world.load(_six_lone_providers())
        by_id = [uuids['p%d' % n] for n in range(6)]  # created in order
        for limit in (None, 2):
            params = {'resources': 'VCPU:1'}
            if limit:
                params['limit'] = str(limit)
            answers = [_answer(world, params, '1.39', general)
                       for general in (False, True)]
            for answer in answers:
                picked = [list(c['allocations'])[0]
                          for c in answer['allocation_requests']]
                assert len(picked) == (limit or 4)
                assert set(answer['provider_summaries']) == set(picked)
                if randomize:
                    assert set(picked) <= set(by_id[:4])
                else:
                    assert picked == by_id[:limit or 4]
            if not randomize or limit is None:
                # Shuffled, the two paths' limited picks may differ.
                assert {frozenset(a['provider_summaries']) for a in answers} \
                    == {frozenset(answers[0]['provider_summaries'])}
    finally:
        service.close()


def test_flat_path_lists_every_trait_in_general_order(loaded):
    """The flat path reads each provider's trait ids as one column
    (db/trait_list.py): all of them, past MySQL's default limit of 1,024
    characters, named and in the order the general search lists them."""
    names = ['CUSTOM_A_RATHER_LONG_TRAIT_NAME_%03d' % n for n in range(300)]
    client = loaded.client
    for name in reversed(names):  # trait ids in the reverse name order
        assert client.put('/traits/%s' % name).status_code in (201, 204)
    uuids = loaded.load(_six_lone_providers())
    try:
        rp = uuids['p2']
        generation = client.get('/resource_providers/%s' % rp).json()[
            'generation']
        response = client.put('/resource_providers/%s/traits' % rp, json={
            'resource_provider_generation': generation,
            'traits': names + ['HW_CPU_X86_AVX2']})
        assert response.status_code == 200, response.text
        params = {'resources': 'VCPU:1'}
        flat_answer = _answer(loaded, params, '1.39', general=False)
        general = _answer(loaded, params, '1.39', general=True)
        assert flat_answer == general
        listed = flat_answer['provider_summaries'][rp]['traits']
        assert len(listed) == 301 and listed != sorted(listed)
        with loaded.service.engine.connect() as conn:
            ids = conn.execute(sa.select(tables.traits.c.id).where(
                tables.traits.c.name.in_(listed))).scalars().all()
        assert len(','.join(map(str, ids))) > 1024
        assert flat_answer['provider_summaries'][uuids['p1']]['traits'] == []
    finally:
        loaded.wipe()
