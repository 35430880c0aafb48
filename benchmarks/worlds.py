"""Fast loaders for benchmark worlds: bulk SQL inserts into a database that
already has the schema (``placement-manage db sync``). The tables are
upstream's, so the same database can be served by upstream Placement too."""
import datetime
import uuid

import os_traits
import sqlalchemy as sa

from placement.db import tables as t

NOW = datetime.datetime(2026, 1, 1)
CHUNK = 5000


def _ids(conn, table, column, names):
    return dict(conn.execute(sa.select(table.c[column], table.c.id).where(
        table.c[column].in_(names))).all())


def _insert(conn, table, rows):
    for start in range(0, len(rows), CHUNK):
        conn.execute(table.insert(), rows[start:start + CHUNK])


class Loader:
    def __init__(self, engine):
        self.engine = engine
        self.aggregates = {}

    def classes(self, conn, names):
        custom = [n for n in names if n.startswith('CUSTOM_')]
        present = _ids(conn, t.resource_classes, 'name', custom)
        next_id = max(10000, (conn.execute(sa.select(
            sa.func.max(t.resource_classes.c.id))).scalar() or 0) + 1)
        for name in custom:
            if name not in present:
                conn.execute(t.resource_classes.insert().values(
                    id=next_id, name=name, created_at=NOW))
                next_id += 1
        return _ids(conn, t.resource_classes, 'name', names)

    def traits(self, conn, names):
        present = _ids(conn, t.traits, 'name', names)
        missing = [{'name': n, 'created_at': NOW} for n in names
                   if n not in present]
        if missing:
            conn.execute(t.traits.insert(), missing)
        return _ids(conn, t.traits, 'name', names)

    def aggregate(self, conn, name):
        if name not in self.aggregates:
            agg_uuid = str(uuid.uuid4())
            conn.execute(t.placement_aggregates.insert().values(
                uuid=agg_uuid, created_at=NOW))
            self.aggregates[name] = (agg_uuid, conn.execute(
                sa.select(t.placement_aggregates.c.id).where(
                    t.placement_aggregates.c.uuid == agg_uuid)).scalar_one())
        return self.aggregates[name]

    def trees(self, specs):
        """Load providers described by ``specs``: a list of trees, each a
        list of dicts {name, parent (index or None), inventory {class:
        (total, ratio)}, traits [names], aggregates [names]}."""
        with self.engine.begin() as conn:
            class_names = {c for tree in specs for p in tree
                           for c in p.get('inventory', {})}
            trait_names = {n for tree in specs for p in tree
                           for n in p.get('traits', ())}
            class_ids = self.classes(conn, sorted(class_names))
            trait_ids = self.traits(conn, sorted(trait_names))
            first = (conn.execute(sa.select(sa.func.max(
                t.resource_providers.c.id))).scalar() or 0) + 1
            rows, inventories, traits, aggs = [], [], [], []
            next_id = first
            for tree in specs:
                ids = list(range(next_id, next_id + len(tree)))
                next_id += len(tree)
                for index, spec in enumerate(tree):
                    parent = spec.get('parent')
                    rows.append({
                        'id': ids[index], 'uuid': str(uuid.uuid4()),
                        'name': spec['name'], 'generation': 1,
                        'root_provider_id': ids[0],
                        'parent_provider_id': None if parent is None
                        else ids[parent], 'created_at': NOW})
                    for name, (total, ratio) in spec.get(
                            'inventory', {}).items():
                        inventories.append({
                            'resource_provider_id': ids[index],
                            'resource_class_id': class_ids[name],
                            'total': total, 'reserved': 0, 'min_unit': 1,
                            'max_unit': total, 'step_size': 1,
                            'allocation_ratio': ratio, 'created_at': NOW})
                    traits.extend({'resource_provider_id': ids[index],
                                   'trait_id': trait_ids[n],
                                   'created_at': NOW}
                                  for n in spec.get('traits', ()))
                    aggs.extend({'resource_provider_id': ids[index],
                                 'aggregate_id': self.aggregate(conn, n)[1],
                                 'created_at': NOW}
                                for n in spec.get('aggregates', ()))
            # Parents before children, so the self-references are valid.
            _insert(conn, t.resource_providers, rows)
            _insert(conn, t.inventories, inventories)
            _insert(conn, t.resource_provider_traits, traits)
            _insert(conn, t.resource_provider_aggregates, aggs)
        return len(rows)


def flat(count, start=0):
    """Compute nodes: VCPU, MEMORY_MB, DISK_GB; every other one with AVX2;
    all in aggregate 'agg'."""
    return [[{'name': 'cn%d' % (start + i),
              'inventory': {'VCPU': (64, 16.0), 'MEMORY_MB': (262144, 1.5),
                            'DISK_GB': (2000, 1.0)},
              'traits': ['HW_CPU_X86_AVX2'] if i % 2 == 0 else [],
              'aggregates': ['agg']}]
            for i in range(count)]


def nested(count):
    """Trees of 7: compute root (DISK_GB), 2 NUMA nodes (VCPU, MEMORY_MB),
    2 accelerators under each NUMA node (CUSTOM_FPGA, vendor traits)."""
    trees = []
    for i in range(count):
        tree = [{'name': 'ncn%d' % i, 'inventory': {'DISK_GB': (2000, 1.0)},
                 'traits': ['COMPUTE_VOLUME_MULTI_ATTACH']}]
        for numa in range(2):
            tree.append({'name': 'ncn%d-numa%d' % (i, numa), 'parent': 0,
                         'inventory': {'VCPU': (32, 4.0),
                                       'MEMORY_MB': (131072, 1.0)},
                         'traits': ['HW_NUMA_ROOT']})
            numa_index = len(tree) - 1
            for acc in range(2):
                tree.append({
                    'name': 'ncn%d-numa%d-fpga%d' % (i, numa, acc),
                    'parent': numa_index,
                    'inventory': {'CUSTOM_FPGA': (1, 1.0)},
                    'traits': ['CUSTOM_FPGA_INTEL' if acc == 0
                               else 'CUSTOM_FPGA_XILINX']})
        trees.append(tree)
    return trees


def dressed(trees, count=50):
    """``trees`` with ``count`` more standard traits on every root, as a
    real compute node reports (CPU flags, COMPUTE_* capabilities): the
    benchmark worlds above carry one trait per provider."""
    names = sorted(n for n in os_traits.get_traits()
                   if n.startswith(('HW_CPU_X86_', 'COMPUTE_')))[:count]
    for tree in trees:
        tree[0]['traits'] = list(tree[0].get('traits', ())) + [
            n for n in names if n not in tree[0].get('traits', ())]
    return trees


def wide(pfs=21):
    """One compute node with ``pfs`` child PFs of one VF each."""
    tree = [{'name': 'wide-cn', 'inventory': {'VCPU': (64, 1.0)}}]
    tree += [{'name': 'wide-pf%d' % i, 'parent': 0,
              'inventory': {'SRIOV_NET_VF': (1, 1.0)},
              'traits': ['CUSTOM_PHYSNET_A']} for i in range(pfs)]
    return [tree]
