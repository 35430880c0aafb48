"""Combine per-group provider choices into allocation candidates, tree by
tree, depth first, pruning every partial choice that already breaks a rule
(capacity of the summed amounts, isolate, same_subtree, traits) before
expanding it. Candidates are produced lazily, so a limit stops the work.

GET /allocation_candidates/explain (the explain package) runs this same search with
an observer, and, to find which rule removed a tree, again with some of
the combination rules switched off (TreeSearch.check_*).
"""
import collections
import itertools

from placement.candidates import eligible

Candidate = collections.namedtuple('Candidate', 'allocations mappings')
# allocations: {pid: {class name: amount}}; mappings: {suffix: [pid, ...]}


def sum_fits(row, total):
    """Amounts of several groups summed on one inventory: each amount met
    min_unit and step_size on its own; the sum must respect max_unit and
    the capacity."""
    return total <= row.max_unit and row.used + total <= row.capacity


def _always_fits(row, total):
    return True


class Option:
    """One way a group can be served: {pid: {class: amount}}, flattened
    for the search (a resourceless group's providers map, allocate nothing)."""

    __slots__ = ('pids', 'items')

    def __init__(self, allocation):
        self.pids = sorted(allocation)
        self.items = [((pid, name), amount)
                      for pid in self.pids
                      for name, amount in allocation[pid].items()]


