"""Judging one request as the API would, without making it.

A request is described by its method, path template and values, and the
steps its handler takes after the version gate and the policy check, in
the handler's order; each step returns the error the API would answer
(a ``PlacementError``) or None. Steps call the same domain functions the
write paths call (``providers.deletion_refusal``, ...), never copies.
"""
import copy

from placement import errors, parsing


def raised(func, *args, **kwargs):
    """A step from a function that raises its refusal."""
    def step():
        try:
            func(*args, **kwargs)
        except errors.PlacementError as exc:
            return exc
        return None
    return step


def fill(body, values):
    """``body`` with every string '{name}' replaced by values[name]."""
    if isinstance(body, dict):
        return {key: fill(value, values) for key, value in body.items()}
    if isinstance(body, list):
        return [fill(value, values) for value in body]
    if isinstance(body, str) and body[:1] == '{' and body[-1:] == '}':
        return values.get(body[1:-1], body)
    return body


class Judge:
    """Judges requests for one caller at one microversion.

    ``ops`` is {(METHOD, path template): Operation} of the route table;
    ``policy_refusal(rule)`` is the enforcer's answer for the caller with
    the default target, as ``util.authorize`` asks it.
    """

    def __init__(self, version, ops, policy_refusal):
        self.version = version
        self.ops = ops
        self.policy_refusal = policy_refusal

    def allows(self, rule):
        return self.policy_refusal(rule) is None

    def valid_body(self, method, template, body, samples=None):
        """A step: the body against the operation's request schema, as
        ``util.read_json`` validates it. ``samples`` gives a value each
        placeholder stands for while validating; the detail names the
        placeholder again."""
        samples = samples or {}

        def step():
            schema = self.ops[(method, template)].at('body', self.version)
            try:
                parsing.validate(fill(body, samples), schema)
            except errors.BadRequest as exc:
                detail = exc.detail
                for name, value in samples.items():
                    detail = detail.replace(value, '{%s}' % name)
                return errors.BadRequest(detail, code=exc.code)
            return None
        return step

    def request(self, method, template, values, success, steps=(),
                body=None, parameters=None, readable=True):
        """The entry for one request: its method, path, policy rule,
        ``available`` (the microversion has it) and ``allowed``, with the
        ``status`` it gets and, when refused, the ``code`` (from 1.23) and
        ``detail`` of the error body, as the API renders them.

        ``body`` (a write's) is shown only when the caller passes its
        policy (else it is never looked at), and only when what it holds
        is ``readable`` to the caller otherwise (by the write's answer, or
        by a read the caller may make); ``parameters`` describes the
        placeholders it holds.
        """
        op = self.ops[(method, template)]
        path = template.format(**values)
        entry = {'method': method, 'path': path, 'policy': op.policy,
                 'available': op.exists_at(self.version)}
        policy_passed = False
        if not entry['available']:
            refusal = op.gone()
        else:
            refusal = self.policy_refusal(op.policy)
            policy_passed = refusal is None
            for step in steps:
                if refusal is not None:
                    break
                refusal = step()
        if body is not None and policy_passed and readable:
            entry['body'] = copy.deepcopy(body)
            if parameters:
                entry['parameters'] = dict(parameters)
        entry['allowed'] = refusal is None
        if refusal is None:
            entry['status'] = success
            return entry
        entry['status'] = refusal.status
        if self.version >= (1, 23):
            entry['code'] = refusal.code or errors.DEFAULT
        entry['detail'] = errors.full_detail(
            refusal.status, refusal.detail, {'REQUEST_METHOD': method})
        return entry
