"""Rule for the OpenAPI description (our extension)."""
from oslo_policy import policy

from placement.policies import base

SHOW = 'placement:openapi:show'

rules = [
    # Any authenticated caller: the description holds no data.
    policy.DocumentedRuleDefault(
        name=SHOW, check_str='@',
        description='Read the OpenAPI description of the API (an '
                    'extension of this service).',
        operations=[{'method': 'GET', 'path': '/openapi.json'}],
        scope_types=list(base.SCOPE)),
]


def list_rules():
    return rules
