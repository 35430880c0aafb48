"""Base rules that every API rule refers to, with upstream's names."""
from oslo_log import versionutils
from oslo_policy import policy

ADMIN_API = 'rule:admin_api'
SERVICE = 'rule:service_api'
ADMIN_OR_SERVICE = 'rule:admin_or_service_api'
ADMIN_OR_PROJECT_READER_OR_SERVICE = 'rule:admin_or_project_reader_or_service_api'

_REASON = ('Placement now has role and scope aware defaults; the old '
           'admin-only default is deprecated.')

# Operators who set "admin_api" in their policy file keep that meaning.
DEPRECATED_ADMIN = policy.DeprecatedRule(
    name=ADMIN_API, check_str='role:admin', deprecated_reason=_REASON,
    deprecated_since=versionutils.deprecated.WALLABY)


def _base(name, check_str, description, deprecated=True):
    return policy.RuleDefault(
        name, check_str, description=description, scope_types=['project'],
        deprecated_rule=DEPRECATED_ADMIN if deprecated else None)


rules = [
    _base('admin_api', 'role:admin', 'Admin users.', deprecated=False),
    _base('service_api', 'role:service',
          'Other OpenStack services acting on behalf of users.'),
    _base('admin_or_service_api', 'role:admin or role:service',
          'Admin users or other OpenStack services.'),
    policy.RuleDefault(
        'project_reader_api', 'role:reader and project_id:%(project_id)s',
        description='Readers of the project a request is about.',
        deprecated_rule=DEPRECATED_ADMIN),
    _base('admin_or_project_reader_or_service_api',
          'role:admin or rule:project_reader_api or role:service',
          'Admin users, readers of the project concerned, or services.'),
]


def api_rule(name, check_str, description, method, path):
    """A documented rule for one API operation."""
    return policy.DocumentedRuleDefault(
        name=name, check_str=check_str, description=description,
        operations=[{'method': method, 'path': path}],
        scope_types=['project'])


def table(check_str, *entries):
    """Rules from (name, description, method, path) rows sharing a check."""
    return [api_rule(name, check_str, description, method, path)
            for name, description, method, path in entries]
