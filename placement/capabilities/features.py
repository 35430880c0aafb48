"""The API's features, each with the microversion that brings it: the
Placement REST API version history, as data."""
import collections

from placement import microversion

Feature = collections.namedtuple('Feature', 'name version description')

FEATURES = (
    Feature('provider_aggregates', (1, 1),
            'GET and PUT /resource_providers/{uuid}/aggregates.'),
    Feature('resource_classes', (1, 2),
            '/resource_classes: list, show, create, rename and delete '
            'custom resource classes.'),
    Feature('providers_member_of', (1, 3),
            'GET /resource_providers?member_of=in:{aggregates}.'),
    Feature('providers_resources', (1, 4),
            'GET /resource_providers?resources=CLASS:AMOUNT,... (providers '
            'with room for them).'),
    Feature('delete_all_inventories', (1, 5),
            'DELETE /resource_providers/{uuid}/inventories.'),
    Feature('traits', (1, 6),
            '/traits and /resource_providers/{uuid}/traits.'),
    Feature('resource_class_put_creates', (1, 7),
            'PUT /resource_classes/{name} creates or confirms a custom class '
            '(201 or 204) instead of renaming one.'),
    Feature('allocation_project_user', (1, 8),
            'PUT /allocations/{consumer_uuid} requires project_id and '
            'user_id.'),
    Feature('usages', (1, 9),
            'GET /usages?project_id=...[&user_id=...].'),
    Feature('allocation_candidates', (1, 10),
            'GET /allocation_candidates.'),
    Feature('allocations_link', (1, 11),
            "Providers show an 'allocations' link (the route exists since "
            '1.0).'),
    Feature('dict_allocations', (1, 12),
            'PUT /allocations/{consumer_uuid} takes allocations keyed by '
            'provider; GET shows project_id and user_id.'),
    Feature('post_allocations', (1, 13),
            'POST /allocations writes several consumers at once.'),
    Feature('nested_providers', (1, 14),
            'parent_provider_uuid and root_provider_uuid; '
            'GET /resource_providers?in_tree=.'),
    Feature('cache_headers', (1, 15),
            'Last-Modified and Cache-Control: no-cache on responses with '
            'bodies.'),
    Feature('candidates_limit', (1, 16),
            'GET /allocation_candidates?limit=N.'),
    Feature('candidates_required_traits', (1, 17),
            'GET /allocation_candidates?required=TRAITS.'),
    Feature('providers_required_traits', (1, 18),
            'GET /resource_providers?required=TRAITS.'),
    Feature('aggregate_generations', (1, 19),
            'Provider aggregates are read and written with the provider '
            'generation (409 when stale).'),
    Feature('provider_create_body', (1, 20),
            'POST /resource_providers answers 200 with the provider.'),
    Feature('candidates_member_of', (1, 21),
            'GET /allocation_candidates?member_of=.'),
    Feature('forbidden_traits', (1, 22),
            'required=!TRAIT on providers and candidates.'),
    Feature('error_codes', (1, 23),
            'Error responses carry a code (placement.undefined_code when '
            'no other applies).'),
    Feature('multiple_member_of', (1, 24),
            'member_of may be repeated on GET /resource_providers (AND).'),
    Feature('granular_request_groups', (1, 25),
            'Numbered request groups (resourcesN, requiredN, member_ofN) '
            'and group_policy on candidates.'),
    Feature('reserved_equal_total', (1, 26),
            'Inventory reserved may equal total.'),
    Feature('all_resources_in_summaries', (1, 27),
            'Candidate provider summaries list every class of inventory.'),
    Feature('consumer_generations', (1, 28),
            'Consumers have generations; allocation writes must name the '
            'current one (null for a new consumer).'),
    Feature('nested_candidates', (1, 29),
            'Candidates may combine providers of one tree; summaries show '
            'parent and root.'),
    Feature('reshaper', (1, 30),
            'POST /reshaper moves inventories and allocations atomically.'),
    Feature('candidates_in_tree', (1, 31),
            'GET /allocation_candidates?in_tree[N]=.'),
    Feature('forbidden_aggregates', (1, 32),
            'member_of=!AGG and !in: on providers and candidates.'),
    Feature('string_group_suffixes', (1, 33),
            'Request group suffixes may be strings of 1 to 64 characters.'),
    Feature('request_group_mappings', (1, 34),
            'Candidates carry mappings of request groups to providers; '
            'allocation writes accept and ignore them.'),
    Feature('root_required', (1, 35),
            'GET /allocation_candidates?root_required=TRAITS.'),
    Feature('same_subtree', (1, 36),
            'GET /allocation_candidates?same_subtree=SUFFIXES.'),
    Feature('reparenting', (1, 37),
            'PUT /resource_providers/{uuid} may move a provider to another '
            'parent or make it a root.'),
    Feature('consumer_types', (1, 38),
            'Allocation writes name a consumer_type; GET /usages groups and '
            'filters by it.'),
    Feature('any_traits', (1, 39),
            'required=in:T1,T2 (any of) and repeated required on providers '
            'and candidates.'),
)

BY_NAME = {feature.name: feature for feature in FEATURES}


def version_of(name):
    """The microversion that brings the named feature."""
    return BY_NAME[name].version


def available(name, version):
    """Whether the named feature is there at ``version``."""
    return version >= BY_NAME[name].version


def render(version):
    """{name: {microversion, description, available}} in version order."""
    return {feature.name: {
        'microversion': str(microversion.Version(*feature.version)),
        'description': feature.description,
        'available': version >= feature.version,
    } for feature in FEATURES}
