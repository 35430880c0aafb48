"""/resource_providers/{uuid}/aggregates (1.1; generations from 1.19)."""
from placement import aggregates, errors, providers
from placement.handlers import util
from placement.operations import operation
from placement.policies import aggregate as policies
from placement.schemas import aggregate as schema


def _send(req, resp, uuids, generation):
    body = {'aggregates': uuids}
    if req.context.version >= (1, 19):
        body['resource_provider_generation'] = generation
    util.send_json(req, resp, body)


class ProviderAggregates:
    @operation(
        'List the aggregates a provider belongs to.', policy=policies.LIST,
        since=(1, 1), responses={200: schema.aggregates}, errors={404: []},
        name='list')
    def on_get(self, req, resp, uuid):
        util.authorize(req, policies.LIST)
        with req.context.db.reader() as conn:
            with errors.past_handler():
                provider = providers.get_or_404(conn, uuid)
            uuids = aggregates.of_provider(conn, provider.id)
        _send(req, resp, uuids, provider.generation)

    @operation(
        'Replace the aggregates a provider belongs to.',
        policy=policies.UPDATE, since=(1, 1), body=schema.put,
        responses={200: schema.aggregates},
        errors={404: [], 409: [errors.CONCURRENT_UPDATE], 415: []},
        name='update')
    def on_put(self, req, resp, uuid):
        util.require_json_content(req)
        util.authorize(req, policies.UPDATE)
        version = req.context.version
        data = util.read_provider_body(req, schema.put(version), uuid)
        uuids = data if version < (1, 19) else data['aggregates']
        # Stored as given, unless too long for the column (urn:uuid:).
        uuids = [util.stored_uuid(value) for value in uuids]

        def replace(conn):
            with errors.past_handler():
                provider = providers.get_or_404(conn, uuid)
            generation = provider.generation
            if version >= (1, 19):
                providers.check_generation(
                    provider, data['resource_provider_generation'])
            aggregates.replace_for_provider(conn, provider.id, uuids)
            if version >= (1, 19):
                generation = providers.bump_generation(conn, provider)
            return generation

        generation = req.context.db.write(replace)
        _send(req, resp, uuids, generation)
