"""The observer explain hands the candidate search: which providers each
rule kept, per request group, and what became of each tree."""
import copy

from placement.candidates import eligible
from placement.candidates.explain.facts import UNEXPLAINED
from placement.candidates.world import room_for

# The order explain switches the combination rules back on.
COMBINATION_RULES = ('isolate', 'summed_capacity', 'same_subtree',
                     'one_provider_per_tree')
LABEL_RULES = ('in_tree', 'member_of', 'forbidden_aggregates')  # unsuffixed


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
