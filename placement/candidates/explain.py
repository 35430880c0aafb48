"""GET /allocation_candidates/explain (our extension): the funnel from the
whole cloud to the candidates GET /allocation_candidates gives for the
same query, with reasons.

Nothing here decides what a candidate is. A ``Recorder`` is handed to the
candidate search (combine.generate) as its observer, over a LazyWorld
that loads every tree (not only those the SQL finds worth searching):

- eligible.py tells it, per request group, which providers each of its
  rules kept, in the order they are applied (set by set, per slice of
  trees); for the unsuffixed group, whose per-provider loop is left as it
  is, it is shown what the loop kept and finds, with the same predicates
  (room_for, spread_labels_failure) in the same order, the rule that
  dropped each of the others;
- combine.generate runs each tree's search through ``Recorder.search``,
  and tells it of each duplicate candidate it drops; a tree whose search
  gives nothing is searched again (the same TreeSearch, copied) with the
  combination rules switched off and then on again one at a time, in a
  fixed order: the first rule whose switching on leaves nothing removed
  the tree, and a candidate of the search before it is the example of
  what that rule refuses;
- generate is given the maximum the candidates handler gives it, so it
  stops where GET /allocation_candidates stops (explain costs what that
  query costs, however many candidates there would be without it); the
  trees it did not reach are then only asked for a first candidate (or
  searched again as above, if they have none): the funnel counts every
  tree, and counts candidates only as far as the search went.

A reason's words are written from the same world the search read: the
numbers it gives are the ones the predicates tested.
"""
import copy
import types
import uuid as uuidlib

import sqlalchemy as sa

from placement.candidates import combine, eligible
from placement.candidates.world import room_for
from placement.db.tables import resource_providers as rp

UNEXPLAINED = 'unexplained'
# The order explain switches the combination rules back on.
COMBINATION_RULES = ('isolate', 'summed_capacity', 'same_subtree',
                     'one_provider_per_tree')
LABEL_RULES = ('in_tree', 'member_of', 'forbidden_aggregates')  # unsuffixed


def _label(group):
    """A request group as the query names it."""
    return 'resources%s' % group.suffix


def _any_of(sets):
    return ', '.join(' or '.join(sorted(s)) for s in sets)


def _first(search):
    """The first (candidate, key) a tree search gives, or None."""
    return next(iter(search.candidates()), None)


class Funnel:
    """One funnel of providers: a suffixed group, or one class of the
    unsuffixed group. Per step (in the order first recorded) the
    providers left and removed, summed over the slices of trees; which
    step removed each provider."""

    def __init__(self, group, resource_class=None):
        self.group = group
        self.resource_class = resource_class
        self.steps = {}    # (step, class or None) → [left, removed]
        self.dropped = {}  # pid → (step, class or None)
        self.judged_per_tree = 0

    def add(self, key, left, dropped):
        counts = self.steps.setdefault(key, [0, 0])
        counts[0] += left
        counts[1] += len(dropped)
        for pid in dropped:
            self.dropped[pid] = key


