"""Property test: over seeded random small clouds (flat and nested
providers, a sharing one, allocations, min_unit/max_unit/step_size,
allocation ratios, traits and aggregates), GET /capacity's figures and
``fits`` equal a brute-force count written here, apart from the code.

The brute force knows nothing of SQL: it adds up the inventories it put
in, and counts ``fits`` by allocating the request again and again, as a
client would, until it no longer fits."""
import collections
import math
import random
import uuid

import pytest
import sqlalchemy as sa

from placement.db import tables
from tests.functional import app as test_app
from tests.functional import client

SEED = 20240611
WORLDS = 80
METHODS = ('provider', 'tree', 'sharing')
CLASSES = ['VCPU', 'MEMORY_MB', 'DISK_GB']
TRAITS = ['CUSTOM_A', 'CUSTOM_B']
AGGS = [str(uuid.UUID(int=n + 1)) for n in range(3)]
SHARES = 'MISC_SHARES_VIA_AGGREGATE'
# Exact in single precision too (MySQL's FLOAT column).
RATIOS = [0.5, 1.0, 1.0, 1.5, 2.0, 4.0]
MAX_INT = 2147483647
FIGURES = ('providers', 'total', 'reserved', 'capacity', 'used', 'free',
           'largest_allocation')


class Inv:
    def __init__(self, rng):
        self.total = rng.randint(1, 60)
        self.reserved = rng.choice([0, 0, 0, rng.randint(0, self.total)])
        self.min_unit = rng.choice([1, 1, 1, 1, 2, 3])
        self.max_unit = rng.choice([MAX_INT, self.total, rng.randint(2, 12)])
        self.step_size = rng.choice([1, 1, 1, 2, 4])
        self.ratio = rng.choice(RATIOS)
        # Several consumers' allocations, at times more than there is.
        self.allocations = [rng.randint(1, 10)
                            for _ in range(rng.choice([0, 0, 1, 1, 2, 3]))]

    @property
    def capacity(self):
        return math.floor((self.total - self.reserved) * self.ratio)

    @property
    def used(self):
        return sum(self.allocations)

    def takes(self, amount, used):
        """Whether one more allocation of ``amount`` is accepted."""
        return (self.min_unit <= amount <= self.max_unit
                and amount % self.step_size == 0
                and used + amount <= self.capacity)

    def largest(self):
        """The largest single allocation accepted now, by trying each."""
        for amount in range(max(self.capacity - self.used, 0), 0, -1):
            if self.takes(amount, self.used):
                return amount
        return 0


class Provider:
    def __init__(self, index, parent, rng):
        self.name = 'p%02d' % index
        self.uuid = str(uuid.uuid4())
        self.parent = parent
        self.root = self if parent is None else parent.root
        self.inventory = {cls: Inv(rng) for cls in
                          rng.sample(CLASSES, rng.choice([0, 1, 2, 2, 3]))}
        self.traits = set(rng.sample(TRAITS, rng.randint(0, 2)))
        self.aggregates = set(rng.sample(AGGS, rng.randint(0, 2)))


def make_world(rng):
    world = []
    for index in range(rng.randint(1, 10)):
        parent = None
        if world and rng.random() < 0.55:
            parent = rng.choice(world)
        world.append(Provider(index, parent, rng))
    for _ in range(rng.choice([0, 0, 1, 1, 2])):
        # A sharing provider (the method sharing lends it to trees).
        sharing = Provider(len(world), None, rng)
        sharing.traits.add(SHARES)
        sharing.aggregates.add(AGGS[0])
        world.append(sharing)
    return world


def make_pool_world(rng):
    """The usual deployment: compute trees without disk in one aggregate,
    one or two sharing providers of disk in it (method sharing is exact
    here), and at times a tree outside it."""
    world = []
    for index in range(rng.randint(1, 6)):
        parent = None
        if world and rng.random() < 0.4:
            parent = rng.choice(world)
        provider = Provider(index, parent, rng)
        provider.inventory.pop('DISK_GB', None)
        provider.aggregates = {AGGS[0]} if rng.random() < 0.8 else set()
        world.append(provider)
    for _ in range(rng.randint(1, 2)):
        sharing = Provider(len(world), None, rng)
        sharing.inventory = {'DISK_GB': Inv(rng)}
        sharing.traits = {SHARES}
        sharing.aggregates = {AGGS[0]}
        world.append(sharing)
    return world


# --- the brute force ----------------------------------------------------------


