"""GET /capabilities, /capabilities/resource_providers/{uuid} and
/capabilities/consumers/{consumer_uuid} (our extension; upstream answers
404 on these paths): authorize, read, render. Reading writes nothing."""
from placement import operations
from placement.capabilities import consumer, judge, provider, schema, service
from placement.handlers import util
from placement.operations import operation
from placement.policies import capabilities as policies


def _routes():
    from placement import app  # the route table; app imports this module
    return app.ROUTES


def _judge(req):
    caller, enforcer = req.context.caller, req.context.policy
    ops = {(method, path): op
           for path, method, op in operations.table(_routes())}
    return judge.Judge(req.context.version, ops,
                       lambda rule: enforcer.refusal(caller, rule))


class Service:
    @operation(
        'What the service offers this caller at this microversion: '
        'versions, features, settings, and each operation with whether '
        'the caller may perform it.', policy=policies.SHOW,
        responses={200: schema.service}, extension=True, name='show')
    def on_get(self, req, resp):
        util.authorize(req, policies.SHOW)
        ctx = req.context
        util.send_json(req, resp, service.document(
            _routes(), ctx.version, ctx.caller, ctx.policy, ctx.conf))


class Provider:
    @operation(
        'What this caller may do to one resource provider now, and the '
        'answer each request would get.', policy=policies.PROVIDER,
        responses={200: schema.provider}, errors={404: []}, extension=True,
        name='show')
    def on_get(self, req, resp, uuid):
        util.authorize(req, policies.PROVIDER)
        with req.context.db.reader() as conn:
            body = provider.document(conn, uuid, _judge(req))
        util.send_json(req, resp, body)


class Consumer:
    @operation(
        "What this caller may do to one consumer's allocations now, and "
        'the answer each request would get.', policy=policies.CONSUMER,
        responses={200: schema.consumer}, errors={404: []}, extension=True,
        name='show')
    def on_get(self, req, resp, consumer_uuid):
        util.authorize(req, policies.CONSUMER)
        with req.context.db.reader() as conn:
            body = consumer.document(conn, consumer_uuid, _judge(req))
        util.send_json(req, resp, body)
