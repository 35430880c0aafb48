"""Parse GET /allocation_candidates into request groups and request-wide
parameters, with upstream's validation messages."""
import dataclasses
import re

from placement import errors, parsing, query
from placement.schemas import allocation_candidate as schema

GROUP_KEYS = ('resources', 'required', 'member_of', 'in_tree')
_GROUP_KEY = re.compile(r'^(%s)(.*)$' % '|'.join(GROUP_KEYS))


@dataclasses.dataclass
class Group:
    """One request group: '' is the unsuffixed group, whose resources may be
    spread over a tree and its sharing providers; any other suffix must be
    satisfied by a single provider."""
    suffix: str
    resources: dict = dataclasses.field(default_factory=dict)
    required: list = dataclasses.field(default_factory=list)   # any-of sets
    forbidden: set = dataclasses.field(default_factory=set)
    member_of: list = dataclasses.field(default_factory=list)  # any-of sets
    forbidden_aggs: set = dataclasses.field(default_factory=set)
    in_tree: str = None

    @property
    def same_provider(self):
        return self.suffix != ''


@dataclasses.dataclass
class CandidateRequest:
    groups: list
    group_policy: str = None
    limit: int = None
    root_required: list = dataclasses.field(default_factory=list)
    root_forbidden: set = dataclasses.field(default_factory=set)
    same_subtree: list = dataclasses.field(default_factory=list)

    def trait_names(self):
        names = set(self.root_forbidden).union(*self.root_required)
        for group in self.groups:
            names |= group.forbidden
            names = names.union(*group.required)
        return names

    def class_names(self):
        return set().union(*[g.resources for g in self.groups])


def _root_required(raw):
    """Upstream parses root_required with its plain 'required' parser (so
    the messages name 'required'), but never accepts the in: form."""
    if raw.startswith('in:'):
        raise errors.BadRequest(
            "Invalid query string parameters: The format 'in:HW_CPU_X86_VMX,"
            "CUSTOM_MAGIC' only supported since microversion 1.39. Got: %s"
            % raw)
    names = [name.strip() for name in raw.split(',')]
    # Any run of '!' forbids, as upstream's lstrip does.
    forbidden = {n.lstrip('!') for n in names if n.startswith('!')}
    if not all(names) or not all(forbidden):
        raise errors.BadRequest(
            "Invalid query string parameters: Expected 'required' parameter "
            'value of the form: HW_CPU_X86_VMX,!CUSTOM_MAGIC. Got an empty '
            'trait in: %s' % raw)
    required = {n for n in names if not n.startswith('!')}
    conflict = required & forbidden
    if conflict:
        raise errors.BadRequest(
            'Conflicting required and forbidden traits found in '
            'root_required: %s' % ', '.join(sorted(conflict)),
            code=errors.QUERYPARAM_BAD_VALUE)
    return [frozenset([n]) for n in sorted(required)], forbidden


def _same_subtree(values):
    """Each value is a comma-separated list of suffixes, spaces ignored."""
    result = []
    for value in query.as_list(values):
        suffixes = [s.strip() for s in value.split(',')]
        if '' in suffixes:
            raise errors.BadRequest(
                'Empty string (unsuffixed group) can not be specified in '
                '`same_subtree` ', code=errors.QUERYPARAM_BAD_VALUE)
        result.append(list(dict.fromkeys(suffixes)))
    return result


def _first(params, key):
    """Repeated limit/group_policy: validated on the last, the first wins."""
    value = params.get(key)
    return value[0] if isinstance(value, list) else value


def _check_groups(groups, same_subtree, version):
    """Upstream's rules for groups that ask for no resources, and (from
    1.36) for the suffixes same_subtree names, in upstream's order."""
    if version >= (1, 36):
        if not any(g.resources for g in groups.values()):
            raise errors.BadRequest(
                'There must be at least one resources or resources[$S] '
                'parameter.', code=errors.QUERYPARAM_MISSING_VALUE)
        in_subtree = list(dict.fromkeys(
            s for suffixes in same_subtree for s in suffixes))
        bad = [s for s, g in groups.items()
               if not g.resources and s not in in_subtree]
        if bad:
            raise errors.BadRequest(
                'Resourceless suffixed group request should be specified in '
                '`same_subtree` query param: bad group(s) - %s.' % bad,
                code=errors.QUERYPARAM_BAD_VALUE)
        unknown = [s for s in in_subtree if s not in groups]
        if unknown:
            raise errors.BadRequest(
                'Real suffixes should be specified in `same_subtree`: %s not '
                'found in %s.' % (unknown, list(groups)),
                code=errors.QUERYPARAM_BAD_VALUE)
        return
    orphans = [g for g in groups.values() if not g.resources]
    # Only required traits make an orphaned key: a group that only forbids
    # traits falls through to the plain message, as upstream.
    traits_keys = ['required' + g.suffix for g in orphans if g.required]
    if traits_keys:
        raise errors.BadRequest(
            'All traits parameters must be associated with resources.  '
            'Found the following orphaned traits keys: %s'
            % ', '.join(traits_keys))
    member_of_keys = ['member_of' + g.suffix for g in orphans
                      if g.member_of or g.forbidden_aggs]
    if member_of_keys:
        raise errors.BadRequest(
            'All member_of parameters must be associated with resources. '
            'Found the following orphaned member_of keys: %s'
            % ', '.join(member_of_keys))
    if orphans:
        raise errors.BadRequest('All request groups must specify resources.')
    if not groups:
        raise errors.BadRequest(
            'At least one request group (`resources` or `resources{$S}`) is '
            'required.')


