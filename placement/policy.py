"""Policy enforcement with oslo.policy and upstream's rule names."""
from oslo_policy import policy

from placement import errors
from placement import policies


class Enforcer:
    """Checks a context against a named rule: ``authorize`` raises
    ``Forbidden`` on denial, ``allows`` answers True or False, both by
    ``refusal``."""

    def __init__(self, conf):
        self._enforcer = policy.Enforcer(conf)
        self._enforcer.register_defaults(policies.list_rules())
        self._enforcer.load_rules()

    def refusal(self, ctx, action, target=None):
        """The ``Forbidden`` a request checked against ``action`` gets, or
        None when the rule allows it. ``target`` defaults to the caller's
        own project and user."""
        if target is None:
            target = {'project_id': ctx.project_id, 'user_id': ctx.user_id}
        try:
            self._enforcer.authorize(action, target, ctx, do_raise=True)
        except (policy.PolicyNotAuthorized, policy.InvalidScope):
            return errors.Forbidden(
                'Policy does not allow %s to be performed.' % action)
        return None

    def authorize(self, ctx, action, target=None):
        denied = self.refusal(ctx, action, target)
        if denied is not None:
            raise denied

    def allows(self, ctx, action, target=None):
        """Whether ``authorize`` would let the caller through (no raise)."""
        return self.refusal(ctx, action, target) is None


def get_enforcer():
    """Entry point for oslopolicy-policy-generator and friends."""
    from oslo_config import cfg

    from placement import conf as conf_mod
    config = cfg.ConfigOpts()
    conf_mod.register_opts(config)
    config([], project='placement')
    return Enforcer(config)._enforcer
