"""POST /reshaper (1.30)."""
from placement import allocations, errors, inventories, reshaper
from placement.handlers import util
from placement.operations import operation
from placement.policies import reshaper as policies
from placement.handlers.allocation import to_request
from placement.schemas import reshaper as schema


class Reshaper:
    @operation(
        'Move inventories and allocations within a tree at once.',
        policy=policies.RESHAPE, since=(1, 30), body=schema.post,
        responses={204: None},
        errors={400: [errors.RESOURCE_PROVIDER_NOT_FOUND],
                409: [errors.CONCURRENT_UPDATE, errors.INVENTORY_INUSE],
                415: []},
        cached=False, name='reshape')
    def on_post(self, req, resp):
        version = req.context.version
        util.require_json_content(req)
        util.authorize(req, policies.RESHAPE)
        body = util.read_json(req, schema.post(version))
        # Provider and consumer keys are used as given, as upstream: the
        # schema has checked their form.
        provider_inventories = {
            uuid: (
                item['resource_provider_generation'],
                {name: inventories.with_defaults(fields)
                 for name, fields in item['inventories'].items()})
            for uuid, item in body['inventories'].items()}
        requests = [to_request(req, consumer, item)
                    for consumer, item in body['allocations'].items()]
        retries = req.context.conf.placement.allocation_conflict_retry_count
        allocations.write_with_retries(
            req.context.db, retries, reshaper.reshape, provider_inventories,
            requests, version)
        util.no_content(req, resp, cached=False)
