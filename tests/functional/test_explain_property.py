"""Property test of GET /allocation_candidates/explain on the oracle's
random worlds (test_candidates_oracle): the trees it keeps at the end are
those of the candidates and its total is their count; its per-group and
per-tree counts are the ones the brute-force oracle (tests/oracle.py,
which shares no code with the engine) finds; and every reason it gives is
true of the world, checked number by number against the world as it was
written."""
import collections
import itertools

from hypothesis import HealthCheck, given, settings, strategies as st
import pytest

from placement.candidates import search
from tests import oracle
from tests.functional import app as test_app
from tests.functional import test_candidates_oracle as base


def _query(request, uuids):
    """The oracle test's query, and forbidden aggregates (!in:)."""
    params = base._query(request, uuids)
    for group in request.groups:
        if group.forbidden_aggs:
            params.append(('member_of' + group.suffix, '!in:' + ','.join(
                sorted(base.AGGS[a] for a in group.forbidden_aggs))))
    return params


class Explained(base.World):

    def explain(self, request, uuids, limit=None):
        params = _query(request, uuids)
        if limit is not None:
            params.append(('limit', str(limit)))
        params.append(('examples', '50'))
        params += [('provider', uuids[name]) for name in sorted(uuids)]
        response = self.client.get('/allocation_candidates/explain',
                                   params=params)
        assert response.status_code == 200, response.text
        return response.json()

    def raw_candidates(self, request, uuids, limit=None):
        params = _query(request, uuids)
        if limit is not None:
            params.append(('limit', str(limit)))
        response = self.client.get('/allocation_candidates', params=params)
        assert response.status_code == 200, response.text
        return response.json()['allocation_requests']


STATS = []
# (where, step) → how often a step removed something, or a named
# provider's outcome was that step: each kind of reason must be seen.
SEEN = collections.Counter()


@pytest.fixture(scope='module')
def loaded():
    # One tree per load, as the oracle test: explain's records must add up
    # across slices.
    per_load, search.TREES_PER_LOAD = search.TREES_PER_LOAD, 1
    search.WHOLE_LOAD = 1
    service = test_app.Service()
    yield Explained(service)
    search.TREES_PER_LOAD = per_load
    search.WHOLE_LOAD = None
    service.close()
    # Varied enough: some examples with candidates, some without. The
    # share with candidates is a statistic of one random run (15% to 46%
    # in the twelve runs seen on 2026-12-06, 20% having been the floor
    # until one run fell under it); the floor is now half that.
    assert sum(1 for n in STATS if n) >= len(STATS) // 10, STATS
    assert sum(1 for n in STATS if not n) >= len(STATS) // 10, STATS


