"""Which providers could take part in each request group, decided once per
provider as each slice of trees is loaded (not once per tree search).

For a suffixed group: the providers that meet it alone (room for every
class, their own traits and aggregates, in_tree). For the unsuffixed
group: per class, the providers with room for that class whose aggregates
(with their root's) and tree fit. Sharing providers serve other trees, so
their tree-dependent rules are judged during each tree's search.

An ``observer`` (explain.Recorder, for GET /allocation_candidates/explain)
may be given: it is told what each rule kept, in the order the rules are
applied here. It is None for the candidates themselves, and then costs
nothing beyond a test per group and slice.
"""
from placement.candidates.world import room_for


def traits_ok(group, traits):
    return (all(wanted & traits for wanted in group.required)
            and not (group.forbidden & traits))


def spread_labels_failure(world, in_tree_roots, group, pid, root_id):
    """Unsuffixed group, for the tree of ``root_id``: None if ``pid`` may
    serve it there, else the rule it breaks ('in_tree', 'member_of',
    'forbidden_aggregates'). A tree provider counts its root's
    aggregates; a sharing provider must itself be in them, and counts the
    anchor's for forbidden ones. With in_tree, sharing providers are left
    out."""
    sharing = pid in world.sharing and \
        world.providers[pid].root_id != root_id
    if sharing and group.suffix in in_tree_roots:
        return 'in_tree'
    if not sharing and group.suffix in in_tree_roots and \
            in_tree_roots[group.suffix] != root_id:
        return 'in_tree'
    own = world.aggregates.get(pid, set())
    with_anchor = own | world.aggregates.get(root_id, set())
    seen = own if sharing else with_anchor
    if any(not (wanted & seen) for wanted in group.member_of):
        return 'member_of'
    if group.forbidden_aggs & with_anchor:
        return 'forbidden_aggregates'
    return None


def _having(index, names):
    """Providers having any of ``names`` in ``index`` (name → pids)."""
    found = set()
    for name in names:
        found |= index.get(name, set())
    return found


def _alone_rules(world, in_tree_roots, group):
    """[(rule, narrow)]: the label rules of a suffixed group, in the order
    they are applied; ``narrow`` takes a set of pids and returns those
    meeting the rule (a new set)."""
    with_trait, in_aggregate = world.with_trait, world.in_aggregate
    rules = []
    if group.required:
        def required(pool):
            for any_of in group.required:
                pool = pool & _having(with_trait, any_of)
            return pool
        rules.append(('required', required))
    if group.forbidden:
        rules.append(('forbidden', lambda pool: pool - _having(
            with_trait, group.forbidden)))
    if group.member_of:
        def member_of(pool):
            for any_of in group.member_of:
                pool = pool & _having(in_aggregate, any_of)
            return pool
        rules.append(('member_of', member_of))
    if group.forbidden_aggs:
        rules.append(('forbidden_aggregates', lambda pool: pool - _having(
            in_aggregate, group.forbidden_aggs)))
    wanted_root = in_tree_roots.get(group.suffix)
    if group.resources and wanted_root is not None:
        providers = world.providers
        rules.append(('in_tree', lambda pool: {
            pid for pid in pool if providers[pid].root_id == wanted_root}))
    return rules


def serving_alone(world, in_tree_roots, group, pids, holders,
                  observer=None):
    """Those of ``pids`` that meet a suffixed group alone: room for every
    class, their own traits and aggregates, in_tree. Set operations over
    the slice, not a test per provider and rule."""
    inventory = world.inventory
    pool = None
    for name, amount in group.resources.items():
        roomy = {pid for pid in holders.get(name, ())
                 if room_for(inventory[(pid, name)], amount)}
        if observer is not None:
            observer.alone_class(group, name, amount,
                                 set(pids) if pool is None else pool,
                                 holders.get(name, ()), roomy)
        pool = roomy if pool is None else pool & roomy
    if pool is None:
        pool = set(pids)
    for rule, narrow in _alone_rules(world, in_tree_roots, group):
        kept = narrow(pool)
        if observer is not None:
            observer.alone_rule(group, rule, pool, kept)
        pool = kept
    return sorted(pool)


class Eligible:
    """Per group, the providers of each tree that could serve it."""

    def __init__(self, world, request, in_tree_roots, observer=None):
        self.world = world
        self.in_tree_roots = in_tree_roots
        self.observer = observer
        self.suffixed = [g for g in request.groups if g.same_provider]
        self.unsuffixed = [g for g in request.groups if not g.same_provider]
        self.alone = {g.suffix: {} for g in self.suffixed}  # suffix → root → [pid]
        self.alone_sharing = {g.suffix: set() for g in self.suffixed}
        self.spread = {}          # class name → root → [pid] (tree's own)
        self.spread_sharing = {}  # class name → {sharing pid}

    def add(self, pids, holders):
        """A slice was loaded: ``pids`` (sorted) are its providers and
        ``holders`` maps each requested class to those having some."""
        world = self.world
        providers, sharing = world.providers, world.sharing
        for group in self.suffixed:
            if not (group.resources or group.required or group.member_of):
                if self.observer is not None:
                    self.observer.unfiltered(group, pids)
                continue  # upstream needs a positive filter for these
            by_root = self.alone[group.suffix]
            for pid in serving_alone(world, self.in_tree_roots, group, pids,
                                     holders, self.observer):
                by_root.setdefault(providers[pid].root_id, []).append(pid)
                if pid in sharing:
                    self.alone_sharing[group.suffix].add(pid)
        for group in self.unsuffixed:
            # Without aggregate or tree rules, room is all that counts.
            labelled = bool(group.member_of or group.forbidden_aggs or
                            group.suffix in self.in_tree_roots)
            for name, amount in group.resources.items():
                by_root = self.spread.setdefault(name, {})
                shared = self.spread_sharing.setdefault(name, set())
                for pid in holders.get(name, ()):
                    if not room_for(world.inventory[(pid, name)], amount):
                        continue
                    if pid in sharing:
                        shared.add(pid)  # judged per tree
                        continue
                    root = providers[pid].root_id
                    if not labelled or spread_labels_failure(
                            world, self.in_tree_roots, group, pid,
                            root) is None:
                        by_root.setdefault(root, []).append(pid)
            if self.observer is not None:
                self.observer.spread_added(self, group, pids, holders)

    def alone_for(self, group, root_id):
        """Sorted pids able to serve a suffixed group for this tree."""
        own = self.alone[group.suffix].get(root_id, [])
        sharers = self.world.sharers_of.get(root_id)
        if not sharers:
            return own
        extra = sharers & self.alone_sharing[group.suffix]
        return sorted(set(own) | extra) if extra else own

    def spread_for(self, group, name, root_id):
        """Sorted pids able to give the unsuffixed group its ``name``."""
        own = self.spread.get(name, {}).get(root_id, [])
        shared = self.spread_sharing.get(name)
        if not shared:
            return own
        candidates = shared & (self.world.sharers_of.get(root_id, set()) |
                               set(self.world.tree_members.get(root_id, ())))
        extra = {pid for pid in candidates if spread_labels_failure(
            self.world, self.in_tree_roots, group, pid, root_id) is None}
        return sorted(set(own) | extra) if extra else own
