"""Combine per-group provider choices into allocation candidates, tree by
tree, depth first, pruning every partial choice that already breaks a rule
(capacity of the summed amounts, isolate, same_subtree, traits) before
expanding it. Candidates are produced lazily, so a limit stops the work."""
import collections
import itertools

from placement.candidates.search import room_for

Candidate = collections.namedtuple('Candidate', 'allocations mappings')
# allocations: {pid: {class name: amount}}; mappings: {suffix: [pid, ...]}


class TreeSearch:
    """The candidates one tree (with the sharing providers anchored to it)
    can give."""

    def __init__(self, world, request, root_id, in_tree_roots):
        self.world = world
        self.request = request
        self.root_id = root_id
        self.in_tree_roots = in_tree_roots  # suffix → required root id
        members = set(world.tree_members.get(root_id, ()))
        members.update(s for s, roots in world.anchors.items()
                       if root_id in roots)
        self.members = sorted(members)

    # -- which providers can serve a group ---------------------------------

    def _labels_ok(self, group, pid):
        world = self.world
        root = world.providers[pid].root_id
        aggs = world.aggregates.get(pid, set()) | world.aggregates.get(root, set())
        if any(not (wanted & aggs) for wanted in group.member_of):
            return False
        if group.forbidden_aggs & aggs:
            return False
        wanted_root = self.in_tree_roots.get(group.suffix)
        if wanted_root is not None and root != wanted_root:
            return False
        return True

    def _traits_ok(self, group, traits):
        return (all(wanted & traits for wanted in group.required)
                and not (group.forbidden & traits))

    def _single_provider_options(self, group):
        world = self.world
        options = []
        for pid in self.members:
            if not all((pid, name) in world.inventory
                       and room_for(world.inventory[(pid, name)], amount)
                       for name, amount in group.resources.items()):
                continue
            if not self._labels_ok(group, pid):
                continue
            if not self._traits_ok(group, world.traits.get(pid, set())):
                continue
            options.append({pid: dict(group.resources)})
        return options

    def _spread_options(self, group):
        """Unsuffixed group: each class from one provider of the tree or a
        sharing provider; traits judged on the union of those providers."""
        world = self.world
        per_class = []
        for name, amount in sorted(group.resources.items()):
            providers = [pid for pid in self.members
                         if (pid, name) in world.inventory
                         and room_for(world.inventory[(pid, name)], amount)
                         and self._labels_ok(group, pid)]
            if not providers:
                return []
            per_class.append([(pid, name, amount) for pid in providers])
        options = []
        for combo in itertools.product(*per_class):
            allocation = {}
            for pid, name, amount in combo:
                allocation.setdefault(pid, {})[name] = amount
            traits = set().union(*[world.traits.get(p, set())
                                   for p in allocation])
            if self._traits_ok(group, traits):
                options.append(allocation)
        return options

    def _options(self, group):
        if group.same_provider:
            return self._single_provider_options(group)
        return self._spread_options(group)

    # -- the depth-first combination ---------------------------------------

    def candidates(self):
        groups = [g for g in self.request.groups if g.resources]
        options = [self._options(g) for g in groups]
        if any(not opts for opts in options):
            return
        order = sorted(range(len(groups)), key=lambda i: len(options[i]))
        isolate = self.request.group_policy == 'isolate'
        extra = collections.Counter()  # (pid, class) → amount chosen so far
        chosen = {}                     # suffix → allocation
        seen = set()

        def fits(allocation):
            for pid, resources in allocation.items():
                for name, amount in resources.items():
                    if extra[(pid, name)] and not room_for(
                            self.world.inventory[(pid, name)], amount,
                            already=extra[(pid, name)]):
                        return False
            return True

        def isolated(group, allocation):
            if not isolate or not group.same_provider:
                return True
            for suffix, other in chosen.items():
                if suffix and set(other) & set(allocation):
                    return False
            return True

        def descend(depth):
            if depth == len(order):
                candidate = self._finish(chosen)
                if candidate is not None:
                    key = _key(candidate)
                    if key not in seen:
                        seen.add(key)
                        yield candidate
                return
            group = groups[order[depth]]
            for allocation in options[order[depth]]:
                if not isolated(group, allocation) or not fits(allocation):
                    continue
                for pid, resources in allocation.items():
                    for name, amount in resources.items():
                        extra[(pid, name)] += amount
                chosen[group.suffix] = allocation
                if self._subtrees_ok(chosen):
                    yield from descend(depth + 1)
                del chosen[group.suffix]
                for pid, resources in allocation.items():
                    for name, amount in resources.items():
                        extra[(pid, name)] -= amount

        yield from descend(0)

    def _subtrees_ok(self, chosen):
        """Every complete same_subtree set is rooted at one of its providers."""
        world = self.world
        for suffixes in self.request.same_subtree:
            if not all(s in chosen for s in suffixes):
                continue
            pids = {p for s in suffixes for p in chosen[s]}
            if not any(all(top in world.ancestors(p) for p in pids)
                       for top in pids):
                return False
        return True

    def _finish(self, chosen):
        world = self.world
        root_traits = world.traits.get(self.root_id, set())
        if not all(wanted & root_traits
                   for wanted in self.request.root_required):
            return None
        if self.request.root_forbidden & root_traits:
            return None
        allocations = {}
        mappings = {}
        for suffix, allocation in chosen.items():
            mappings[suffix] = sorted(allocation)
            for pid, resources in allocation.items():
                merged = allocations.setdefault(pid, {})
                for name, amount in resources.items():
                    merged[name] = merged.get(name, 0) + amount
        return Candidate(allocations, mappings)


def _key(candidate):
    return (frozenset((pid, name, amount)
                      for pid, res in candidate.allocations.items()
                      for name, amount in res.items()),
            frozenset((s, tuple(p)) for s, p in candidate.mappings.items()))


def roots_to_search(world, request):
    """Trees worth searching, in id order."""
    return sorted(world.tree_members)


def generate(world, request, in_tree_roots, strategy, maximum):
    """Up to ``maximum`` candidates (None: all), depth- or breadth-first
    over trees, without duplicates across trees."""
    seen = set()
    searches = (TreeSearch(world, request, root, in_tree_roots).candidates()
                for root in roots_to_search(world, request))
    if strategy == 'breadth-first':
        stream = _round_robin(list(searches))
    else:
        stream = itertools.chain.from_iterable(searches)
    for candidate in stream:
        key = _key(candidate)
        if key in seen:
            continue
        seen.add(key)
        yield candidate
        if maximum is not None and len(seen) >= maximum:
            return


def _round_robin(generators):
    while generators:
        alive = []
        for gen in generators:
            try:
                yield next(gen)
            except StopIteration:
                continue
            alive.append(gen)
        generators = alive