def expected_figures(providers, classes=None, key=None):
    """{key: {class: figures}} (key None without grouping)."""
    found = collections.defaultdict(dict)
    for provider in providers:
        for group in (key(provider) if key else [None]):
            for cls, inv in provider.inventory.items():
                if classes is not None and cls not in classes:
                    continue
                figures = found[group].setdefault(cls, dict.fromkeys(
                    FIGURES, 0))
                figures['providers'] += 1
                figures['total'] += inv.total
                figures['reserved'] += inv.reserved
                figures['capacity'] += inv.capacity
                figures['used'] += inv.used
                figures['free'] += max(inv.capacity - inv.used, 0)
                figures['largest_allocation'] = max(
                    figures['largest_allocation'], inv.largest())
    return found


def count_alone(provider, wanted):
    """Allocate ``wanted`` on the provider again and again."""
    if not set(wanted) <= set(provider.inventory):
        return 0
    used = {cls: provider.inventory[cls].used for cls in wanted}
    count = 0
    while all(provider.inventory[cls].takes(amount, used[cls])
              for cls, amount in wanted.items()):
        for cls, amount in wanted.items():
            used[cls] += amount
        count += 1
    return count


def count_tree(members, wanted):
    """Allocate ``wanted`` on a tree's providers again and again, each
    class from any one provider that takes it."""
    used = {(p.uuid, cls): inv.used for p in members
            for cls, inv in p.inventory.items()}
    count = 0
    while True:
        picks = {}
        for cls, amount in wanted.items():
            taker = next((p for p in members if cls in p.inventory
                          and p.inventory[cls].takes(
                              amount, used[(p.uuid, cls)])), None)
            if taker is None:
                return count
            picks[cls] = taker
        for cls, taker in picks.items():
            used[(taker.uuid, cls)] += wanted[cls]
        count += 1


def _lenders(providers, world):
    """The sharing providers that lend: roots without children."""
    return [p for p in providers if SHARES in p.traits and p.parent is None
            and not any(q.parent is p for q in world)]


def _drawing(providers, world, wanted):
    """(trees {root uuid: members}, lenders, links {root uuid: [lenders
    sharing an aggregate with a member]}) for the method sharing."""
    lenders = _lenders(providers, world)
    trees = collections.defaultdict(list)
    for provider in providers:
        if provider not in lenders:
            trees[provider.root.uuid].append(provider)
    links = {root: [lender for lender in lenders
                    if any(m.aggregates & lender.aggregates for m in members)]
             for root, members in trees.items()}
    return trees, lenders, links


def count_sharing(providers, world, wanted, order=None):
    """Allocate ``wanted`` again and again as a client would, each tree
    (in ``order``, by default as created) until it takes no more: each
    class from a provider of the tree that has it, or from a sharing
    provider the tree is linked to where no provider of the tree has
    it; then each sharing provider alone."""
    trees, lenders, links = _drawing(providers, world, wanted)
    used = {(p.uuid, cls): inv.used for p in providers
            for cls, inv in p.inventory.items()}

    def taker(candidates, cls, amount):
        return next((p for p in candidates if cls in p.inventory
                     and p.inventory[cls].takes(amount, used[(p.uuid, cls)])),
                    None)

    units = [(root, trees[root]) for root in (order or list(trees))]
    units += [(lender.uuid, None) for lender in lenders]
    counts = {}
    for unit, members in units:
        if members is None:
            lender = next(p for p in lenders if p.uuid == unit)
            sources = {cls: [lender] for cls in wanted
                       if cls in lender.inventory}
        else:
            has = {cls for m in members for cls in m.inventory}
            sources = {cls: members if cls in has else links[unit]
                       for cls in wanted}
            if not has & set(wanted):
                continue
        if len(sources) < len(wanted):
            continue
        while True:
            picks = {cls: taker(sources[cls], cls, amount)
                     for cls, amount in wanted.items()}
            if None in picks.values():
                break
            for cls, provider in picks.items():
                used[(provider.uuid, cls)] += wanted[cls]
            counts[unit] = counts.get(unit, 0) + 1
    return counts


def is_pool(providers, world, wanted):
    """Whether the trees that draw on sharing providers lack the same
    classes and draw on the same ones (where sharing is exact)."""
    trees, lenders, links = _drawing(providers, world, wanted)
    drawing = set()
    for root, members in trees.items():
        has = {cls for m in members for cls in m.inventory} & set(wanted)
        if has and has != set(wanted) and links[root]:
            drawing.add((frozenset(set(wanted) - has),
                         frozenset(p.uuid for p in links[root])))
    pools = [lent for _, lent in drawing]
    return len(drawing) == len(set(pools)) and all(
        a == b or not a & b for a in pools for b in pools)


