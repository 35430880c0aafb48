"""placement.policy.Enforcer keeps decisions for a second: the same answers
as oslo.policy, each (rule, credentials, target) apart, and an edited
policy file followed once the second is over."""
import os

import pytest
from oslo_config import cfg
from oslo_context import context
from oslo_policy import opts as policy_opts

from placement import policy

USAGES = 'placement:usages'
DELETE = 'placement:resource_providers:delete'


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def _enforcer(tmp_path, rules, clock):
    policy_file = tmp_path / 'policy.yaml'
    policy_file.write_text(rules)
    conf = cfg.ConfigOpts()
    policy_opts.set_defaults(conf)
    conf([], project='placement-decisions-test', default_config_files=[])
    conf.set_override('policy_file', str(policy_file), group='oslo_policy')
    conf.set_override('enforce_new_defaults', True, group='oslo_policy')
    return policy.Enforcer(conf, clock=clock), policy_file


def _caller(roles, project='p1'):
    return context.RequestContext(user_id='u1', project_id=project,
                                  roles=roles)


def _rewrite(policy_file, rules):
    before = os.stat(policy_file).st_mtime
    policy_file.write_text(rules)
    # A modification time oslo.policy cannot take for the old one.
    os.utime(policy_file, (before + 10, before + 10))


def test_an_edited_policy_file_applies_after_the_second(tmp_path):
    clock = Clock()
    enforcer, policy_file = _enforcer(tmp_path, '"%s": "@"\n' % DELETE,
                                      clock)
    caller = _caller(['reader'])
    assert enforcer.allows(caller, DELETE)
    _rewrite(policy_file, '"%s": "!"\n' % DELETE)
    clock.now += policy.DECISIONS_KEPT / 2
    assert enforcer.allows(caller, DELETE)  # kept for the second
    clock.now += policy.DECISIONS_KEPT
    assert not enforcer.allows(caller, DELETE)
    _rewrite(policy_file, '"%s": "@"\n' % DELETE)
    clock.now += policy.DECISIONS_KEPT
    assert enforcer.allows(caller, DELETE)


@pytest.mark.parametrize('first', ['admin', 'reader'])
def test_each_caller_gets_its_own_decision(tmp_path, first):
    """Whichever caller asks first, the other's answer is its own."""
    enforcer, _ = _enforcer(tmp_path, '{}\n', Clock())
    admin, reader = _caller(['admin']), _caller(['reader'])
    order = [admin, reader] if first == 'admin' else [reader, admin]
    for _ in range(2):
        for caller in order:
            assert enforcer.allows(caller, DELETE) is (caller is admin)


def test_each_target_gets_its_own_decision(tmp_path):
    """A project reader may read its own project's usages, not another's
    (secure defaults), whichever is asked first and however often."""
    enforcer, _ = _enforcer(tmp_path, '{}\n', Clock())
    reader = _caller(['reader'], project='p1')
    own = {'project_id': 'p1', 'user_id': 'u1'}
    other = {'project_id': 'p2', 'user_id': 'u1'}
    for _ in range(2):
        assert not enforcer.allows(reader, USAGES, other)
        assert enforcer.allows(reader, USAGES, own)
        assert enforcer.allows(reader, USAGES)  # its own by default


def test_a_target_that_cannot_be_a_key_is_decided_afresh(tmp_path):
    enforcer, _ = _enforcer(tmp_path, '{}\n', Clock())
    target = {'project_id': 'p1', 'user_id': 'u1', 'extra': {'a': 1}}
    assert enforcer.allows(_caller(['reader']), USAGES, target)
    assert not enforcer.allows(_caller(['reader'], 'p2'), USAGES, target)
