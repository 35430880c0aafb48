"""The in-memory slice of the database a candidate search works on: the
providers of the loaded trees, their inventories (with usage), traits and
aggregates, and the sharing providers with the trees they serve."""
import collections
import dataclasses

Provider = collections.namedtuple('Provider', 'id uuid parent_id root_id')
Inventory = collections.namedtuple(
    'Inventory', 'total reserved min_unit max_unit step_size allocation_ratio '
                 'used capacity')


def inventory_row(total, reserved, min_unit, max_unit, step_size, ratio,
                  used):
    """capacity is int((total - reserved) * allocation_ratio), as provider
    summaries show it; ``used + amount <= capacity`` is the same test as
    the SQL one on the float product, both sides being whole numbers."""
    return Inventory(total, reserved, min_unit, max_unit, step_size, ratio,
                     int(used), int((total - reserved) * ratio))


def room_for(row, amount, already=0):
    """``amount`` more (on top of ``already`` in this candidate) fits."""
    return (row.min_unit <= amount <= row.max_unit
            and amount % row.step_size == 0
            and row.used + already + amount <= row.capacity)


@dataclasses.dataclass
class World:
    inventory: dict = dataclasses.field(default_factory=dict)  # (pid, rc name) → Inventory
    providers: dict = dataclasses.field(default_factory=dict)  # pid → Provider
    # pid → set(names), of the trait names the request mentions only
    traits: dict = dataclasses.field(default_factory=dict)
    trait_order: dict = dataclasses.field(default_factory=dict)  # pid → [names]
    aggregates: dict = dataclasses.field(default_factory=dict)  # pid → set(uuids)
    sharing: set = dataclasses.field(default_factory=set)
    sharing_root: dict = dataclasses.field(default_factory=dict)  # pid → root
    anchors: dict = dataclasses.field(default_factory=dict)    # sharing pid → set(root ids)
    tree_members: dict = dataclasses.field(default_factory=dict)  # root id → [pid]
    all_inventory: dict = dataclasses.field(default_factory=dict)  # pid → [(name, capacity, used)]
    sharers_of: dict = dataclasses.field(default_factory=dict)  # root id → set(sharing pids)
    with_trait: dict = dataclasses.field(default_factory=dict)  # mentioned trait name → set(pids)
    in_aggregate: dict = dataclasses.field(default_factory=dict)  # agg uuid → set(pids)
    lineages: dict = dataclasses.field(default_factory=dict)   # pid → frozenset

    def ancestors(self, pid):
        """pid and its ancestors, nearest first."""
        chain = []
        while pid is not None:
            chain.append(pid)
            pid = self.providers[pid].parent_id
        return chain

    def lineage(self, pid):
        """The set of pid and its ancestors (remembered)."""
        found = self.lineages.get(pid)
        if found is None:
            found = self.lineages[pid] = frozenset(self.ancestors(pid))
        return found
