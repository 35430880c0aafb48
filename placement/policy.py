"""Policy enforcement with oslo.policy and upstream's rule names."""
import time

from oslo_policy import policy

from placement import errors
from placement import policies


# How long a decision is reused: the policy file (and policy.d) are read
# again, and any change followed, at most this long after the last read.
DECISIONS_KEPT = 1.0


def _frozen(values):
    """A hashable form of a credentials or target dict (lists as tuples)."""
    return tuple(sorted(
        (key, tuple(value) if isinstance(value, list) else value)
        for key, value in values.items()))


class Enforcer:
    """Checks a context against a named rule: ``authorize`` raises
    ``Forbidden`` on denial, ``allows`` answers True or False, both by
    ``refusal``.

    oslo.policy re-reads the policy file's state and inspects every check's
    signature on each call (about 150 microseconds, a tenth of a write
    request's CPU, dozens of times over for GET /capabilities). Decisions
    are kept per (rule, credentials, target) for ``DECISIONS_KEPT``
    seconds, then all forgotten: an edited policy file applies within
    that time."""

    def __init__(self, conf, clock=time.monotonic):
        self._enforcer = policy.Enforcer(conf)
        self._enforcer.register_defaults(policies.list_rules())
        self._enforcer.load_rules()
        self._clock = clock
        self._decisions = {}
        self._forget_at = clock() + DECISIONS_KEPT

    def refusal(self, ctx, action, target=None):
        """The ``Forbidden`` a request checked against ``action`` gets, or
        None when the rule allows it. ``target`` defaults to the caller's
        own project and user."""
        if target is None:
            target = {'project_id': ctx.project_id, 'user_id': ctx.user_id}
        now = self._clock()
        if now >= self._forget_at:
            self._decisions = {}
            self._forget_at = now + DECISIONS_KEPT
        key = (action, _frozen(ctx.to_policy_values()), _frozen(target))
        try:
            allowed = self._decisions.get(key)
        except TypeError:  # a value that cannot be a key: decide afresh
            key = allowed = None
        if allowed is None:
            allowed = self._decide(ctx, action, target)
            if key is not None:
                self._decisions[key] = allowed
        if allowed:
            return None
        return errors.Forbidden(
            'Policy does not allow %s to be performed.' % action)

    def _decide(self, ctx, action, target):
        try:
            self._enforcer.authorize(action, target, ctx, do_raise=True)
        except (policy.PolicyNotAuthorized, policy.InvalidScope):
            return False
        return True

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