class Checker:
    """Holds one explain answer to the world it explains."""

    def __init__(self, world, request, uuids):
        self.world = world
        self.request = request
        self.uuids = uuids
        self.names = {u: n for n, u in uuids.items()}
        self.groups = {g.suffix: g for g in request.groups}
        self.sharing = {n for n, p in world.items()
                        if oracle.SHARING in p.traits}
        self.roots = sorted({oracle.root_of(world, n) for n in world})
        self.anchored = {s: oracle.anchors(world, s) for s in self.sharing}

    def usable(self, anchor):
        found = [n for n in self.world if oracle.root_of(self.world, n)
                 == anchor]
        found += [s for s in sorted(self.sharing)
                  if anchor in self.anchored[s] and s not in found]
        return sorted(found)

    def tree_answers(self, anchor):
        return oracle._search_tree(self.world, self.request, anchor,
                                   self.usable(anchor))

    # -- the provider funnels ------------------------------------------------

    def group_funnels(self, body):
        assert [g['group'] for g in body['groups']] == sorted(self.groups)
        for entry in body['groups']:
            group = self.groups[entry['group']]
            assert entry['resources'] == group.resources
            for funnel in entry['funnels']:
                steps = funnel['steps']
                assert steps[0]['providers'] == len(self.world)
                left = len(self.world)
                for step in steps[1:]:
                    assert step['step'] != 'unexplained', step
                    left -= step['removed']
                    assert step['providers'] == left, steps
                    assert len(step['examples']) == min(step['removed'], 50)
                    if step['removed']:
                        SEEN[('group', step['step'])] += 1
                    for example in step['examples']:
                        self.provider_reason(example, group, step['step'],
                                             funnel.get('resource_class')
                                             or step.get('resource_class'))
                self.funnel_end(group, funnel, left)

    def funnel_end(self, group, funnel, left):
        """What a funnel keeps is what the oracle's own rules keep."""
        world = self.world
        if group.suffix:
            expected = sum(1 for n in world
                           if oracle._suffixed_ok(world, group, n))
        else:
            cls = funnel['resource_class']
            # Sharing providers with room stay, judged per tree.
            expected = sum(
                1 for n in world
                if (n in self.sharing and cls in world[n].inventory
                    and world[n].inventory[cls].takes(group.resources[cls]))
                or (n not in self.sharing and oracle._spread_ok(
                    world, group, n, oracle.root_of(world, n), cls)))
            judged = sum(1 for n in self.sharing
                         if cls in world[n].inventory
                         and world[n].inventory[cls].takes(
                             group.resources[cls]))
            assert funnel['judged_per_tree'] == judged
        assert left == expected, (group, funnel)

    def provider_reason(self, example, group, step, cls, anchor=None):
        """``example`` says why provider ``example['name']`` cannot serve
        ``group`` (its class ``cls``): check every fact it states."""
        name = self.names[example['uuid']]
        assert example['name'] == name
        assert example['reason'].startswith(name + ': ')
        provider = self.world[name]
        if step == 'class':
            assert cls not in provider.inventory
        elif step == 'room':
            self.room(example, provider, cls, group.resources[cls])
        elif step == 'required':
            assert example['traits_missing']
            for any_of in example['traits_missing']:
                assert set(any_of) in group.required
                assert not set(any_of) & provider.traits
        elif step == 'forbidden':
            assert example['traits_forbidden']
            assert set(example['traits_forbidden']) <= \
                group.forbidden & provider.traits
        elif step in ('member_of', 'forbidden_aggregates'):
            seen = {base.AGGS[a] for a in provider.aggregates}
            foreign = anchor is not None and \
                oracle.root_of(self.world, name) != anchor
            root = anchor or oracle.root_of(self.world, name)
            with_root = seen | {base.AGGS[a]
                                for a in self.world[root].aggregates}
            wanted = [{base.AGGS[a] for a in s} for s in group.member_of]
            if step == 'member_of':
                if group.suffix == '' and not foreign:
                    seen = with_root
                assert example['aggregates_missing']
                for any_of in example['aggregates_missing']:
                    assert set(any_of) in wanted
                    assert not set(any_of) & seen
            else:
                if group.suffix == '':
                    seen = with_root
                assert example['aggregates_forbidden']
                assert set(example['aggregates_forbidden']) <= seen
        elif step == 'in_tree':
            assert example['in_tree'] == self.uuids[group.in_tree]
            target = oracle.root_of(self.world, group.in_tree)
            foreign = anchor is not None and \
                oracle.root_of(self.world, name) != anchor
            assert foreign or oracle.root_of(self.world, name) != target
        else:
            raise AssertionError('unexpected step %s: %s' % (step, example))

    def room(self, example, provider, cls, amount):
        inv = provider.inventory[cls]
        assert example['resource_class'] == cls
        assert example['requested'] == amount
        facts = (inv.total, inv.reserved, inv.capacity(), inv.used,
                 max(inv.capacity() - inv.used, 0), inv.min_unit,
                 inv.max_unit, inv.step_size, inv.ratio)
        assert facts == tuple(example[k] for k in (
            'total', 'reserved', 'capacity', 'used', 'free', 'min_unit',
            'max_unit', 'step_size', 'allocation_ratio')), example
        assert not inv.takes(amount)
        assert example['violates']
        for broken in example['violates']:
            assert {'capacity': inv.used + amount > inv.capacity(),
                    'min_unit': amount < inv.min_unit,
                    'max_unit': amount > inv.max_unit,
                    'step_size': amount % inv.step_size != 0}[broken], broken

    # -- the trees -----------------------------------------------------------

    def tree_steps(self, body):
        steps = body['steps']
        assert steps[0]['step'] == 'trees'
        assert steps[0]['trees'] == len(self.roots)
        answers = {root: self.tree_answers(root) for root in self.roots}
        with_answers = {r for r, found in answers.items() if found}
        removed = set()
        left = len(self.roots)
        last_rule = None
        for step in steps[1:]:
            if step['step'] in ('duplicates', 'max_allocation_candidates',
                                'limit'):
                break
            assert step['step'] != 'unexplained', step
            left -= step['removed']
            assert step['trees'] == left
            assert len(step['examples']) == min(step['removed'], 50)
            if step['removed']:
                SEEN[('tree', step['step'])] += 1
            for example in step['examples']:
                root = self.names[example['uuid']]
                assert root in self.roots and root not in with_answers
                removed.add(root)
                self.tree_reason(example, step['step'], root)
            last_rule = step
        # The trees left after the combination rules are those where the
        # oracle finds answers, with as many answers (before duplicates).
        assert last_rule['trees'] == len(with_answers), (steps, answers)
        if last_rule['candidates'] is not None:
            assert last_rule['candidates'] == sum(len(f) for f in
                                                  answers.values())
        assert removed == set(self.roots) - with_answers

    def tree_reason(self, example, step, root):
        world = self.world
        assert example['reason'].startswith(root + ': ')
        if step == 'root_traits':
            traits = world[root].traits
            assert example.get('traits_missing') or \
                example.get('traits_forbidden')
            for any_of in example.get('traits_missing', ()):
                assert not set(any_of) & traits
                assert set(any_of) <= self.request.root_required
            assert set(example.get('traits_forbidden', ())) <= \
                traits & self.request.root_forbidden
        elif step == 'every_group_placed':
            group = self.groups[example['group']]
            providers = example['providers']
            assert providers
            if 'traits_missing' in example or 'traits_forbidden' in example:
                names = [self.names[p['uuid']] for p in providers]
                traits = set().union(*[world[n].traits for n in names])
                for any_of in example.get('traits_missing', ()):
                    assert not set(any_of) & traits
                assert set(example.get('traits_forbidden', ())) <= \
                    traits & group.forbidden
                for p in providers:
                    assert p['resource_class'] in group.resources
                return
            usable = self.usable(root)
            for p in providers:
                assert self.names[p['uuid']] in usable
                self.provider_reason(
                    p, group, self.step_of(p, group),
                    p.get('resource_class') or example.get('resource_class'),
                    anchor=root)
        elif step == 'isolate':
            assert self.request.group_policy == 'isolate'
            assert len(example['groups']) > 1
            assert len(example['providers']) == 1
        elif step == 'summed_capacity':
            name = self.names[example['providers'][0]['uuid']]
            inv = world[name].inventory[example['resource_class']]
            total = example['requested']
            assert total > inv.max_unit or \
                inv.used + total > inv.capacity()
            # The sum of what two groups or more ask of the class.
            amounts = [g.resources[example['resource_class']]
                       for g in self.request.groups
                       if example['resource_class'] in g.resources]
            assert any(sum(some) == total
                       for size in range(2, len(amounts) + 1)
                       for some in itertools.combinations(amounts, size))
        elif step == 'same_subtree':
            assert example['groups'] in self.request.same_subtree
            names = {self.names[p['uuid']] for p in example['providers']}
            assert not any(all(top in oracle.ancestors(world, n)
                               for n in names) for top in names)
        else:
            raise AssertionError('unexpected step %s: %s' % (step, example))

    def step_of(self, example, group):
        """The funnel step a nested provider reason is about, from the
        facts it carries."""
        for key, step in (('violates', 'room'),
                          ('traits_missing', 'required'),
                          ('traits_forbidden', 'forbidden'),
                          ('aggregates_missing', 'member_of'),
                          ('aggregates_forbidden', 'forbidden_aggregates'),
                          ('in_tree', 'in_tree')):
            if key in example:
                return step
        assert example['reason'].endswith(' inventory'), example
        return 'class'

    # -- the end: trees, totals, named providers -------------------------

    def ending(self, body, candidates):
        assert body['candidates'] == len(candidates)
        home = collections.Counter()
        shared_only = []
        for candidate in candidates:
            names = {self.names[u] for u in candidate['allocations']}
            for mapped in candidate['mappings'].values():
                names |= {self.names[u] for u in mapped}
            own = {oracle.root_of(self.world, n) for n in names
                   if n not in self.sharing}
            assert len(own) <= 1
            if own:
                home[own.pop()] += 1
            else:
                shared_only.append(names)
        trees = {self.names[u]: n for u, n in body['trees'].items()}
        assert sum(trees.values()) == len(candidates)
        for root, count in home.items():
            assert trees.get(root, 0) >= count, (trees, home)
        extra = {r: n - home.get(r, 0) for r, n in trees.items()
                 if n > home.get(r, 0)}
        assert sum(extra.values()) == len(shared_only)
        for root in extra:
            # Found from a tree the sharing providers serve.
            assert any(all(root in self.anchored[s] for s in names)
                       for names in shared_only), (root, shared_only)
        # Each named provider: in as many candidates as it is.
        for entry in body['providers']:
            name = self.names[entry['uuid']]
            count = sum(1 for c in candidates if entry['uuid'] in set(
                c['allocations']).union(*c['mappings'].values()))
            assert entry['candidates'] == count, (name, entry)
            SEEN[('provider', entry['step'])] += 1
            assert entry['outcome'] == ('candidate' if count else 'removed')
            assert entry['name'] == name
            if not count:
                assert entry['step'] not in (None, 'unexplained'), entry
                assert entry['reason'].startswith(
                    entry['detail']['name'] + ': ')
            for outcome in entry['groups']:
                assert outcome['step' if not outcome['kept'] else 'group'] \
                    != 'unexplained'
                if not outcome['kept']:
                    assert outcome['reason'].startswith(name + ': ')


