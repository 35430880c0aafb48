"""GET /allocation_candidates/explain (our extension): its query string
(GET /allocation_candidates' own, plus ``provider`` and ``examples``) and
its answer, the funnel from the whole cloud to the candidates."""
from placement.schemas import allocation_candidate, common

DEFAULT_EXAMPLES = 3
MOST_EXAMPLES = 50

STRING = {'type': 'string'}
NULLABLE_STRING = {'type': ['string', 'null']}
NULLABLE_COUNT = {'type': ['integer', 'null'], 'minimum': 0}
SUFFIX = {'type': 'string', 'pattern': '^(%s)?$'
          % allocation_candidate.SUFFIX_1_33}
TRAIT_SETS = common.array(common.array(common.TRAIT_NAME, minItems=1))
UUID_SETS = common.array(common.array(common.UUID, minItems=1))

# The rules a provider can fail for a request group, in no particular
# order (each funnel lists the ones it applies, in the engine's order).
GROUP_STEPS = ('providers', 'class', 'room', 'required', 'forbidden',
               'member_of', 'forbidden_aggregates', 'in_tree',
               'no_positive_filter', 'unexplained')
TREE_STEPS = ('trees', 'root_traits', 'every_group_placed', 'isolate',
              'summed_capacity', 'same_subtree', 'one_provider_per_tree',
              'unexplained', 'duplicates', 'max_allocation_candidates',
              'limit')
VIOLATIONS = ('capacity', 'min_unit', 'max_unit', 'step_size')


def query(version):
    """GET /allocation_candidates' query schema at this microversion, and
    ``provider`` (repeatable) and ``examples``."""
    schema = allocation_candidate.query(version)
    uuid_value = dict(common.UUID)
    schema['properties'] = dict(schema['properties'], provider={
        'type': ['string', 'array'], 'format': 'uuid',
        'items': uuid_value,
        'description': 'Say what became of this resource provider (and '
                       'its tree).'}, examples={
        'type': 'string',
        'pattern': '^([0-9]|[1-4][0-9]|%d)$' % MOST_EXAMPLES,
        'description': 'How many removed providers or trees to give the '
                       'reasons for at each step, 0 to %d (default %d).'
                       % (MOST_EXAMPLES, DEFAULT_EXAMPLES)})
    return schema


# What a reason may state besides its words: the numbers and names it
# is made of.
_FACTS = {
    'resource_class': common.RC_NAME,
    'requested': dict(common.COUNT, description=(
        'The amount asked (summed over the groups, for summed_capacity).')),
    'total': common.COUNT,
    'reserved': common.COUNT,
    'allocation_ratio': {'type': 'number'},
    'capacity': dict({'type': 'integer'}, description=(
        '(total - reserved) * allocation_ratio, rounded down.')),
    'used': common.COUNT,
    'free': dict(common.COUNT, description=(
        'capacity - used, or 0 when usage is at or over capacity.')),
    'min_unit': common.COUNT,
    'max_unit': common.COUNT,
    'step_size': common.COUNT,
    'violates': common.array({'type': 'string', 'enum': list(VIOLATIONS)},
                             minItems=1),
    'traits_missing': dict(TRAIT_SETS, description=(
        'Required traits absent: each inner list is one any-of set.')),
    'traits_forbidden': dict(common.array(common.TRAIT_NAME), description=(
        'Forbidden traits present.')),
    'aggregates_missing': dict(UUID_SETS, description=(
        'member_of sets none of whose aggregates applies.')),
    'aggregates_forbidden': dict(common.array(common.UUID), description=(
        'Forbidden aggregates that apply.')),
    'in_tree': common.UUID,
    'root_provider_uuid': common.UUID,
    'group': dict(SUFFIX, description=(
        "The request group's suffix ('' for the unsuffixed group).")),
    'groups': common.array(SUFFIX),
}

PROVIDER_EXAMPLE = common.closed(dict(
    _FACTS, name=STRING, uuid=common.UUID,
    reason=dict(STRING, description='Why, in words and numbers.')),
    required=['name', 'uuid', 'reason'])

TREE_EXAMPLE = common.closed(dict(
    _FACTS, name=dict(STRING, description="The root provider's name."),
    uuid=dict(common.UUID, description="The root provider's uuid."),
    reason=dict(STRING, description='Why, in words and numbers.'),
    providers=dict(common.array(PROVIDER_EXAMPLE), description=(
        'The providers the reason is about, each with its own.')),
    candidates=dict(common.COUNT, description=(
        'Candidates the tree had before this step.')),
    duplicate_of=dict(common.UUID, description=(
        'The root of the tree the same candidates were found from '
        'first.'))),
    required=['name', 'uuid', 'reason'])

