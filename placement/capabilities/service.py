"""GET /capabilities: the service, and each resource type's operations
for one caller at one microversion.

Operations come from the route table (``placement.operations``), so a
route added there is described here with no further edit.
"""
from oslo_config import cfg

from placement import microversion, operations
from placement.capabilities import features

# Settings that change what the API answers (never secrets or hosts).
SETTINGS = {
    'placement': ('max_allocation_candidates',
                  'randomize_allocation_candidates',
                  'allocation_candidates_generation_strategy'),
    'oslo_policy': ('enforce_new_defaults', 'enforce_scope'),
}

# Sub-resources of a provider named apart from the top-level ones.
_PROVIDER_PARTS = {'traits': 'resource_provider_traits'}


def resource_type(path):
    """The resource type a path template belongs to (None for '/')."""
    literals = [part for part in path.strip('/').split('/')
                if part and not part.startswith('{')]
    if not literals:
        return None
    if literals[0] == 'resource_providers' and len(literals) > 1:
        return _PROVIDER_PARTS.get(literals[1], literals[1])
    return literals[0]


def policy_target(method, path, caller):
    """The policy target the real request is checked against: the caller's
    own project and user, except GET /usages, which checks the project it
    asks about (here: the caller's own)."""
    if (method, path) == ('GET', '/usages'):
        return {'project_id': caller.project_id, 'user_id': None}
    return None


def describe(method, path, op, version, caller, enforcer, conf=None):
    """One operation: where it is, its rule, and whether this caller at
    this microversion has it (``available``) and may call it
    (``allowed``, judged by the same enforcer and target as the real
    request)."""
    target = policy_target(method, path, caller)
    entry = {'method': method, 'path': path, 'policy': op.policy,
             'since': str(microversion.Version(*op.since))}
    if op.until is not None:
        entry['until'] = str(microversion.Version(*op.until))
    entry['available'] = op.exists_at(version) and (
        conf is None or op.enabled(conf))
    entry['allowed'] = (op.policy is None
                        or enforcer.allows(caller, op.policy, target))
    if target is not None:
        entry['target'] = {'project_id': target['project_id']}
    return entry


# Options a newer oslo.policy no longer has, and the value it behaves as
# (without enforce_scope, it always checks token scope).
_ALWAYS = {('oslo_policy', 'enforce_scope'): True}


def _setting(conf, group, name):
    try:
        return getattr(conf[group], name)
    except cfg.NoSuchOptError:
        return _ALWAYS[(group, name)]


def settings(conf):
    return {group: {name: _setting(conf, group, name) for name in names}
            for group, names in SETTINGS.items()}


def document(routes, version, caller, enforcer, conf):
    """The whole GET /capabilities body."""
    resources = {}
    extensions = []
    for path, method, op in operations.table(routes):
        entry = describe(method, path, op, version, caller, enforcer, conf)
        if op.extension:
            extensions.append(dict(name=op.name, **entry))
            continue
        kind = resource_type(path)
        if kind is not None:
            resources.setdefault(kind, {})[op.name] = entry
    return {
        'min_version': str(microversion.MIN),
        'max_version': str(microversion.MAX),
        'version': str(version),
        'features': features.render(version),
        'extensions': sorted(extensions,
                             key=lambda e: (e['path'], e['method'])),
        'settings': settings(conf),
        'resources': resources,
    }