class Recorder:
    """The observer of one explained search (see the module docstring)."""

    def __init__(self, world, request, in_tree_roots, examples,
                 one_provider_per_tree, named=()):
        self.world = world
        self.request = request
        self.in_tree_roots = in_tree_roots
        self.examples = examples
        self.named = set(named)  # pids asked about with provider=
        self.funnels = {}        # (suffix, class or None) → Funnel
        for group in request.groups:
            if group.same_provider:
                self.funnels[(group.suffix, None)] = Funnel(group)
            else:
                for name in sorted(group.resources):
                    self.funnels[(group.suffix, name)] = Funnel(group, name)
        self.rules = [rule for rule, applies in zip(COMBINATION_RULES, (
            request.group_policy == 'isolate',
            self._summing(), bool(request.same_subtree),
            one_provider_per_tree)) if applies]
        self.searched = []      # roots of the trees judged, in order
        self.started = set()    # roots whose search generate began
        self.template = None    # the first TreeSearch (to search others)
        self.dropped = {}       # root → (step, what it is about)
        self.found = {}         # root → candidates its search gave (all)
        self.partial = set()    # roots whose search generate left unfinished
        self.unreached = {}     # root → 'cut' or 'duplicates' (not searched)
        self.duplicates = {}    # root → of them, duplicates dropped
        self.first_from = {}    # duplicate key → root it was first found from
        self.duplicate_of = {}  # root → a root its duplicates were found from
        self.current = None     # (root, key) of the last candidate given
        self.accepted = []      # (root, sharing only, named pids) per
        #                         candidate, in the order of the answer
        self.named_found = dict.fromkeys(self.named, 0)

    def _summing(self):
        """Summed capacity can only refuse a class two groups ask for."""
        seen = set()
        for group in self.request.groups:
            if seen & set(group.resources):
                return True
            seen |= set(group.resources)
        return False

    # -- told by eligible.py ----------------------------------------------

    def alone_class(self, group, name, amount, base, holders, roomy):
        funnel = self.funnels[(group.suffix, None)]
        having = base.intersection(holders)
        with_room = having & roomy
        funnel.add(('class', name), len(having), base - having)
        funnel.add(('room', name), len(with_room), having - with_room)

    def alone_rule(self, group, rule, before, after):
        self.funnels[(group.suffix, None)].add((rule, None), len(after),
                                               before - after)

    def unfiltered(self, group, pids):
        self.funnels[(group.suffix, None)].add(('no_positive_filter', None),
                                               0, pids)

    def spread_added(self, index, group, pids, holders):
        """The unsuffixed group's loop (Eligible.add) has run over a
        slice: find the rule that dropped each provider it left out."""
        world = self.world
        for name, amount in sorted(group.resources.items()):
            funnel = self.funnels[(group.suffix, name)]
            having = holders.get(name, ())
            kept_by_loop = set().union(*index.spread.get(name, {}).values())
            shared = index.spread_sharing.get(name, set())
            dropped = {rule: set() for rule in ('room', UNEXPLAINED)
                       + LABEL_RULES}
            for pid in having:
                if not room_for(world.inventory[(pid, name)], amount):
                    dropped['room'].add(pid)
                    continue
                if pid in world.sharing:
                    if pid in shared:
                        funnel.judged_per_tree += 1
                    else:
                        dropped[UNEXPLAINED].add(pid)
                    continue
                root = world.providers[pid].root_id
                failure = eligible.spread_labels_failure(
                    world, self.in_tree_roots, group, pid, root)
                if (pid in kept_by_loop) != (failure is None):
                    failure = UNEXPLAINED
                if failure is not None:
                    dropped[failure].add(pid)
            left = len(having)
            funnel.add(('class', None), left, set(pids).difference(having))
            for rule in ('room',) + LABEL_RULES + (UNEXPLAINED,):
                applies = {'room': True,
                           'in_tree': group.suffix in self.in_tree_roots,
                           'member_of': bool(group.member_of),
                           'forbidden_aggregates': bool(
                               group.forbidden_aggs)}.get(rule, False)
                if applies or dropped[rule]:
                    left -= len(dropped[rule])
                    funnel.add((rule, None), left, dropped[rule])

    # -- told by combine.generate -------------------------------------------

    def search(self, tree):
        """Run one tree's search, passing its candidates on; if it gives
        none, find the step that removed the tree."""
        root = tree.root_id
        if self.template is None:
            self.template = tree
        self.started.add(root)
        found = 0
        named = self.named
        for candidate, key in tree.candidates():
            found += 1
            self.current = (root, key)
            if key is not None:
                self.first_from.setdefault(key, root)
            if named:
                for pid in named.intersection(candidate.allocations).union(
                        *[named.intersection(p)
                          for p in candidate.mappings.values()]):
                    self.named_found[pid] += 1
            yield candidate, key
        if root not in self.world.tree_members:
            return  # the tree went away after its root was listed
        self.searched.append(root)
        if found:
            self.found[root] = found
        else:
            self._removed(tree)

    def finish(self, lazy):
        """generate is done: judge the trees it did not search to the end
        (it stops at the maximum, as GET /allocation_candidates does)."""
        world = self.world
        finished = set(self.searched)
        for root in lazy.roots():
            if root in finished or root not in world.tree_members:
                continue
            if root in self.started:
                self.partial.add(root)  # it gave a candidate, maybe more
                self.searched.append(root)
                continue
            if self.template is None:
                break  # generate searched nothing: there is no tree
            tree = copy.copy(self.template)
            tree.root_id = root
            self.searched.append(root)
            self._unreached(tree)

    def _unreached(self, tree):
        """A tree the search stopped before: a first candidate not found
        before (not a duplicate) says the stop cut it off."""
        root, seen = tree.root_id, False
        for candidate, key in tree.candidates():
            if key is None or key not in self.first_from:
                if key is not None:
                    self.first_from[key] = root
                self.unreached[root] = 'cut'
                return
            seen = True
            self.duplicate_of.setdefault(root, self.first_from[key])
        if seen:
            self.unreached[root] = 'duplicates'
        else:
            self._removed(tree)

    @property
    def exact(self):
        """Every candidate of every tree was counted (no stop)."""
        return not self.partial and not self.unreached

    def duplicate(self, key):
        root = self.current[0]
        self.duplicates[root] = self.duplicates.get(root, 0) + 1
        self.duplicate_of.setdefault(root, self.first_from[key])

    def accept(self, candidate):
        """A candidate generate kept (in the order of the answer)."""
        root, key = self.current
        in_it = ()
        if self.named:
            in_it = self.named.intersection(candidate.allocations).union(
                *[self.named.intersection(p)
                  for p in candidate.mappings.values()])
        self.accepted.append((root, key is not None, in_it))

    def _removed(self, tree):
        root = tree.root_id
        if not tree._root_ok():
            self.dropped[root] = ('root_traits', None)
            return
        relaxed = copy.copy(tree)
        relaxed.check_isolate = relaxed.check_sums = False
        relaxed.check_subtrees = relaxed.one_provider_per_tree = False
        witness = _first(relaxed)
        if witness is None:
            self.dropped[root] = ('every_group_placed', self._unplaced(tree))
            return
        for rule in self.rules:
            if rule == 'isolate':
                relaxed.check_isolate = True
            elif rule == 'summed_capacity':
                relaxed.check_sums = True
            elif rule == 'same_subtree':
                relaxed.check_subtrees = True
            else:
                relaxed.one_provider_per_tree = True
            found = _first(relaxed)
            if found is None:
                self.dropped[root] = (rule, witness[0])
                return
            witness = found
        self.dropped[root] = (UNEXPLAINED, None)

    def _unplaced(self, tree):
        """(group, class, kind, pids) of the first group the tree has no
        option for: kind 'providers' (none serves it: pids are the tree's
        and its sharing providers) or 'traits' (unsuffixed: no choice has
        its traits; pids are the first choice)."""
        root = tree.root_id
        world, index = self.world, tree.eligible
        around = sorted(set(world.tree_members[root]) |
                        world.sharers_of.get(root, set()))
        for group in self.request.groups:
            if tree._options(group):
                continue
            if group.same_provider:
                return (group, None, 'providers', around)
            for name in sorted(group.resources):
                if not index.spread_for(group, name, root):
                    return (group, name, 'providers', around)
            return (group, None, 'traits', [
                index.spread_for(group, name, root)[0]
                for name in sorted(group.resources)])
        return None


