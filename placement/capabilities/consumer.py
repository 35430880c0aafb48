"""GET /capabilities/consumers/{consumer_uuid}: what the caller may do to
one consumer's allocations now, and the answer each request would get."""
from placement import allocations, consumers, errors
from placement.capabilities import features
from placement.capabilities.judge import raised
from placement.parsing import normalize_uuid
from placement.policies import allocation as allocation_policies

ONE = '/allocations/{consumer_uuid}'

PLACEHOLDERS = {
    'project_id': 'the project the consumer belongs to',
    'user_id': 'the user the consumer belongs to',
    'consumer_type': 'the consumer type to give it (it has none yet)',
}
SAMPLES = {'project_id': 'sample-project', 'user_id': 'sample-user',
           'consumer_type': 'SAMPLE_TYPE'}


def not_found(consumer_uuid):
    return errors.NotFound('No consumer with uuid %s found' % consumer_uuid)


def _allocations(rows):
    """{provider uuid: {class: amount}} in the order GET shows them."""
    found = {}
    for row in rows:
        found.setdefault(row.provider, {})[row.resource_class] = row.used
    return found


def _replacement(version, consumer, by_provider):
    """The PUT body that writes the allocations back as they are, at
    ``version``; and the placeholders it holds."""
    placeholders = {}
    if version < (1, 12):
        body = {'allocations': [
            {'resource_provider': {'uuid': rp}, 'resources': resources}
            for rp, resources in by_provider.items()]}
    else:
        body = {'allocations': {rp: {'resources': resources}
                                for rp, resources in by_provider.items()}}
    if version >= (1, 8):
        for field, value in (('project_id', consumer and consumer.project),
                             ('user_id', consumer and consumer.user)):
            if value is None:
                value = '{%s}' % field
                placeholders[field] = PLACEHOLDERS[field]
            body[field] = value
    if features.available('consumer_generations', version):
        body['consumer_generation'] = consumer and consumer.generation
    if features.available('consumer_types', version):
        if consumer is not None and consumer.consumer_type:
            body['consumer_type'] = consumer.consumer_type
        else:
            body['consumer_type'] = '{consumer_type}'
            placeholders['consumer_type'] = PLACEHOLDERS['consumer_type']
    return body, placeholders


def _shown(version, consumer_uuid, consumer, rows):
    """The consumer as GET /allocations/{consumer_uuid} shows it."""
    found = {'uuid': consumer_uuid,
             'allocations': {rp: {'resources': resources}
                             for rp, resources in _allocations(rows).items()}}
    if consumer is not None and version >= (1, 12):
        found['project_id'] = consumer.project
        found['user_id'] = consumer.user
        if features.available('consumer_generations', version):
            found['consumer_generation'] = consumer.generation
        if features.available('consumer_types', version):
            found['consumer_type'] = consumer.consumer_type or 'unknown'
    return found


def document(conn, consumer_uuid, judge):
    """The whole body; NotFound for a consumer with neither a record nor
    allocations."""
    version = judge.version
    rows = allocations.of_consumer(conn, consumer_uuid)
    consumer = consumers.get(conn, consumer_uuid)
    if not rows and consumer is None:
        raise not_found(consumer_uuid)
    values = {'consumer_uuid': consumer_uuid}
    body, placeholders = _replacement(version, consumer,
                                      _allocations(rows))

    def claim():
        # PUT writes the consumer its path names, made canonical.
        row = consumers.get(conn, normalize_uuid(consumer_uuid))
        return consumers.generation_refusal(
            row, body['consumer_generation']
            if 'consumer_generation' in body else consumers.MISSING)

    result = {'version': str(version)}
    # What the consumer holds is shown only to a caller who may read it
    # (PUT answers with no body).
    readable = judge.allows(allocation_policies.LIST)
    if readable:
        result['consumer'] = _shown(version, consumer_uuid, consumer, rows)
    result['operations'] = {
        'show': judge.request('GET', ONE, values, 200),
        'replace': judge.request(
            'PUT', ONE, values, 204, body=body, parameters=placeholders,
            readable=readable,
            steps=[raised(normalize_uuid, consumer_uuid),
                   judge.valid_body('PUT', ONE, body, SAMPLES),
                   claim,
                   lambda: allocations.rewrite_refusal(conn, consumer_uuid)]),
        'delete': judge.request(
            'DELETE', ONE, values, 204,
            steps=[lambda: allocations.deletion_refusal(conn,
                                                        consumer_uuid)]),
    }
    return result
