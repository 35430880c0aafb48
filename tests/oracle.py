"""A brute-force reference for GET /allocation_candidates.

Written apart from the engine (placement/candidates/) and sharing none of
its code: it tries every assignment of request groups (and, for the
unsuffixed group, of each resource class) to providers, tree by tree, and
keeps those that obey every rule. Exponential, so only for small worlds.

World: ``providers`` {name: Provider}; a request as ``Request``. Results
are a set of (allocations, mappings) in provider names, each a frozenset.
"""
import dataclasses
import itertools

SHARING = 'MISC_SHARES_VIA_AGGREGATE'


@dataclasses.dataclass
class Inv:
    total: int
    reserved: int = 0
    min_unit: int = 1
    max_unit: int = 100
    step_size: int = 1
    ratio: float = 1.0
    used: int = 0

    def capacity(self):
        return int((self.total - self.reserved) * self.ratio)

    def takes(self, amount):
        return (self.min_unit <= amount <= self.max_unit
                and amount % self.step_size == 0
                and self.used + amount <= (self.total - self.reserved)
                * self.ratio)


@dataclasses.dataclass
class Provider:
    name: str
    parent: str = None
    inventory: dict = dataclasses.field(default_factory=dict)
    traits: set = dataclasses.field(default_factory=set)
    aggregates: set = dataclasses.field(default_factory=set)


@dataclasses.dataclass
class Group:
    suffix: str
    resources: dict = dataclasses.field(default_factory=dict)
    required: list = dataclasses.field(default_factory=list)  # any-of sets
    forbidden: set = dataclasses.field(default_factory=set)
    member_of: list = dataclasses.field(default_factory=list)  # any-of sets
    forbidden_aggs: set = dataclasses.field(default_factory=set)
    in_tree: str = None


@dataclasses.dataclass
class Request:
    groups: list
    group_policy: str = 'none'
    root_required: set = dataclasses.field(default_factory=set)
    root_forbidden: set = dataclasses.field(default_factory=set)
    same_subtree: list = dataclasses.field(default_factory=list)


def root_of(world, name):
    while world[name].parent is not None:
        name = world[name].parent
    return name


def ancestors(world, name):
    chain = [name]
    while world[name].parent is not None:
        name = world[name].parent
        chain.append(name)
    return chain


def anchors(world, sharing):
    """Roots of every provider sharing an aggregate with ``sharing``."""
    found = {root_of(world, sharing)}
    for other in world.values():
        if other.aggregates & world[sharing].aggregates:
            found.add(root_of(world, other.name))
    return found


def _traits_ok(required, forbidden, traits):
    return all(group & traits for group in required) and not (
        forbidden & traits)


def _suffixed_ok(world, group, name):
    provider = world[name]
    if group.resources:
        for cls, amount in group.resources.items():
            inv = provider.inventory.get(cls)
            if inv is None or not inv.takes(amount):
                return False
        if group.in_tree is not None and \
                root_of(world, name) != root_of(world, group.in_tree):
            return False
    elif not (group.required or group.member_of):
        return False
    if not _traits_ok(group.required, group.forbidden, provider.traits):
        return False
    if any(not (wanted & provider.aggregates) for wanted in group.member_of):
        return False
    return not (group.forbidden_aggs & provider.aggregates)


def _spread_ok(world, group, name, anchor, cls):
    provider = world[name]
    inv = provider.inventory.get(cls)
    if inv is None or not inv.takes(group.resources[cls]):
        return False
    foreign = root_of(world, name) != anchor
    if group.in_tree is not None and (
            foreign or anchor != root_of(world, group.in_tree)):
        return False
    seen = provider.aggregates if foreign else \
        provider.aggregates | world[anchor].aggregates
    if any(not (wanted & seen) for wanted in group.member_of):
        return False
    return not (group.forbidden_aggs
                & (provider.aggregates | world[anchor].aggregates))


def candidates(world, request):
    sharing = [n for n, p in world.items() if SHARING in p.traits]
    anchored = {s: anchors(world, s) for s in sharing}
    roots = sorted({root_of(world, n) for n in world})
    results = set()
    for anchor in roots:
        usable = [n for n in world if root_of(world, n) == anchor]
        usable += [s for s in sharing
                   if anchor in anchored[s] and s not in usable]
        results |= _search_tree(world, request, anchor, sorted(usable))
    return results


def _search_tree(world, request, anchor, usable):
    root = world[anchor]
    if not _traits_ok([{t} for t in request.root_required],
                      request.root_forbidden, root.traits):
        return set()
    # Each group's choices: suffixed → one provider; unsuffixed → one
    # provider per class (as a tuple in sorted class order).
    choices = []
    for group in request.groups:
        if group.suffix:
            choices.append([(name,) for name in usable
                            if _suffixed_ok(world, group, name)])
        else:
            classes = sorted(group.resources)
            per_class = [[n for n in usable
                          if _spread_ok(world, group, n, anchor, cls)]
                         for cls in classes]
            options = []
            for combo in itertools.product(*per_class):
                traits = set().union(*[world[n].traits for n in combo])
                if _traits_ok(group.required, group.forbidden, traits):
                    options.append(combo)
            choices.append(options)
    found = set()
    for assignment in itertools.product(*choices):
        result = _check(world, request, assignment)
        if result is not None:
            found.add(result)
    return found


def _check(world, request, assignment):
    by_suffix = {}
    sums = {}
    shares = {}  # (provider, class) → how many groups put an amount there
    for group, chosen in zip(request.groups, assignment):
        if group.suffix:
            name = chosen[0]
            by_suffix[group.suffix] = {name}
            for cls, amount in group.resources.items():
                sums[(name, cls)] = sums.get((name, cls), 0) + amount
                shares[(name, cls)] = shares.get((name, cls), 0) + 1
        else:
            classes = sorted(group.resources)
            by_suffix[''] = set(chosen)
            for cls, name in zip(classes, chosen):
                amount = group.resources[cls]
                sums[(name, cls)] = sums.get((name, cls), 0) + amount
                shares[(name, cls)] = shares.get((name, cls), 0) + 1
    if request.group_policy == 'isolate':
        used = [next(iter(by_suffix[g.suffix])) for g in request.groups
                if g.suffix]
        if len(used) != len(set(used)):
            return None
    for (name, cls), total in sums.items():
        if shares[(name, cls)] < 2:
            continue  # a single amount was already judged by takes()
        inv = world[name].inventory[cls]
        if total > inv.max_unit or inv.used + total > inv.capacity():
            return None
    for suffixes in request.same_subtree:
        names = set().union(*[by_suffix[s] for s in suffixes])
        if not any(all(top in ancestors(world, n) for n in names)
                   for top in names):
            return None
    allocations = frozenset(sums.items())
    mappings = frozenset((s, frozenset(n)) for s, n in by_suffix.items())
    return allocations, mappings