class Report:
    """The answer's body, from a Recorder after the search."""

    def __init__(self, conn, recorder, request, conf, maximum, named_uuids,
                 named_pids):
        self.rec = recorder
        self.world = recorder.world
        self.request = request
        self.conf = conf
        self.maximum = maximum  # what the handler gives generate
        self.named_uuids = named_uuids  # [uuid as given]
        self.named_pids = named_pids    # uuid as given → pid
        self.examples = recorder.examples
        self.nested = max(1, recorder.examples)
        self.conn = conn
        self.names = {}
        self._wanted = set()

    # -- the body ------------------------------------------------------------

    def body(self):
        rec, world = self.rec, self.world
        accepted = rec.accepted  # the handler's candidates, before its limit
        limit = self.request.limit
        final = min(len(accepted), limit) if limit else len(accepted)
        random = bool(self.conf.randomize_allocation_candidates and limit
                      and final < len(accepted))
        # With a limit taken at random, the trees it picks among.
        kept = accepted if random else accepted[:final]
        trees = {}
        for root, _, _ in kept:
            uuid = world.providers[root].uuid
            trees[uuid] = trees.get(uuid, 0) + 1
        body = {
            'candidates': final,
            'groups': [self._group(g) for g in self.request.groups],
            'sharing': self._sharing(),
            'steps': self._tree_steps(final, random),
            'trees': trees,
            'providers': [self._named(u, len(kept))
                          for u in self.named_uuids],
        }
        self._fetch_names()
        return _resolve(body)

    def _binding(self):
        """The setting the search stops at: 'limit' or
        'max_allocation_candidates' (None: nothing stops it)."""
        if self.maximum is None:
            return None
        limit = self.request.limit
        if limit and not self.conf.randomize_allocation_candidates and (
                self.conf.max_allocation_candidates <= 0
                or limit <= self.conf.max_allocation_candidates):
            return 'limit'
        return 'max_allocation_candidates'

    def _fetch_names(self):
        wanted = sorted(self._wanted - set(self.names))
        for start in range(0, len(wanted), 500):
            part = wanted[start:start + 500]
            self.names.update((pid, name) for pid, name in self.conn.execute(
                sa.select(rp.c.id, rp.c.name).where(rp.c.id.in_(part))))

    def _name(self, pid):
        return self.names.get(pid) or self.world.providers[pid].uuid

    def _later(self, pids, make):
        """An example written once the names are read."""
        self._wanted.update(pids)
        return _Later(make)

    # -- groups --------------------------------------------------------------

    def _group(self, group):
        funnels = []
        for (suffix, name), funnel in self.rec.funnels.items():
            if suffix != group.suffix:
                continue
            entry = {}
            if name is not None:
                entry.update(resource_class=name,
                             amount=group.resources[name],
                             judged_per_tree=funnel.judged_per_tree)
            entry['steps'] = self._funnel_steps(funnel)
            funnels.append(entry)
        return {'group': group.suffix, 'resources': dict(group.resources),
                'funnels': funnels}

    def _funnel_steps(self, funnel):
        steps = [{'step': 'providers', 'description': (
            'Every resource provider.'), 'providers': len(
                self.world.providers), 'removed': 0, 'examples': []}]
        by_step = {}
        for pid, key in funnel.dropped.items():
            by_step.setdefault(key, []).append(pid)
        for key, (left, removed) in funnel.steps.items():
            step, name = key
            name = name or funnel.resource_class
            entry = {'step': step}
            if name is not None:
                entry['resource_class'] = name
            entry.update(description=self._describe(funnel.group, step, name),
                         providers=left, removed=removed)
            pids = sorted(by_step.get(key, ()))[:self.examples]
            entry['examples'] = [self._provider_later(
                pid, funnel.group, step, name) for pid in pids]
            steps.append(entry)
        return steps

    def _describe(self, group, step, name):
        if step == 'class':
            return 'Providers with inventory of %s.' % name
        if step == 'room':
            return ('Providers with room for %s %d: used + %d within '
                    'capacity ((total - reserved) * allocation_ratio), and '
                    '%d within min_unit, max_unit and step_size.' % (
                        name, group.resources[name],
                        group.resources[name], group.resources[name]))
        if step == 'required':
            return 'Providers with the required traits: %s.' % _any_of(
                group.required)
        if step == 'forbidden':
            return 'Providers without the forbidden traits: %s.' % ', '.join(
                sorted(group.forbidden))
        if step == 'member_of':
            return ('Providers in the aggregates of member_of (for the '
                    "unsuffixed group, their own or their root's): %s."
                    % _any_of(group.member_of))
        if step == 'forbidden_aggregates':
            return ('Providers in none of the forbidden aggregates (for the '
                    "unsuffixed group, nor their root): %s." % ', '.join(
                        sorted(group.forbidden_aggs)))
        if step == 'in_tree':
            return 'Providers in the tree of %s.' % group.in_tree
        if step == 'no_positive_filter':
            return ('A group without resources needs required traits or '
                    'member_of to match any provider.')
        return 'Providers the search left out for no reason known here.'

    def _provider_later(self, pid, group, step, name, anchor=None):
        return self._later([pid], lambda: self._provider_example(
            pid, group, step, name, anchor))

    def _provider_example(self, pid, group, step, name, anchor=None):
        """A provider removed from ``group`` (its class ``name``) at
        ``step``; ``anchor``: the tree a sharing provider was judged
        for."""
        who = self._name(pid)
        example = {'name': who, 'uuid': self.world.providers[pid].uuid,
                   'reason': None, 'group': group.suffix}
        facts = getattr(self, '_why_' + step, self._why_unexplained)
        example['reason'] = '%s: %s' % (who, facts(example, pid, group, name,
                                                   anchor))
        return example

    def _why_no_positive_filter(self, example, pid, group, name, anchor):
        return ('%s asks for no resources and names neither required '
                'traits nor member_of: it matches no provider'
                % _label(group))

    def _why_unexplained(self, example, pid, group, name, anchor):
        return 'left out of %s, and no rule known here says why' % _label(
            group)

    def _why_class(self, example, pid, group, name, anchor):
        example['resource_class'] = name
        return 'no %s inventory' % name

    def _why_room(self, example, pid, group, name, anchor):
        row = self.world.inventory[(pid, name)]
        return _room_facts(example, row, name, group.resources[name])

    def _why_required(self, example, pid, group, name, anchor):
        traits = self.world.traits.get(pid, set())
        missing = [sorted(s) for s in group.required if not s & traits]
        example['traits_missing'] = missing
        return 'lacks %s' % _any_of(missing)

    def _why_forbidden(self, example, pid, group, name, anchor):
        present = sorted(group.forbidden & self.world.traits.get(pid, set()))
        example['traits_forbidden'] = present
        return 'has the forbidden trait%s %s' % (
            's' if len(present) > 1 else '', ', '.join(present))

    def _aggregates(self, pid, group, anchor):
        """(seen for member_of, seen for forbidden ones, words)."""
        world = self.world
        own = world.aggregates.get(pid, set())
        if group.same_provider:
            return own, own, 'it is'
        root = anchor if anchor is not None else world.providers[pid].root_id
        with_root = own | world.aggregates.get(root, set())
        if world.providers[pid].root_id != root:  # sharing, for a tree
            return own, with_root, 'it (a sharing provider) is'
        return with_root, with_root, 'neither it nor its root is'

    def _why_member_of(self, example, pid, group, name, anchor):
        seen, _, words = self._aggregates(pid, group, anchor)
        missing = [sorted(s) for s in group.member_of if not s & seen]
        example['aggregates_missing'] = missing
        if words.startswith('neither'):
            return '%s in any of the aggregates %s' % (
                words, _any_of(missing))
        return '%s in none of the aggregates %s' % (words, _any_of(missing))

    def _why_forbidden_aggregates(self, example, pid, group, name, anchor):
        _, seen, words = self._aggregates(pid, group, anchor)
        present = sorted(group.forbidden_aggs & seen)
        example['aggregates_forbidden'] = present
        whose = {'it is': 'it', 'neither it nor its root is': (
            'it or its root'), 'it (a sharing provider) is': (
            'it (a sharing provider) or the root of the tree it would '
            'serve')}[words]
        return '%s is in the forbidden aggregate%s %s' % (
            whose, 's' if len(present) > 1 else '', ', '.join(present))

    def _why_in_tree(self, example, pid, group, name, anchor):
        world = self.world
        provider = world.providers[pid]
        example['in_tree'] = group.in_tree
        example['root_provider_uuid'] = world.providers[
            provider.root_id].uuid
        if anchor is not None and anchor != provider.root_id:
            return ('a sharing provider, left out when in_tree%s is given'
                    % group.suffix)
        return 'not in the tree of %s (in_tree%s)' % (
            group.in_tree, group.suffix)

    # -- sharing -------------------------------------------------------------

    def _sharing(self):
        world = self.world
        served = set()
        for roots in world.anchors.values():
            served |= roots
        shown = []
        for pid in sorted(world.sharing)[:self.examples]:
            if pid not in world.providers:
                continue
            shown.append(self._later([pid], lambda pid=pid: {
                'name': self._name(pid), 'uuid': world.providers[pid].uuid,
                'trees': len(world.anchors.get(pid, ()))}))
        return {'providers': len(world.sharing), 'trees': len(served),
                'examples': shown}

    # -- across groups -------------------------------------------------------

    def _tree_steps(self, final, random):
        rec = self.rec
        trees = len(rec.searched)
        steps = [{'step': 'trees', 'description': (
            'Every tree (a root provider and its descendants), each with '
            'the sharing providers that serve it.'), 'trees': trees,
            'candidates': None, 'removed': 0, 'examples': []}]
        by_step = {}
        for root, (step, about) in rec.dropped.items():
            by_step.setdefault(step, []).append(root)
        order = []
        if self.request.root_required or self.request.root_forbidden:
            order.append('root_traits')
        order.append('every_group_placed')
        order += rec.rules
        if by_step.get(UNEXPLAINED):
            order.append(UNEXPLAINED)
        for step in order:
            removed = sorted(by_step.get(step, ()))
            trees -= len(removed)
            steps.append({
                'step': step, 'description': self._tree_description(step),
                'trees': trees, 'candidates': None, 'removed': len(removed),
                'examples': [self._tree_later(root)
                             for root in removed[:self.examples]]})
        exact = rec.exact
        found = sum(rec.found.values()) if exact else None
        steps[-1]['candidates'] = found
        accepted = rec.accepted
        # Trees all of whose candidates duplicate earlier ones.
        lost = sorted([root for root, count in rec.found.items()
                       if rec.duplicates.get(root, 0) == count] +
                      [root for root, kind in rec.unreached.items()
                       if kind == 'duplicates'])
        if lost or rec.duplicates:
            trees -= len(lost)
            steps.append({
                'step': 'duplicates', 'description': (
                    'Candidates made of sharing providers alone are found '
                    'from every tree they serve: only the first is kept.'),
                'trees': trees,
                'candidates': len(accepted) if exact else None,
                'removed': found - len(accepted) if exact else None,
                'examples': [self._duplicate_later(root)
                             for root in lost[:self.examples]]})
        before = len(accepted) if exact else None
        binding = self._binding()
        conf = self.conf
        if conf.max_allocation_candidates >= 0:
            steps.append(self._cut_step(
                'max_allocation_candidates', binding, trees, before,
                '[placement] max_allocation_candidates = %d: the search '
                'stops at that many candidates (%s)%s.' % (
                    conf.max_allocation_candidates,
                    conf.allocation_candidates_generation_strategy,
                    '' if binding == 'max_allocation_candidates' else
                    ', not reached first')))
            trees, before = steps[-1]['trees'], steps[-1]['candidates']
        limit = self.request.limit
        if limit and random:
            steps.append({
                'step': 'limit', 'description': (
                    'limit=%d: with randomize_allocation_candidates the '
                    'candidates are shuffled and the first %d taken, so '
                    'which trees keep theirs differs from one request to '
                    'the next.' % (limit, limit)),
                'trees': None, 'candidates': final,
                'removed': len(accepted) - final, 'examples': []})
        elif limit:
            steps.append(self._cut_step(
                'limit', binding, trees, before,
                'limit=%d: the search stops at that many candidates (%s).'
                % (limit, conf.allocation_candidates_generation_strategy)))
        return steps

    def _cut_step(self, step, binding, trees, before, description):
        """max_allocation_candidates or the limit: where the search
        stopped, if it is ``binding``; else nothing removed."""
        rec = self.rec
        accepted = rec.accepted
        if step != binding:
            return {'step': step, 'description': description,
                    'trees': trees, 'candidates': before, 'removed': 0,
                    'examples': []}
        left = {root for root, _, _ in accepted}
        had = {}
        for root, _, _ in accepted:
            had[root] = had.get(root, 0) + 1
        lost = sorted(set(rec.found) | rec.partial | {
            root for root, kind in rec.unreached.items() if kind == 'cut'})
        lost = [root for root in lost if root not in left and (
            root not in rec.found or rec.duplicates.get(root, 0)
            < rec.found[root])]
        examples = [self._cut_later(root, step, len(accepted))
                    for root in lost[:self.examples]]
        return {'step': step, 'description': description,
                'trees': len(left), 'candidates': len(accepted),
                'removed': None if before is None else before - len(accepted),
                'examples': examples}

    def _cut_later(self, root, step, count):
        world, rec = self.world, self.rec

        def make():
            example = {'name': self._name(root),
                       'uuid': world.providers[root].uuid, 'reason': None}
            if root in rec.found:
                found = rec.found[root] - rec.duplicates.get(root, 0)
                example['candidates'] = found
                words = 'its %d candidate%s come%s after the first %d' % (
                    found, 's' if found > 1 else '',
                    '' if found > 1 else 's', count)
            else:
                words = ('it has candidates, but the search stopped at %d '
                         'before reaching it' % count)
            example['reason'] = '%s: %s (%s)' % (self._name(root), words,
                                                 step)
            return example
        return self._later([root], make)

    def _tree_description(self, step):
        return {
            'root_traits': (
                'Trees whose root provider has the root_required traits and '
                'none of the forbidden ones.'),
            'every_group_placed': (
                'Trees where every request group finds a provider (its own '
                'or a sharing one) and the unsuffixed group a choice of '
                'providers with its traits.'),
            'isolate': (
                'group_policy=isolate: trees with a choice putting no two '
                'suffixed groups on one provider.'),
            'summed_capacity': (
                'Trees with a choice whose amounts, summed where several '
                'groups take a class from one provider, fit (max_unit and '
                'capacity).'),
            'same_subtree': (
                'Trees with a choice putting the groups of each '
                'same_subtree set under one of their providers.'),
            'one_provider_per_tree': (
                'Before microversion 1.29, once any provider has a parent: '
                'trees with a choice using one provider of a tree.'),
            UNEXPLAINED: 'Trees the search left out for no reason known '
                         'here.',
        }[step]

    def _tree_later(self, root):
        step, about = self.rec.dropped[root]
        pids = [root]
        if step == 'every_group_placed' and about is not None:
            pids += about[3][:self.nested]
        elif isinstance(about, combine.Candidate):
            pids += list(about.allocations)
            for mapped in about.mappings.values():
                pids += mapped
        return self._later(pids, lambda: self._tree_example(root))

    def _tree_example(self, root):
        world = self.world
        step, about = self.rec.dropped[root]
        who = self._name(root)
        example = {'name': who, 'uuid': world.providers[root].uuid,
                   'reason': None}
        text = getattr(self, '_tree_' + step)(example, root, about)
        example['reason'] = '%s: %s' % (who, text)
        return example

    def _tree_root_traits(self, example, root, about):
        traits = self.world.traits.get(root, set())
        missing = [sorted(s) for s in self.request.root_required
                   if not s & traits]
        present = sorted(self.request.root_forbidden & traits)
        parts = []
        if missing:
            example['traits_missing'] = missing
            parts.append('the root lacks %s' % _any_of(missing))
        if present:
            example['traits_forbidden'] = present
            parts.append('the root has the forbidden %s' % ', '.join(present))
        return '; '.join(parts) + ' (root_required)'

    def _tree_every_group_placed(self, example, root, about):
        if about is None:
            return 'no group is without a provider here, yet none is placed'
        group, name, kind, pids = about
        example['group'] = group.suffix
        if kind == 'traits':
            traits = set().union(*[self.world.traits.get(p, set())
                                   for p in pids])
            missing = [sorted(s) for s in group.required if not s & traits]
            present = sorted(group.forbidden & traits)
            if missing:
                example['traits_missing'] = missing
            if present:
                example['traits_forbidden'] = present
            chosen = sorted(group.resources)
            example['providers'] = [
                {'name': self._name(p), 'uuid': self.world.providers[p].uuid,
                 'resource_class': c, 'reason': '%s: gives %s %d' % (
                     self._name(p), c, group.resources[c])}
                for p, c in zip(pids, chosen)]
            what = []
            if missing:
                what.append('lack %s' % _any_of(missing))
            if present:
                what.append('have the forbidden %s' % ', '.join(present))
            return ('no choice of providers for %s has its traits: e.g. %s '
                    'together %s' % (_label(group), ', '.join(
                        '%s (%s)' % (self._name(p), c)
                        for p, c in zip(pids, chosen)), ' and '.join(what)))
        if name is not None:
            example['resource_class'] = name
        shown = []
        for pid in pids[:self.nested]:
            shown.append(self._tree_provider(pid, group, name, root))
        example['providers'] = shown
        what = _label(group) if name is None else "%s' %s:%d" % (
            _label(group), name, group.resources[name])
        more = len(pids) - len(shown)
        return 'no provider in the tree, nor a sharing provider serving it, ' \
            'can give %s: %s%s' % (what, '; '.join(
                e['reason'] for e in shown),
                '; and %d more' % more if more else '')

    def _tree_provider(self, pid, group, name, root):
        """Why ``pid`` cannot give ``group`` (its class ``name``) to the
        tree of ``root``."""
        funnel = self.rec.funnels[(group.suffix, name)]
        key = funnel.dropped.get(pid)
        if key is not None:
            return self._provider_example(pid, group, key[0],
                                          key[1] or name, root)
        if not group.same_provider and pid in self.world.sharing:
            # Kept by the funnel, its aggregates judged for each tree.
            failure = eligible.spread_labels_failure(
                self.world, self.rec.in_tree_roots, group, pid, root)
            if failure is not None:
                return self._provider_example(pid, group, failure, name,
                                              root)
        return self._provider_example(pid, group, UNEXPLAINED, name, root)

    def _tree_isolate(self, example, root, candidate):
        on = {}
        for group in self.request.groups:
            if group.same_provider:
                for pid in candidate.mappings.get(group.suffix, ()):
                    on.setdefault(pid, []).append(group.suffix)
        pid, suffixes = next((p, s) for p, s in sorted(on.items())
                             if len(s) > 1)
        example['groups'] = suffixes
        labels = ', '.join('resources%s' % s for s in suffixes)
        example['providers'] = [self._serving(pid, labels)]
        return ('every choice puts two suffixed groups on one provider '
                '(group_policy=isolate): e.g. %s all on %s'
                % (labels, self._name(pid)))

    def _serving(self, pid, what):
        return {'name': self._name(pid),
                'uuid': self.world.providers[pid].uuid,
                'reason': '%s: serves %s' % (self._name(pid), what)}

    def _tree_summed_capacity(self, example, root, candidate):
        inventory = self.world.inventory
        pid, name, total = next(
            (pid, name, total)
            for pid, resources in sorted(candidate.allocations.items())
            for name, total in sorted(resources.items())
            if not combine.sum_fits(inventory[(pid, name)], total))
        row = inventory[(pid, name)]
        inner = {'name': self._name(pid),
                 'uuid': self.world.providers[pid].uuid}
        words = _room_facts(inner, row, name, total, summed=True)
        inner['reason'] = '%s: %s' % (self._name(pid), words)
        example.update({k: v for k, v in inner.items()
                        if k not in ('name', 'uuid', 'reason')})
        example['providers'] = [inner]
        return ('every choice asks too much of one inventory: e.g. %s '
                'from several groups on %s: %s' % (
                    name, self._name(pid), words))

    def _tree_same_subtree(self, example, root, candidate):
        tree = combine.TreeSearch(self.world, self.request, root, None, {})
        for suffixes in self.request.same_subtree:
            chosen = {s: types.SimpleNamespace(pids=candidate.mappings[s])
                      for s in suffixes}
            if not tree._subtrees_ok(chosen, [suffixes]):
                break
        example['groups'] = list(suffixes)
        providers = []
        for s in suffixes:
            for pid in candidate.mappings[s]:
                providers.append(self._serving(pid, 'resources%s' % s))
        example['providers'] = providers
        return ('no choice puts %s under one of their providers '
                '(same_subtree): e.g. %s' % (
                    ', '.join('resources%s' % s for s in suffixes),
                    ', '.join('resources%s on %s' % (s, ', '.join(
                        self._name(p) for p in candidate.mappings[s]))
                        for s in suffixes)))

    def _tree_one_provider_per_tree(self, example, root, candidate):
        by_root = {}
        for pid in sorted(candidate.allocations):
            by_root.setdefault(self.world.providers[pid].root_id,
                               []).append(pid)
        pids = next(p for p in by_root.values() if len(p) > 1)
        example['providers'] = [self._serving(p, 'part of the request')
                                for p in pids]
        return ('before microversion 1.29 a candidate takes one provider '
                'of a tree: every choice takes several, e.g. %s' % ', '.join(
                    self._name(p) for p in pids))

    def _tree_unexplained(self, example, root, about):
        return 'the search found no candidate here, and no rule known ' \
            'here says why'

    def _duplicate_later(self, root):
        rec, world = self.rec, self.world
        first = rec.duplicate_of.get(root)
        pids = [root] + ([first] if first is not None else [])

        def make():
            example = {'name': self._name(root),
                       'uuid': world.providers[root].uuid, 'reason': None}
            found = rec.found.get(root)
            if found:
                example['candidates'] = found
                words = 'its %d candidate%s' % (found,
                                                's' if found > 1 else '')
            else:
                words = 'its candidates'
            if first is not None:
                example['duplicate_of'] = world.providers[first].uuid
                where = self._name(first)
            else:
                where = 'an earlier tree'
            example['reason'] = '%s: %s use only sharing providers, found ' \
                'already from %s' % (self._name(root), words, where)
            return example
        return self._later(pids, make)

    # -- provider= -----------------------------------------------------------

    def _named(self, uuid, final):
        """What became of the provider ``uuid`` names; ``final``: how
        many of the handler's candidates are answered (with a limit
        picking at random, those it picks among)."""
        pid = self.named_pids.get(uuid)
        world = self.world
        if pid is None or pid not in world.providers:
            return {'uuid': uuid, 'name': None, 'root_provider_uuid': None,
                    'outcome': 'unknown', 'candidates': 0, 'step': None,
                    'reason': 'no resource provider has this uuid',
                    'detail': None, 'groups': []}
        rec = self.rec
        provider = world.providers[pid]
        accepted = sum(1 for _, _, in_it in rec.accepted if pid in in_it)
        answered = sum(1 for _, _, in_it in rec.accepted[:final]
                       if pid in in_it)
        entry = {'uuid': provider.uuid, 'name': None,
                 'root_provider_uuid': world.providers[provider.root_id].uuid,
                 'outcome': None, 'candidates': answered, 'step': None,
                 'reason': None, 'detail': None}
        groups, first = [], None
        for (suffix, name), funnel in rec.funnels.items():
            key = funnel.dropped.get(pid)
            outcome = {'group': suffix, 'kept': key is None}
            if name is not None:
                outcome['resource_class'] = name
            if key is not None:
                outcome['step'] = key[0]
                later = self._provider_later(pid, funnel.group, key[0],
                                             key[1] or name)
                outcome['reason'] = _Later(lambda later=later: later.make()[
                    'reason'])
                if first is None:
                    first = (key[0], later)
            groups.append(outcome)
        entry['groups'] = groups
        served = [g for g in groups if g['kept']]
        found = rec.named_found.get(pid, 0)
        own = rec.dropped.get(provider.root_id)
        step, detail = None, None
        if answered:
            outcome = 'candidate'
        else:
            outcome = 'removed'
            if not served and first is not None:
                step, detail = first
            elif own is not None and not found:
                step = own[0]
                detail = self._tree_later(provider.root_id)
            elif not found and rec.exact:
                step = 'unused'
                detail = self._later([pid], lambda: {
                    'name': self._name(pid), 'uuid': provider.uuid,
                    'reason': '%s: it may serve %s, yet no candidate uses '
                              "it: every choice with it breaks the "
                              "unsuffixed group's traits or a combination "
                              'rule' % (self._name(pid), ', '.join(
                                  ('resources%s' % g['group'])
                                  + (' (%s)' % g['resource_class']
                                     if 'resource_class' in g else '')
                                  for g in served))})
            elif found and not accepted:
                step = 'duplicates'
                detail = self._later([pid], lambda: {
                    'name': self._name(pid), 'uuid': provider.uuid,
                    'candidates': found,
                    'reason': '%s: its %d candidate%s found already from '
                              'another tree' % (
                                  self._name(pid), found,
                                  's were all' if found > 1 else ' was')})
            else:
                step = self._binding() or UNEXPLAINED
                count = len(rec.accepted) if step != 'limit' else final

                def make():
                    if accepted:
                        words = ('its %d candidate%s after the first %d' % (
                            accepted, 's come' if accepted > 1 else
                            ' comes', count))
                    else:
                        words = ('the search stopped at %d candidates '
                                 'before any using it' % count)
                    return {'name': self._name(pid), 'uuid': provider.uuid,
                            'reason': '%s: %s (%s)' % (self._name(pid),
                                                       words, step)}
                detail = self._later([pid], make)
        self._wanted.add(pid)
        entry.update(outcome=outcome, step=step, detail=detail,
                     name=_Later(lambda: self._name(pid)))
        entry['reason'] = None if detail is None else _Later(
            lambda: _resolve(detail)['reason'])
        return entry