@settings(max_examples=100, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture,
                                 HealthCheck.too_slow])
@given(data=st.data())
def test_explain_tells_the_truth(loaded, data):
    world = data.draw(base.worlds())
    request = data.draw(base.requests(world))
    uuids = loaded.load(world)
    try:
        check = Checker(world, request, uuids)
        for policy in ('none', 'isolate'):
            request.group_policy = policy
            body = loaded.explain(request, uuids)
            candidates = loaded.raw_candidates(request, uuids)
            STATS.append(len(candidates))
            check.group_funnels(body)
            check.tree_steps(body)
            check.ending(body, candidates)
            # With a limit: the first of the same, from the same trees.
            limit = data.draw(st.integers(1, 3))
            body = loaded.explain(request, uuids, limit)
            check.tree_steps(body)
            check.ending(body, loaded.raw_candidates(request, uuids, limit))
            assert body['steps'][-1]['step'] == 'limit'
            assert body['steps'][-1]['candidates'] == min(limit,
                                                          len(candidates))
    finally:
        loaded.wipe()


def _p(name, parent=None, traits=(), aggregates=(), **inventory):
    return oracle.Provider(name, parent, {
        cls: oracle.Inv(**inv) for cls, inv in inventory.items()},
        set(traits), set(aggregates))


