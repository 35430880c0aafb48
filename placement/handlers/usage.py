"""GET /usages (1.9; per consumer type 1.38) and
GET /resource_providers/{uuid}/usages."""
from placement import errors, providers, usages
from placement.handlers import util
from placement.policies import usage as policies
from placement.schemas import usage as schema


class ProviderUsages:
    def on_get(self, req, resp, uuid):
        util.authorize(req, policies.PROVIDER_USAGES)
        with req.context.db.reader() as conn:
            provider = providers.get_or_404(conn, uuid)
            used = usages.of_provider(conn, provider.id)
        util.send_json(req, resp, {
            'resource_provider_generation': provider.generation,
            'usages': used})


class Usages:
    def on_get(self, req, resp):
        version = req.context.version
        if version < (1, 9):
            raise errors.NotFound()  # as upstream's version gate: no detail
        params = util.query(req, schema.query(version))
        util.authorize(req, policies.TOTAL_USAGES,
                       {'project_id': params['project_id'],
                        'user_id': params.get('user_id')})
        with req.context.db.reader() as conn:
            if version >= (1, 38):
                used = usages.of_project_by_type(
                    conn, params['project_id'], params.get('user_id'),
                    params.get('consumer_type'))
            else:
                used = usages.of_project(conn, params['project_id'],
                                         params.get('user_id'))
        util.send_json(req, resp, {'usages': used})