def _room_facts(example, row, name, amount, summed=False):
    """Fill ``example`` with an inventory's numbers and say why
    ``amount`` of it does not fit (room_for's tests, or for a sum only
    sum_fits': max_unit and capacity)."""
    free = max(row.capacity - row.used, 0)
    example.update(resource_class=name, requested=amount, total=row.total,
                   reserved=row.reserved,
                   allocation_ratio=float(row.allocation_ratio),
                   capacity=row.capacity, used=row.used, free=free,
                   min_unit=row.min_unit, max_unit=row.max_unit,
                   step_size=row.step_size)
    violates = []
    if row.used + amount > row.capacity:
        violates.append('capacity')
    if not summed and amount < row.min_unit:
        violates.append('min_unit')
    if amount > row.max_unit:
        violates.append('max_unit')
    if not summed and amount % row.step_size:
        violates.append('step_size')
    example['violates'] = violates
    asked = '%d requested%s' % (amount, ' in all' if summed else '')
    if 'capacity' in violates:
        words = ['%s %d free (capacity %d, used %d), %s' % (
            name, free, row.capacity, row.used, asked)]
    else:
        words = ['%s %s' % (name, asked)]
    if 'min_unit' in violates:
        words.append('below min_unit %d' % row.min_unit)
    if 'max_unit' in violates:
        words.append('above max_unit %d' % row.max_unit)
    if 'step_size' in violates:
        words.append('not a multiple of step_size %d' % row.step_size)
    return ', '.join(words)