def _world(*providers):
    return {p.name: p for p in providers}


# Worlds where the rarer steps and outcomes happen for sure.
KNOWN = {
    # Siblings cannot share a subtree; a parent and its child can.
    'same_subtree': (_world(
        _p('r1'), _p('r1a', 'r1', VCPU={'total': 4}),
        _p('r1b', 'r1', DISK_GB={'total': 4}),
        _p('r2', VCPU={'total': 4}), _p('r2a', 'r2', DISK_GB={'total': 4})),
        oracle.Request([oracle.Group('1', {'VCPU': 1}),
                        oracle.Group('2', {'DISK_GB': 1})],
                       same_subtree=[['1', '2']])),
    # A sharing provider alone meets the request from every tree it
    # serves: the candidate is kept once.
    'duplicates': (_world(
        _p('c1', aggregates={'agg1'}, VCPU={'total': 4}),
        _p('c2', aggregates={'agg1'}, VCPU={'total': 4}),
        _p('s0', traits={oracle.SHARING}, aggregates={'agg1'},
           DISK_GB={'total': 10})),
        oracle.Request([oracle.Group('', {'DISK_GB': 2})])),
    # The child has room but not the trait: never in a candidate.
    'unused': (_world(
        _p('r', traits={'CUSTOM_A'}, VCPU={'total': 4}),
        _p('n', 'r', VCPU={'total': 4})),
        oracle.Request([oracle.Group('', {'VCPU': 1},
                                     required=[{'CUSTOM_A'}])])),
    # Forbidden aggregates: the unsuffixed group counts the root's.
    'forbidden aggregates': (_world(
        _p('r', aggregates={'agg2'}), _p('n', 'r', VCPU={'total': 4}),
        _p('o', VCPU={'total': 4}, traits={'CUSTOM_B'}),
        _p('q', VCPU={'total': 4}, aggregates={'agg2'})),
        oracle.Request([oracle.Group('', {'VCPU': 1},
                                     forbidden_aggs={'agg2'},
                                     forbidden={'CUSTOM_B'}),
                        oracle.Group('1', {'VCPU': 1},
                                     forbidden_aggs={'agg2'})],
                       group_policy='none')),
    # Two groups summed beyond max_unit on the only provider.
    'summed': (_world(_p('r', VCPU={'total': 8, 'max_unit': 3})),
               oracle.Request([oracle.Group('1', {'VCPU': 2}),
                               oracle.Group('2', {'VCPU': 2})])),
}
KNOWN_STEPS = {'same_subtree': ('tree', 'same_subtree'),
               'duplicates': ('tree', 'duplicates'),
               'unused': ('provider', 'unused'),
               'forbidden aggregates': ('group', 'forbidden_aggregates'),
               'summed': ('tree', 'summed_capacity')}


