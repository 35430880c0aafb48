"""The one-screen summary ``placement-testcloud`` prints of a scenario."""
import collections

MAX_TREE_LINES = 30


def lines(scenario):
    out = ['Scenario %s: %s' % (scenario.name, scenario.description or '-')]
    roots = [p for p in scenario.providers if p.parent is None]
    totals = collections.Counter()
    for provider in scenario.providers:
        for rc, record in provider.inventories.items():
            totals[rc] += record['total']
    out.append('  %d providers (%d trees), %d aggregates, %d consumers'
               % (len(scenario.providers), len(roots),
                  len(scenario.aggregates), len(scenario.consumers)))
    if totals:
        out.append('  inventory: ' + ', '.join(
            '%s %d' % item for item in sorted(totals.items())))
    if scenario.resource_classes:
        out.append('  custom classes: ' + ', '.join(scenario.resource_classes))
    if scenario.traits:
        out.append('  custom traits: ' + ', '.join(scenario.traits))
    types = collections.Counter(c.consumer_type or 'unknown'
                                for c in scenario.consumers)
    if types:
        out.append('  consumer types: ' + ', '.join(
            '%s %d' % item for item in sorted(types.items())))
    tree = _tree_lines(scenario)
    if tree:
        out.append('  providers:')
        out.extend(tree[:MAX_TREE_LINES])
        if len(tree) > MAX_TREE_LINES:
            out.append('    ... %d more (GET /_testcloud lists them all)'
                       % (len(tree) - MAX_TREE_LINES))
    return out


def _tree_lines(scenario):
    children = collections.defaultdict(list)
    for provider in scenario.providers:
        children[provider.parent].append(provider)
    found = []

    def walk(provider, depth):
        found.append('    %s%s  %s  %s' % (
            '  ' * depth, provider.name, provider.uuid,
            ','.join(provider.inventories) or '-'))
        for child in children[provider.uuid]:
            walk(child, depth + 1)

    for root in children[None]:
        walk(root, 0)
    return found
