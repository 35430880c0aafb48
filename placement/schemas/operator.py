"""GET /resource_providers/{uuid}/tree and GET /capacity (our operator
views): their query strings and answers."""
from placement.schemas import common, inventory

STRING = {'type': 'string'}
STRING_OR_LIST = {'type': ['string', 'array'], 'items': STRING}
INTEGER = {'type': 'integer'}
GROUP_BY = ('aggregate', 'root', 'trait')
METHODS = ('provider', 'tree', 'sharing')
_RC_LIST = '^[A-Z0-9_]+(,[A-Z0-9_]+)*$'

# --- the tree -------------------------------------------------------------

# No parameters: an unknown one is refused rather than ignored.
TREE_QUERY = {'type': 'object', 'properties': {},
              'additionalProperties': False}

TREE_INVENTORY = common.closed(dict(
    inventory.RECORD['properties'],
    capacity=dict(INTEGER, description=(
        '(total - reserved) * allocation_ratio, rounded down: the most '
        'that can be allocated (below zero with a negative ratio).')),
    used=dict(common.COUNT, description='The sum of the allocations.'),
    free=dict(common.COUNT, description=(
        'capacity - used, or 0 when usage is at or over capacity.'))))

# Levels of the tree described exactly. The document cannot hold a
# recursive schema (its validators resolve every $ref against the whole
# document), so providers deeper than this are only said to be objects.
TREE_DEPTH = 8


def _node(depth):
    """A provider with its descendants, ``depth`` levels described."""
    if depth == 0:
        child = {'type': 'object', 'description': (
            'A provider deeper in the tree, of the same shape.')}
    else:
        child = _node(depth - 1)
    return common.closed({
        'uuid': common.UUID,
        'name': {'type': ['string', 'null']},
        'generation': common.GENERATION,
        'parent_provider_uuid': common.NULLABLE_UUID,
        'traits': common.array(common.TRAIT_NAME),
        'aggregates': common.array(common.UUID),
        'inventories': common.keyed(common.RC_NAME['pattern'],
                                    TREE_INVENTORY),
        'consumer_count': dict(common.COUNT, description=(
            'Distinct consumers holding allocations on this provider.')),
        'children': dict(common.array(child),
                         description='Child providers, by name.'),
    })


TREE = common.closed({
    'root': dict(_node(TREE_DEPTH), description=(
        'The root provider of the tree, its descendants nested in '
        '"children".')),
    'provider_count': dict(common.COUNT, description=(
        'The providers in the tree.')),
})

# --- capacity -------------------------------------------------------------


def capacity_query(version):
    """Ours at every microversion; the provider filters come with the
    microversions that bring them to GET /resource_providers, and take
    its syntax (member_of and required may be repeated)."""
    properties = {
        'resource_class': {'type': ['string', 'array'], 'pattern': _RC_LIST,
                           'items': {'type': 'string', 'pattern': _RC_LIST}},
        'group_by': {'type': 'string', 'enum': list(GROUP_BY)},
        'resources': STRING,
        'method': {'type': 'string', 'enum': list(METHODS)},
        'top': {'type': 'string',
                'pattern': '^(0|[1-9][0-9]{0,2}|1000)$'},
    }
    if version >= (1, 3):
        properties['member_of'] = STRING_OR_LIST
    if version >= (1, 14):
        properties['in_tree'] = common.UUID
    if version >= (1, 18):
        properties['required'] = STRING_OR_LIST
    return {'type': 'object', 'properties': properties,
            'additionalProperties': False}


FIGURES = common.closed({
    'providers': dict(common.COUNT, description=(
        'Providers with inventory of the class.')),
    'total': common.COUNT,
    'reserved': common.COUNT,
    'capacity': dict(INTEGER, description=(
        'The sum over providers of (total - reserved) * '
        'allocation_ratio, each rounded down.')),
    'used': common.COUNT,
    'free': dict(common.COUNT, description=(
        'The sum over providers of their room left (capacity - used, '
        'never below 0 on one provider).')),
    'largest_allocation': dict(common.COUNT, description=(
        'The largest single allocation some provider can take now: '
        'min(max_unit, free) rounded down to a multiple of step_size, if '
        'at least min_unit; 0 when none can.')),
})

CLASSES = common.keyed(common.RC_NAME['pattern'], FIGURES)

FITS_DESCRIPTION = (
    'How many more allocations of `resources` fit now, all at once. '
    '`method` says how they are counted. `provider`: each provider alone, '
    'exactly: on a provider with every requested class, the least over '
    'the classes of the number of whole requested amounts its free room '
    'takes one after another (0 for an amount that breaks min_unit, '
    'max_unit or step_size); a request whose classes are spread over '
    'several providers of a tree, or taken from a sharing provider, is '
    'not counted. `tree`: each tree (a root provider and its descendants) '
    'as a whole, exactly for requests of the unsuffixed group: each class '
    'from one provider of the tree, so per class the sum over the '
    "tree's providers of the amounts each takes, and the least of those "
    'over the classes; sharing providers are not lent to other trees in '
    '`provider` or `tree` (each counts as its own provider or tree). '
    '`sharing`: as `tree`, and for each requested class a tree has no '
    'inventory of, the tree draws on the sharing providers (root '
    'providers without children that have MISC_SHARES_VIA_AGGREGATE) '
    "sharing an aggregate with one of its providers; a tree with none of "
    'the requested classes is no unit of its own. Counted greedily: trees '
    "in the order they were created, each taking as many as its own room "
    "and its sharing providers' remaining room allow, then each sharing "
    'provider alone with what it has left. Never more than really fit; '
    'exact when the trees that draw on sharing providers lack the same '
    'classes and share the same sharing providers (one shared pool per '
    'aggregate of compute nodes). Only the providers the filters select '
    'count (resource_class does not narrow it).')

FIT = common.closed({
    'uuid': common.UUID,
    'name': {'type': ['string', 'null']},
    'fits': common.COUNT,
})


GROUP = common.closed({
    'key': {'type': ['string', 'null'], 'description': (
        'The aggregate uuid, root provider uuid or trait name; null for '
        'the providers in no aggregate (or with no trait).')},
    'name': dict(STRING, description="The root provider's name "
                 '(group_by=root).'),
    'resource_classes': CLASSES,
    'fits': dict(common.COUNT, description=(
        'With resources: how many fit on the providers of the group, '
        'counted as the top-level fits.count is.')),
}, required=['key', 'resource_classes'])


CAPACITY = {
    'type': 'object',
    'properties': {
        'resource_classes': CLASSES,
        'group_by': {'type': 'string', 'enum': list(GROUP_BY)},
        'groups': common.array(GROUP),
        'fits': dict(common.closed({
            'resources': dict(common.AMOUNTS, minProperties=1),
            'method': {'type': 'string', 'enum': list(METHODS)},
            'count': common.COUNT,
            'top': dict(common.array(FIT), description=(
                'The providers (method provider) or root providers '
                '(method tree; with sharing, also sharing providers '
                'counted alone) where most fit, most first, then by name; '
                'only those where at least one fits.')),
        }), description=FITS_DESCRIPTION),
    },
    'required': ['resource_classes'],
    'dependentRequired': {'group_by': ['groups'], 'groups': ['group_by']},
    'additionalProperties': False,
}
