"""Parse GET /allocation_candidates into request groups and request-wide
parameters, with upstream's validation messages."""
import dataclasses
import re

from placement import errors, query
from placement.handlers import util
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
    names = raw.split(',')
    if not all(names):
        raise errors.BadRequest(
            "Invalid query string parameters: Expected 'root_required' "
            'parameter value of the form: HW_CPU_X86_VMX,!CUSTOM_MAGIC. '
            'Got: %s' % raw)
    required = {n for n in names if not n.startswith('!')}
    forbidden = {n[1:] for n in names if n.startswith('!')}
    conflict = required & forbidden
    if conflict:
        raise errors.BadRequest(
            'Conflicting required and forbidden traits found in '
            'root_required: %s' % ', '.join(sorted(conflict)))
    return [frozenset([n]) for n in sorted(required)], forbidden


def parse(req):
    version = req.context.version
    params = util.query(req, schema.query(version))
    groups = {}
    for key, value in params.items():
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
            conflict = set().union(*[g for g in traits.any_of if len(g) == 1]) \
                & traits.forbidden
            if conflict:
                raise errors.BadRequest(
                    'Conflicting required and forbidden traits found in the '
                    "following traits keys: %s: (%s)"
                    % (key, ', '.join(sorted(conflict))))
        elif kind == 'member_of':
            member_of = query.member_of(value, version)
            group.member_of = member_of.any_of
            group.forbidden_aggs = member_of.forbidden
        elif kind == 'in_tree':
            if not util.is_uuid(value):
                raise errors.BadRequest(
                    "Invalid query string parameters: Expected 'in_tree' "
                    'parameter to be a format of uuid. Got: %s' % value)
            group.in_tree = value

    for group in groups.values():
        if not group.resources:
            if group.suffix == '' and not (group.required or group.forbidden
                                           or group.member_of
                                           or group.forbidden_aggs
                                           or group.in_tree):
                continue
            if group.suffix == '' and (group.member_of or group.forbidden_aggs):
                raise errors.BadRequest(
                    'All member_of parameters must be associated with '
                    'resources.')
            if version < (1, 36) or group.suffix == '':
                if group.suffix != '' and (group.member_of
                                           or group.forbidden_aggs):
                    raise errors.BadRequest(
                        'All member_of parameters must be associated with '
                        'resources.')
                if group.suffix != '' or len(groups) == 1:
                    raise errors.BadRequest(
                        'All request groups must specify resources.')
    if not any(g.resources for g in groups.values()):
        raise errors.BadRequest('All request groups must specify resources.')

    request = CandidateRequest(groups=[groups[s] for s in sorted(groups)])
    suffixed = [g for g in request.groups if g.suffix]
    request.group_policy = params.get('group_policy')
    if len(suffixed) > 1 and request.group_policy is None:
        raise errors.BadRequest(
            'The "group_policy" parameter is required when specifying more '
            'than one "resources{N}" parameter.')
    if 'limit' in params:
        request.limit = int(params['limit'])
    if 'root_required' in params:
        request.root_required, request.root_forbidden = _root_required(
            params['root_required'])
    for raw in query.as_list(params.get('same_subtree')):
        suffixes = raw.split(',')
        for suffix in suffixes:
            if suffix not in groups or suffix == '':
                raise errors.BadRequest(
                    'Real suffixes should be specified in same_subtree: %s '
                    'is not a valid request group suffix.' % suffix
                    if suffix else
                    'Empty string (unsuffixed group) can not be specified '
                    'in `same_subtree`.')
        request.same_subtree.append(suffixes)
    return request
