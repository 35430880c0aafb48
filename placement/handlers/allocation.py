"""/allocations/{consumer_uuid}, POST /allocations (1.13) and
/resource_providers/{uuid}/allocations."""
from placement import allocations, consumers, errors, providers
from placement.handlers import util
from placement.operations import operation
from placement.parsing import normalize_uuid
from placement.policies import allocation as policies
from placement.schemas import allocation as schema


def _modified(rows):
    return util.latest(*[row.updated_at or row.created_at for row in rows])


def to_request(req, consumer, body):
    """One consumer's body at the request's microversion → a write request."""
    version = req.context.version
    conf = req.context.conf.placement
    if version < (1, 12):
        resources = {}
        for item in body['allocations']:
            resources.setdefault(item['resource_provider']['uuid'], {}).update(
                item['resources'])
    else:
        # The schema only lets dashed 36-character keys through; like
        # upstream they are looked up as given.
        resources = {rp: v['resources']
                     for rp, v in body['allocations'].items()}
    return allocations.ConsumerAllocations(
        consumer=consumer,
        project=body.get('project_id', conf.incomplete_consumer_project_id),
        user=body.get('user_id', conf.incomplete_consumer_user_id),
        generation=body['consumer_generation'] if version >= (1, 28)
        else consumers.MISSING,
        consumer_type=body['consumer_type'] if version >= (1, 38)
        else consumers.MISSING,
        resources=resources)


def write(req, requests):
    retries = req.context.conf.placement.allocation_conflict_retry_count
    allocations.write_with_retries(req.context.db, retries,
                                   allocations.write, requests)


class ConsumerAllocations:
    @operation(
        'Show the allocations of one consumer.', policy=policies.LIST,
        responses={200: schema.consumer}, name='show')
    def on_get(self, req, resp, consumer_uuid):
        util.authorize(req, policies.LIST)
        # Not validated, as upstream: an id that is no uuid has no
        # allocations.
        version = req.context.version
        with req.context.db.reader() as conn:
            rows = allocations.of_consumer(conn, consumer_uuid)
            consumer = consumers.get(conn, consumer_uuid) if rows else None
        body = {'allocations': {}}
        for row in rows:
            entry = body['allocations'].setdefault(
                row.provider, {'resources': {}})
            entry['generation'] = row.generation
            entry['resources'][row.resource_class] = row.used
        if consumer is not None and version >= (1, 12):
            body['project_id'] = consumer.project
            body['user_id'] = consumer.user
            if version >= (1, 28):
                body['consumer_generation'] = consumer.generation
            if version >= (1, 38):
                body['consumer_type'] = consumer.consumer_type or 'unknown'
        util.send_json(req, resp, body, last_modified=_modified(rows))

    @operation(
        'Replace the allocations of one consumer.', policy=policies.UPDATE,
        body=schema.put, responses={204: None},
        errors={409: [errors.CONCURRENT_UPDATE], 415: []}, cached=False,
        name='update')
    def on_put(self, req, resp, consumer_uuid):
        util.require_json_content(req)
        util.authorize(req, policies.UPDATE)
        consumer_uuid = normalize_uuid(consumer_uuid)
        body = util.read_json(req, schema.put(req.context.version))
        write(req, [to_request(req, consumer_uuid, body)])
        util.no_content(req, resp, cached=False)

    @operation(
        'Delete every allocation of one consumer.', policy=policies.DELETE,
        responses={204: None},
        errors={404: [], 409: [errors.CONCURRENT_UPDATE]}, cached=False,
        name='delete')
    def on_delete(self, req, resp, consumer_uuid):
        util.authorize(req, policies.DELETE)
        # Looked up as given, as upstream: anything else is a 404.
        req.context.db.write(allocations.delete_consumer, consumer_uuid)
        util.no_content(req, resp, cached=False)


class Batch:
    @operation(
        'Replace the allocations of several consumers at once.',
        policy=policies.MANAGE, since=(1, 13), body=schema.post,
        responses={204: None},
        errors={409: [errors.CONCURRENT_UPDATE], 415: []}, cached=False,
        name='manage')
    def on_post(self, req, resp):
        util.require_json_content(req)
        util.authorize(req, policies.MANAGE)
        body = util.read_json(req, schema.post(req.context.version))
        # Consumer keys are used as given, as upstream (the schema has
        # checked their form).
        requests = [to_request(req, consumer, item)
                    for consumer, item in body.items()]
        write(req, requests)
        util.no_content(req, resp, cached=False)


class ProviderAllocations:
    @operation(
        'List the allocations against a resource provider.',
        policy=policies.RP_LIST, responses={200: schema.of_provider},
        errors={404: []}, name='list')
    def on_get(self, req, resp, uuid):
        util.authorize(req, policies.RP_LIST)
        with_generation = req.context.version >= (1, 28)
        with req.context.db.reader() as conn:
            provider = providers.get_or_404(conn, uuid)
            rows = allocations.of_provider(conn, provider.id)
        body = {}
        for row in rows:
            entry = body.setdefault(row.consumer_id, {'resources': {}})
            entry['resources'][row.resource_class] = row.used
            if with_generation:
                # Upstream shows null for a consumer record gone missing.
                entry['consumer_generation'] = row.consumer_generation
        util.send_json(req, resp, {
            'allocations': body,
            'resource_provider_generation': provider.generation,
        }, last_modified=_modified(rows))