def _check_conflicts(groups):
    """An any-of set whose every trait is also forbidden can never match;
    upstream names every such set, after the group checks."""
    conflicts = sorted(
        'required%s: (%s)' % (g.suffix, ', '.join(sorted(any_of)))
        for g in groups.values() for any_of in g.required
        if any_of <= g.forbidden)
    if conflicts:
        raise errors.BadRequest(
            'Conflicting required and forbidden traits found in the '
            'following traits keys: %s' % ', '.join(conflicts))


def parse(req, query_schema=None):
    """``query_schema``: the query string's schema at this microversion
    when it is not GET /allocation_candidates' own (explain adds its
    parameters, which are not group keys)."""
    version = req.context.version
    if isinstance(req.params.get('root_required'), list):
        raise errors.BadRequest(
            "Query parameter 'root_required' may be specified only once.",
            code=errors.ILLEGAL_DUPLICATE_QUERYPARAM)
    # Upstream tolerates whitespace around the values it parses itself
    # (folded YAML in clients), but matches limit and group_policy to its
    # schema as given: ' 5' is not a limit.
    stripped = {key: [v.strip() for v in value] if isinstance(value, list)
                else value.strip() for key, value in req.params.items()}
    # Given more than once, resources and in_tree count by their last
    # value, as upstream's parser reads them (required and member_of take
    # every value; limit and group_policy their first, below).
    for key, value in list(stripped.items()):
        match = _GROUP_KEY.match(key)
        if match and match.group(1) in ('resources', 'in_tree') and \
                isinstance(value, list):
            stripped[key] = value[-1]
    params = dict(stripped)
    for key in ('limit', 'group_policy'):
        if key in params:
            raw = req.params[key]
            params[key] = raw[-1] if isinstance(raw, list) else raw
    parsing.validate_query(params, query_schema or schema.query(version))

    # Request-wide parameters are parsed before the groups, as upstream.
    request = CandidateRequest(groups=[])
    if 'root_required' in params:
        # Upstream reports the value as given, spaces included.
        request.root_required, request.root_forbidden = _root_required(
            req.params['root_required'])
    request.same_subtree = _same_subtree(params.get('same_subtree'))

    groups = {}
    for key, value in stripped.items():
        match = _GROUP_KEY.match(key)
        if not match:
            continue
        kind, suffix = match.groups()
        group = groups.setdefault(suffix, Group(suffix))
        if kind == 'resources':
            group.resources = query.resources(value)
        elif kind == 'required':
            traits = query.required_traits(value, version, param=key)
            group.required, group.forbidden = traits.any_of, traits.forbidden
        elif kind == 'member_of':
            member_of = query.member_of(value, version, suffix=suffix)
            group.member_of = member_of.any_of
            group.forbidden_aggs = member_of.forbidden
        elif kind == 'in_tree':
            if not parsing.is_uuid(value):
                raise errors.BadRequest(
                    "Invalid query string parameters: Expected 'in_tree' "
                    'parameter to be a format of uuid. Got: %s' % value)
            group.in_tree = value
    _check_groups(groups, request.same_subtree, version)
    _check_conflicts(groups)
    request.groups = [groups[s] for s in sorted(groups)]

    request.group_policy = _first(stripped, 'group_policy')
    suffixed = [g for g in request.groups if g.suffix]
    if len(suffixed) > 1 and request.group_policy is None:
        raise errors.BadRequest(
            'The "group_policy" parameter is required when specifying more '
            'than one "resources{N}" parameter.')
    if 'limit' in params:
        request.limit = int(_first(stripped, 'limit'))
    return request