class TreeSearch:
    """The candidates one tree (with the sharing providers anchored to it)
    can give."""

    # The combination rules, each switched off only by explain's search
    # for the rule that removed a tree (on an instance's copy).
    check_isolate = True   # group_policy=isolate
    check_sums = True      # amounts summed on one inventory fit
    check_subtrees = True  # same_subtree

    def __init__(self, world, request, root_id, index, shared,
                 one_provider_per_tree=False):
        # Before 1.29, once any nested provider exists, upstream never
        # combines two providers of one tree.
        self.one_provider_per_tree = one_provider_per_tree
        self.world = world
        self.request = request
        self.root_id = root_id
        self.eligible = index  # an eligible.Eligible
        self.shared = shared   # what all the tree searches of a request reuse

    # -- which providers can serve a group ---------------------------------

    def _single_provider_options(self, group):
        """Options of a suffixed group (Option objects: they do not depend
        on the tree, so each is made once per request)."""
        if not group.resources and not (group.required or group.member_of):
            return []  # upstream needs a positive filter for these
        made = self.shared.setdefault(('options', group.suffix), {})
        options = []
        for pid in self.eligible.alone_for(group, self.root_id):
            option = made.get(pid)
            if option is None:
                option = made[pid] = Option({pid: group.resources})
            options.append(option)
        return options

    def _spread_options(self, group):
        """Unsuffixed group: each class from one provider of the tree or a
        sharing provider; traits judged on the union of those providers."""
        world = self.world
        per_class = []
        for name, amount in sorted(group.resources.items()):
            providers = self.eligible.spread_for(group, name, self.root_id)
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
            if eligible.traits_ok(group, traits):
                options.append(allocation)
        return options

    def _options(self, group):
        if group.same_provider:
            return self._single_provider_options(group)
        return [Option(allocation) for allocation in self._spread_options(group)]

    def _closing(self, levels):
        """Per level, the same_subtree sets whose last group it places
        (the same for every tree searched in the same group order)."""
        order = tuple(group.suffix for group, _ in levels)
        key = ('closing', order)
        closes = self.shared.get(key)
        if closes is None:
            placed, closes = set(), []
            for suffix in order:
                placed.add(suffix)
                closes.append([s for s in self.request.same_subtree
                               if suffix in s and set(s) <= placed])
            self.shared[key] = closes
        return closes

    # -- a tree of one provider --------------------------------------------

    def _is_lone(self):
        """One provider, no sharing provider beside it (most clouds), and
        every unsuffixed group asks for resources."""
        root = self.root_id
        return (len(self.world.tree_members[root]) == 1
                and self.world.sharers_of.get(root, set()) <= {root}
                and all(g.resources or g.same_provider
                        for g in self.request.groups))

    def _lone_candidate(self):
        """The only candidate a lone provider can give: itself serving
        every group, with the same rules the depth-first search applies
        (each group on its own, then isolate and the summed amounts)."""
        pid, world, index = self.root_id, self.world, self.eligible
        totals, mappings, suffixed = {}, {}, 0
        for group in self.request.groups:
            if group.same_provider:
                if not group.resources and not (group.required or
                                                group.member_of):
                    return None
                if pid not in index.alone_for(group, pid):
                    return None
                suffixed += 1
            else:
                if any(pid not in index.spread_for(group, name, pid)
                       for name in group.resources):
                    return None
                if not eligible.traits_ok(group, world.traits.get(pid,
                                                                  set())):
                    return None
            for name, amount in group.resources.items():
                totals[name] = totals.get(name, 0) + amount
            mappings[group.suffix] = [pid]
        if suffixed > 1 and self.request.group_policy == 'isolate' and \
                self.check_isolate:
            return None
        if self.check_sums:
            for name, total in totals.items():
                if not sum_fits(world.inventory[(pid, name)], total):
                    return None
        return Candidate({pid: totals} if totals else {}, mappings)

    # -- the depth-first combination ---------------------------------------

    def candidates(self):
        """Yield (candidate, key) pairs; ``key`` is None unless the
        candidate could also come from another tree (it uses sharing
        providers only), in which case the caller de-duplicates on it.

        An iterative depth-first search: level ``d`` picks an option for
        group ``order[d]``; a pick that breaks isolate, capacity (summed
        with earlier picks) or a now-complete same_subtree set is skipped
        before anything below it is tried.
        """
        if self.root_id not in self.world.tree_members:
            return  # the tree went away after its root was found
        if not self._root_ok():
            return
        if self._is_lone():
            candidate = self._lone_candidate()
            if candidate is not None:
                yield candidate, self._key_if_shared(candidate)
            return
        groups = self.request.groups
        options = []
        for group in groups:
            opts = self._options(group)
            if not opts:
                return
            options.append(opts)
        order = sorted(range(len(groups)), key=lambda i: len(options[i]))
        levels = [(groups[i], options[i]) for i in order]
        isolate = self.request.group_policy == 'isolate' and \
            self.check_isolate
        closes = self._closing(levels) if self.check_subtrees else \
            [()] * len(levels)
        fits = sum_fits if self.check_sums else _always_fits
        # Amounts are summed on one inventory only where two groups ask
        # for the same class; without that or isolate, a pick needs no
        # bookkeeping beyond what is chosen.
        tracking = isolate or (self.check_sums and self._classes_shared())
        extra = {}          # (pid, class) → amount picked so far
        isolated_pids = {}  # pid → how many suffixed groups it serves
        chosen = {}         # suffix → Option
        inventory = self.world.inventory

        def acceptable(option, isolating):
            if not tracking:
                return True
            if isolating:
                for pid in option.pids:
                    if isolated_pids.get(pid):
                        return False
            for key, amount in option.items:
                already = extra.get(key)
                if already and not fits(inventory[key], already + amount):
                    return False
            return True

        def apply(level, option, sign):
            group = levels[level][0]
            if tracking:
                for key, amount in option.items:
                    extra[key] = extra.get(key, 0) + sign * amount
                if isolate and group.same_provider:
                    for pid in option.pids:
                        isolated_pids[pid] = isolated_pids.get(pid, 0) + sign
            if sign > 0:
                chosen[group.suffix] = option
            else:
                del chosen[group.suffix]

        depth, last = 0, len(levels)
        cursors = [0] * last
        picked = [None] * last
        while depth >= 0:
            if depth == last:
                candidate = self._finish(chosen)
                if candidate is not None:
                    yield candidate, self._key_if_shared(candidate)
                depth -= 1
                apply(depth, picked[depth], -1)
                continue
            group, opts = levels[depth]
            isolating = isolate and group.same_provider
            while cursors[depth] < len(opts):
                option = opts[cursors[depth]]
                cursors[depth] += 1
                if not acceptable(option, isolating):
                    continue
                apply(depth, option, 1)
                closing = closes[depth]
                if not closing or self._subtrees_ok(chosen, closing):
                    break
                apply(depth, option, -1)
            else:
                cursors[depth] = 0
                depth -= 1
                if depth >= 0:
                    apply(depth, picked[depth], -1)
                continue
            picked[depth] = option
            depth += 1

    def _classes_shared(self):
        """Whether two groups ask for the same class (the same for every
        tree of a request)."""
        shared = self.shared.get('classes shared')
        if shared is None:
            seen, shared = set(), False
            for group in self.request.groups:
                if seen & set(group.resources):
                    shared = True
                seen |= set(group.resources)
            self.shared['classes shared'] = shared
        return shared

    def _root_ok(self):
        root_traits = self.world.traits.get(self.root_id, set())
        return (all(wanted & root_traits
                    for wanted in self.request.root_required)
                and not (self.request.root_forbidden & root_traits))

    def _subtrees_ok(self, chosen, closing):
        """Each same_subtree set completed now is rooted at one of its
        providers."""
        lineage = self.world.lineage
        for suffixes in closing:
            pids = {p for s in suffixes for p in chosen[s].pids}
            if len(pids) == 1:
                continue
            if len(pids) == 2:
                first, second = pids
                if first in lineage(second) or second in lineage(first):
                    continue
                return False
            # Only the highest of them (shortest lineage) can be the top.
            top = min(pids, key=lambda p: len(lineage(p)))
            if not all(top in lineage(p) for p in pids):
                return False
        return True

    def _finish(self, chosen):
        allocations = {}
        mappings = {}
        for suffix, option in chosen.items():
            mappings[suffix] = option.pids
            for (pid, name), amount in option.items:
                merged = allocations.get(pid)
                if merged is None:
                    allocations[pid] = {name: amount}
                else:
                    merged[name] = merged.get(name, 0) + amount
        if self.one_provider_per_tree:
            roots = [self.world.providers[p].root_id for p in allocations]
            if len(roots) != len(set(roots)):
                return None
        return Candidate(allocations, mappings)

    def _key_if_shared(self, candidate):
        """Only a candidate made of sharing providers alone can be found
        from several trees; such candidates get a key to compare on."""
        if not self.world.sharing:
            return None
        pids = set(candidate.allocations).union(*candidate.mappings.values())
        if not pids <= self.world.sharing:
            return None
        return (frozenset((pid, name, amount)
                          for pid, res in candidate.allocations.items()
                          for name, amount in res.items()),
                frozenset((s, tuple(p)) for s, p in candidate.mappings.items()))