GROUP_STEP = common.closed({
    'step': {'type': 'string', 'enum': list(GROUP_STEPS)},
    'resource_class': common.RC_NAME,
    'description': STRING,
    'providers': dict(common.COUNT, description=(
        'Providers left after this step.')),
    'removed': dict(common.COUNT, description='Providers this step removed.'),
    'examples': common.array(PROVIDER_EXAMPLE),
}, required=['step', 'description', 'providers', 'removed', 'examples'])

FUNNEL = common.closed({
    'resource_class': dict(common.RC_NAME, description=(
        'The unsuffixed group is decided class by class: each class may '
        'come from another provider of the tree, or from a sharing '
        'provider.')),
    'amount': common.COUNT,
    'judged_per_tree': dict(common.COUNT, description=(
        "Sharing providers with room: their aggregates and in_tree are "
        "judged for each tree they serve (in the steps across groups), "
        "so they stay in this funnel's counts.")),
    'steps': common.array(GROUP_STEP),
}, required=['steps'])

GROUP = common.closed({
    'group': SUFFIX,
    'resources': common.AMOUNTS,
    'funnels': dict(common.array(FUNNEL), description=(
        'One funnel for a suffixed group (one provider serves it all); '
        'one per resource class for the unsuffixed group.')),
})

TREE_STEP = common.closed({
    'step': {'type': 'string', 'enum': list(TREE_STEPS)},
    'description': STRING,
    'trees': dict(NULLABLE_COUNT, description=(
        'Trees left after this step (null: not known, the limit picking '
        'at random).')),
    'candidates': dict(NULLABLE_COUNT, description=(
        'Candidates left after this step: null before the combination '
        'rules are all applied, and where the search stopped at the limit '
        'or max_allocation_candidates (as GET /allocation_candidates '
        'does) before counting them.')),
    'removed': dict(NULLABLE_COUNT, description=(
        'Trees (for the steps up to the combination rules) or candidates '
        '(duplicates, max_allocation_candidates, limit) this step '
        'removed; null where not counted.')),
    'examples': common.array(TREE_EXAMPLE),
})

GROUP_OUTCOME = common.closed({
    'group': SUFFIX,
    'resource_class': dict(common.RC_NAME, description=(
        'For the unsuffixed group, the class.')),
    'kept': {'type': 'boolean'},
    'step': {'type': 'string', 'enum': list(GROUP_STEPS)},
    'reason': STRING,
}, required=['group', 'kept'])

PROVIDER = common.closed({
    'uuid': common.UUID,
    'name': NULLABLE_STRING,
    'root_provider_uuid': common.NULLABLE_UUID,
    'outcome': {'type': 'string',
                'enum': ['candidate', 'removed', 'unknown']},
    'candidates': dict(common.COUNT, description=(
        'The candidates it is in (allocations or mappings).')),
    'step': dict({'type': ['string', 'null'],
                  'enum': list(GROUP_STEPS + TREE_STEPS) + ['unused', None]},
                 description=(
        'The first step that removed it (unused: it could serve a group '
        'and its tree has candidates, but every combination with it '
        "broke the unsuffixed group's traits or a combination rule).")),
    'reason': NULLABLE_STRING,
    'detail': {'oneOf': [{'type': 'null'}, TREE_EXAMPLE]},
    'groups': common.array(GROUP_OUTCOME),
})

SHARING = common.closed({
    'providers': dict(common.COUNT, description=(
        'Providers with MISC_SHARES_VIA_AGGREGATE.')),
    'trees': dict(common.COUNT, description=(
        'Trees a sharing provider serves (sharing one of its aggregates).')),
    'examples': common.array(common.closed({
        'name': STRING, 'uuid': common.UUID,
        'trees': dict(common.COUNT, description='Trees it serves.')})),
})

EXPLAIN = common.closed({
    'candidates': dict(common.COUNT, description=(
        'How many candidates GET /allocation_candidates gives for the same '
        'query.')),
    'groups': dict(common.array(GROUP), description=(
        'Per request group, the providers left after each of its rules, '
        'in the order the search applies them.')),
    'sharing': SHARING,
    'steps': dict(common.array(TREE_STEP), description=(
        'Across groups, tree by tree: the trees (and candidates) left '
        'after each step, in the order the search applies them.')),
    'trees': dict(common.keyed(common.UUID_KEY, common.COUNT), description=(
        'The trees the candidates come from (root provider uuid: '
        'candidates found from it, sharing providers included).')),
    'providers': dict(common.array(PROVIDER), description=(
        'What became of each provider named by provider=.')),
})