class _Later:
    """A part of the body written once the provider names are read."""

    def __init__(self, make):
        self.make = make


def _resolve(value):
    if isinstance(value, _Later):
        return _resolve(value.make())
    if isinstance(value, dict):
        return {k: _resolve(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_resolve(v) for v in value]
    return value


def canonical_uuid(value):
    return str(uuidlib.UUID(value))


def named_providers(conn, uuids):
    """{uuid as given: provider id} of those that exist."""
    if not uuids:
        return {}
    wanted = {}
    for value in uuids:
        wanted.setdefault(canonical_uuid(value), []).append(value)
        wanted.setdefault(value, []).append(value)
    found = {}
    for pid, uuid in conn.execute(sa.select(rp.c.id, rp.c.uuid).where(
            rp.c.uuid.in_(sorted(wanted)))):
        for value in wanted.get(uuid, ()):
            found[value] = pid
    return found


def explain(conn, lazy, request, in_tree_roots, conf, maximum, examples,
            one_provider_per_tree, named_uuids):
    """The body of GET /allocation_candidates/explain. ``lazy``: a
    LazyWorld over every tree; ``maximum``: what the candidates handler
    would give generate."""
    named = named_providers(conn, named_uuids)
    recorder = Recorder(lazy.world, request, in_tree_roots, examples,
                        one_provider_per_tree, named.values())
    for candidate in combine.generate(
            lazy, request, in_tree_roots,
            conf.allocation_candidates_generation_strategy, maximum,
            one_provider_per_tree=one_provider_per_tree, observer=recorder):
        recorder.accept(candidate)
    recorder.finish(lazy)
    try:
        return Report(conn, recorder, request, conf, maximum, named_uuids,
                      named).body()
    finally:
        # The search index holds the recorder, which holds a search (and
        # so the index): break the cycle, so that reference counting
        # frees the world at once, as it does after the candidates query.
        recorder.template = None