def generate(lazy, request, in_tree_roots, strategy, maximum,
             one_provider_per_tree=False, observer=None):
    """Up to ``maximum`` candidates (None: all), depth- or breadth-first
    over the trees of ``lazy`` (a search.LazyWorld), without duplicates
    across trees. Depth-first stops reading trees once it has enough.

    ``observer`` (explain.Recorder, else None) sees what eligible.py
    keeps, runs each tree's search (``observer.search``) and is told of
    each duplicate dropped."""
    world = lazy.world
    seen = set()
    count = 0
    index = eligible.Eligible(world, request, in_tree_roots, observer)
    lazy.listeners.append(index.add)
    roots = lazy.roots()
    if strategy == 'breadth-first':
        # One candidate from every tree before a second from any: all
        # trees are needed up front.
        roots = list(roots)
    shared = {}
    if observer is None:
        searches = (TreeSearch(world, request, root, index, shared,
                               one_provider_per_tree).candidates()
                    for root in roots)
    else:
        searches = (observer.search(TreeSearch(
            world, request, root, index, shared, one_provider_per_tree))
            for root in roots)
    if strategy == 'breadth-first':
        stream = _round_robin(list(searches))
    else:
        stream = itertools.chain.from_iterable(searches)
    for candidate, key in stream:
        if key is not None:
            if key in seen:
                if observer is not None:
                    observer.duplicate(key)
                continue
            seen.add(key)
        yield candidate
        count += 1
        if maximum is not None and count >= maximum:
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