def expected_fits(providers, wanted, method, world=()):
    """{uuid of provider or root: count} where at least one fits."""
    if method == 'sharing':
        return count_sharing(providers, world, wanted)
    if method == 'provider':
        counts = {p.uuid: count_alone(p, wanted) for p in providers}
    else:
        trees = collections.defaultdict(list)
        for provider in providers:
            trees[provider.root.uuid].append(provider)
        counts = {root: count_tree(members, wanted)
                  for root, members in trees.items()}
    return {key: n for key, n in counts.items() if n}


GROUP_KEYS = {
    'aggregate': lambda p: sorted(p.aggregates) or [None],
    'trait': lambda p: sorted(p.traits) or [None],
    'root': lambda p: [p.root.uuid],
}


def selected(world, member_of, required, in_tree):
    chosen = []
    for provider in world:
        if member_of and not provider.aggregates & member_of:
            continue
        if required and required[0] not in provider.traits:
            continue
        if required and required[1] in provider.traits:
            continue
        if in_tree and provider.root is not in_tree.root:
            continue
        chosen.append(provider)
    return chosen


# --- loading the world --------------------------------------------------------


class Cloud:
    def __init__(self, service):
        self.service = service
        self.client = client.admin_client(service, TRAITS)
        with service.engine.begin() as conn:
            self.class_ids = dict(conn.execute(sa.select(
                tables.resource_classes.c.name,
                tables.resource_classes.c.id)).all())
            self.trait_ids = dict(conn.execute(sa.select(
                tables.traits.c.name, tables.traits.c.id).where(
                tables.traits.c.name.in_(
                    TRAITS + [SHARES]))).all())
            conn.execute(tables.placement_aggregates.insert(), [
                {'uuid': agg} for agg in AGGS])
            self.agg_ids = dict(conn.execute(sa.select(
                tables.placement_aggregates.c.uuid,
                tables.placement_aggregates.c.id)).all())

    def load(self, world):
        """Write the world straight into the tables (usage may break
        capacity, min_unit, max_unit and step_size on purpose)."""
        t = tables
        with self.service.engine.begin() as conn:
            ids = {}
            for provider in world:
                ids[provider.uuid] = conn.execute(
                    t.resource_providers.insert().values(
                        uuid=provider.uuid, name=provider.name, generation=0,
                        parent_provider_id=ids.get(
                            provider.parent and provider.parent.uuid)))\
                    .inserted_primary_key[0]
            for provider in world:
                conn.execute(t.resource_providers.update().where(
                    t.resource_providers.c.id == ids[provider.uuid]).values(
                    root_provider_id=ids[provider.root.uuid]))
            rows = [dict(resource_provider_id=ids[p.uuid],
                         resource_class_id=self.class_ids[cls],
                         total=inv.total, reserved=inv.reserved,
                         min_unit=inv.min_unit, max_unit=inv.max_unit,
                         step_size=inv.step_size, allocation_ratio=inv.ratio)
                    for p in world for cls, inv in p.inventory.items()]
            if rows:
                conn.execute(t.inventories.insert(), rows)
            rows = [dict(resource_provider_id=ids[p.uuid],
                         resource_class_id=self.class_ids[cls],
                         consumer_id=str(uuid.uuid4()), used=amount)
                    for p in world for cls, inv in p.inventory.items()
                    for amount in inv.allocations]
            if rows:
                conn.execute(t.allocations.insert(), rows)
            rows = [dict(resource_provider_id=ids[p.uuid],
                         trait_id=self.trait_ids[name])
                    for p in world for name in sorted(p.traits)]
            if rows:
                conn.execute(t.resource_provider_traits.insert(), rows)
            rows = [dict(resource_provider_id=ids[p.uuid],
                         aggregate_id=self.agg_ids[agg])
                    for p in world for agg in sorted(p.aggregates)]
            if rows:
                conn.execute(t.resource_provider_aggregates.insert(), rows)

    def wipe(self):
        t = tables
        with self.service.engine.begin() as conn:
            for table in (t.allocations, t.inventories,
                          t.resource_provider_traits,
                          t.resource_provider_aggregates):
                conn.execute(table.delete())
            conn.execute(t.resource_providers.update().values(
                root_provider_id=None, parent_provider_id=None))
            conn.execute(t.resource_providers.delete())

    def get(self, params):
        response = self.client.get('/capacity', params=params)
        assert response.status_code == 200, (params, response.text)
        return response.json()


@pytest.fixture(scope='module')
def cloud():
    service = test_app.Service()
    yield Cloud(service)
    service.close()


def _groups(body):
    return {group['key']: group for group in body['groups']}


def _random_request(rng):
    classes = rng.sample(CLASSES, rng.choice([1, 1, 2, 2, 3]))
    # Mostly amounts every step size divides; at times not.
    return {cls: rng.choice([1, 2, 3, 4, 4, 8]) for cls in classes}


