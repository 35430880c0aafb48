"""Generic rules that the per-API rules point at, plus a rule builder.

Rule names, check strings, scope types and the deprecation of the old
admin-only default match upstream placement exactly, so operator policy
files written for upstream keep their meaning here.
"""
from oslo_log import versionutils
from oslo_policy import policy

# Generic rule names, as referenced from check strings.
RULE_ADMIN_API = 'rule:admin_api'
SERVICE = 'rule:service_api'
ADMIN_OR_SERVICE = 'rule:admin_or_service_api'
PROJECT_READER = 'rule:project_reader_api'
ADMIN_OR_PROJECT_READER_OR_SERVICE = (
    'rule:admin_or_project_reader_or_service_api')

SCOPE = ['project']

_DEPRECATION_NOTE = (
    'The single admin-only default has been replaced by defaults that know '
    'about the admin, service and reader roles and about token scope. The '
    'old default is still honoured while [oslo_policy] '
    'enforce_new_defaults is off, but that compatibility is going away')

# Until enforce_new_defaults is switched on, each generic rule also accepts
# whatever the operator's (or the historical) "admin_api" rule allowed.
DEPRECATED_ADMIN_POLICY = policy.DeprecatedRule(
    name=RULE_ADMIN_API,
    check_str='role:admin',
    deprecated_reason=_DEPRECATION_NOTE,
    deprecated_since=versionutils.deprecated.WALLABY,
)

rules = [
    policy.RuleDefault(
        'admin_api', 'role:admin',
        description='Cloud administrators.',
        scope_types=SCOPE),
    policy.RuleDefault(
        'service_api', 'role:service',
        description='Other OpenStack services talking to placement.',
        scope_types=SCOPE,
        deprecated_rule=DEPRECATED_ADMIN_POLICY),
    policy.RuleDefault(
        'admin_or_service_api', 'role:admin or role:service',
        description='Cloud administrators or other OpenStack services; '
                    'the default for most of the API.',
        scope_types=SCOPE,
        deprecated_rule=DEPRECATED_ADMIN_POLICY),
    # Upstream gives this one no scope_types; keep it that way.
    policy.RuleDefault(
        'project_reader_api', 'role:reader and project_id:%(project_id)s',
        description='Holders of the reader role in the project that the '
                    'request targets.',
        deprecated_rule=DEPRECATED_ADMIN_POLICY),
    policy.RuleDefault(
        'admin_or_project_reader_or_service_api',
        'role:admin or rule:project_reader_api or role:service',
        description='Cloud administrators, readers of the targeted project, '
                    'or other OpenStack services.',
        scope_types=SCOPE,
        deprecated_rule=DEPRECATED_ADMIN_POLICY),
]


def api_rule(name, check_str, description, method, path, *more):
    """Build a documented rule for one or more API operations.

    ``more`` holds extra ``(method, path)`` pairs guarded by the same rule.
    """
    operations = [{'method': m, 'path': p} for m, p in ((method, path),) + more]
    return policy.DocumentedRuleDefault(
        name=name, check_str=check_str, description=description,
        operations=operations, scope_types=list(SCOPE))


def list_rules():
    return rules
