"""Policy enforcement with oslo.policy and upstream's rule names."""
from oslo_policy import policy

from placement import errors
from placement import policies


class Enforcer:
    """Checks a context against a named rule; denial raises ``Forbidden``."""

    def __init__(self, conf):
        self._enforcer = policy.Enforcer(conf)
        self._enforcer.register_defaults(policies.list_rules())
        self._enforcer.load_rules()

    def authorize(self, ctx, action, target=None):
        if target is None:
            target = {'project_id': ctx.project_id, 'user_id': ctx.user_id}
        try:
            self._enforcer.authorize(action, target, ctx, do_raise=True)
        except (policy.PolicyNotAuthorized, policy.InvalidScope):
            raise errors.Forbidden(
                'Policy does not allow %s to be performed.' % action)


def get_enforcer():
    """Entry point for oslopolicy-policy-generator and friends."""
    from oslo_config import cfg

    from placement import conf as conf_mod
    config = cfg.ConfigOpts()
    conf_mod.register_opts(config)
    config([], project='placement')
    return Enforcer(config)._enforcer