def check_world(cloud, world, rng, stats):
    # Filters, sometimes.
    member_of = set(rng.sample(AGGS, rng.randint(1, 2))) \
        if rng.random() < 0.15 else set()
    required = tuple(rng.sample(TRAITS, 2)) if rng.random() < 0.15 else ()
    in_tree = rng.choice(world) if rng.random() < 0.15 else None
    filters = {}
    if member_of:
        filters['member_of'] = 'in:' + ','.join(sorted(member_of))
    if required:
        filters['required'] = '%s,!%s' % required
    if in_tree:
        filters['in_tree'] = in_tree.uuid
    chosen = selected(world, member_of, required, in_tree)
    what = [(p.name, p.parent and p.parent.name, vars(p)) for p in world], \
        filters

    # Per class, cloud-wide and per group.
    body = cloud.get(filters)
    assert body['resource_classes'] == expected_figures(chosen).get(
        None, {}), what
    classes = set(rng.sample(CLASSES, rng.randint(1, 2)))
    body = cloud.get(dict(filters, resource_class=','.join(sorted(classes))))
    figures = expected_figures(chosen, classes).get(None, {})
    for cls in classes:
        figures.setdefault(cls, dict.fromkeys(FIGURES, 0))
    assert body['resource_classes'] == figures, what
    group_by = rng.choice(sorted(GROUP_KEYS))
    body = cloud.get(dict(filters, group_by=group_by))
    expected = expected_figures(chosen, key=GROUP_KEYS[group_by])
    assert {key: group['resource_classes']
            for key, group in _groups(body).items()} == expected, what

    # How many fit, each way, and where most do.
    wanted = _random_request(rng)
    resources = ','.join('%s:%d' % item for item in sorted(wanted.items()))
    for method in METHODS:
        fits = expected_fits(chosen, wanted, method, world)
        body = cloud.get(dict(filters, resources=resources, method=method,
                              top=str(len(world) + 1)))
        assert body['fits']['method'] == method
        assert body['fits']['count'] == sum(fits.values()), (
            what, method, wanted)
        assert {e['uuid']: e['fits'] for e in body['fits']['top']} == fits
        counts = [e['fits'] for e in body['fits']['top']]
        assert counts == sorted(counts, reverse=True)
        stats[method].append(sum(fits.values()))
        # The top few are among the best.
        body = cloud.get(dict(filters, resources=resources, method=method,
                              top='2'))
        assert [e['fits'] for e in body['fits']['top']] == counts[:2]
    if is_pool(chosen, world, wanted):
        # Exact here: no other order of the trees fits more.
        trees = list(_drawing(chosen, world, wanted)[0])
        for _ in range(3):
            rng.shuffle(trees)
            assert sum(count_sharing(chosen, world, wanted, trees)
                       .values()) == body_count(cloud, filters, resources)
        stats['pool'] += 1
    # Per group.
    method = rng.choice(METHODS)
    body = cloud.get(dict(filters, resources=resources, method=method,
                          group_by=group_by))
    by_key = collections.defaultdict(list)
    for provider in chosen:
        for key in GROUP_KEYS[group_by](provider):
            by_key[key].append(provider)
    expected = {key: sum(expected_fits(members, wanted, method, world)
                         .values())
                for key, members in by_key.items()}
    got = {key: group['fits'] for key, group in _groups(body).items()}
    assert {k: v for k, v in got.items() if v} == \
        {k: v for k, v in expected.items() if v}, (what, method, wanted)


def body_count(cloud, filters, resources):
    return cloud.get(dict(filters, resources=resources,
                          method='sharing'))['fits']['count']


def test_capacity_matches_brute_force(cloud):
    rng = random.Random(SEED)
    stats = {method: [] for method in METHODS}
    stats['pool'] = 0
    for index in range(WORLDS):
        world = (make_pool_world if index % 4 == 3 else make_world)(rng)
        cloud.load(world)
        try:
            check_world(cloud, world, rng, stats)
        finally:
            cloud.wipe()
    # A property test that only ever counts nothing proves little.
    pools = stats.pop('pool')
    for method, counts in stats.items():
        assert sum(1 for n in counts if n) >= WORLDS // 3, (method, counts)
    assert sum(stats['tree']) > sum(stats['provider']), stats
    # Lending counts more than trees alone, and exactness was checked.
    assert sum(stats['sharing']) > sum(stats['tree']), stats
    assert pools >= WORLDS // 10, pools
    print('worlds with some fitting, by method:',
          {m: sum(1 for n in c if n) for m, c in stats.items()})
