"""GET /usages (1.9; per consumer type 1.38) and
GET /resource_providers/{uuid}/usages."""
from placement import providers, usages
from placement.handlers import util
from placement.operations import operation
from placement.policies import usage as policies
from placement.schemas import usage as schema


class ProviderUsages:
    @operation(
        'Show how much of a provider is allocated.',
        policy=policies.PROVIDER_USAGES,
        responses={200: schema.PROVIDER_USAGES}, errors={404: []}, name='show')
    def on_get(self, req, resp, uuid):
        util.authorize(req, policies.PROVIDER_USAGES)
        with req.context.db.reader() as conn:
            provider = providers.get_or_404(conn, uuid)
            used = usages.of_provider(conn, provider.id)
        util.send_json(req, resp, {
            'resource_provider_generation': provider.generation,
            'usages': used})


class Usages:
    @operation(
        'Show the resources a project (or user) uses.',
        policy=policies.TOTAL_USAGES, since=(1, 9), query=schema.query,
        responses={200: schema.usages}, name='list')
    def on_get(self, req, resp):
        version = req.context.version
        # Given more than once, a parameter counts by its last value, as
        # upstream reads it.
        params = util.last_values(req.params)
        util.validate_query(params, schema.query(version))
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