@pytest.mark.parametrize('case', sorted(KNOWN))
def test_explain_known_worlds(loaded, case):
    world, request = KNOWN[case]
    uuids = loaded.load(world)
    try:
        SEEN.clear()
        check = Checker(world, request, uuids)
        body = loaded.explain(request, uuids)
        candidates = loaded.raw_candidates(request, uuids)
        check.group_funnels(body)
        check.tree_steps(body)
        check.ending(body, candidates)
        if case == 'duplicates':
            step = body['steps'][-1]
            assert (step['step'], step['removed'], step['trees']) == (
                'duplicates', 2, 1)
            SEEN[('tree', 'duplicates')] += 1
        assert SEEN[KNOWN_STEPS[case]], (case, body)
    finally:
        loaded.wipe()


def test_explain_with_a_limit_taken_at_random():
    """randomize_allocation_candidates: the limit picks among all the
    candidates, so explain says how many, not which trees keep theirs."""
    service = test_app.Service(
        {('placement', 'randomize_allocation_candidates'): True})
    try:
        world = Explained(service)
        uuids = world.load(_world(*[_p('h%d' % i, VCPU={'total': 4})
                                    for i in range(4)]))
        request = oracle.Request([oracle.Group('', {'VCPU': 1})])
        body = world.explain(request, uuids, limit=2)
        assert body['candidates'] == 2
        assert body['steps'][-1] == {
            'step': 'limit', 'description': body['steps'][-1]['description'],
            'trees': None, 'candidates': 2, 'removed': 2, 'examples': []}
        # The trees it picks among: every one.
        assert sorted(body['trees']) == sorted(uuids.values())
        assert len(world.raw_candidates(request, uuids, limit=2)) == 2
    finally:
        service.close()
