"""Seed any Placement (ours or upstream's) with a scenario over its
public API, at a microversion it serves.

The requests are those of a careful client: negotiate with ``GET /``,
then create custom classes and traits, each provider (parents first)
followed by its inventories, traits and aggregates, and last the
allocations of each consumer. seed.py makes the same writes directly.
"""
import logging

from placement import microversion
from placement.testcloud import http_client

LOG = logging.getLogger(__name__)
NEWEST = microversion.MAX


class LoadError(Exception):
    pass


def server_max(client):
    """The highest microversion the server at ``client`` serves."""
    response = client.request('GET', '/', expect=200)
    versions = response.json().get('versions') or [{}]
    raw = versions[0].get('max_version') or '1.0'
    return microversion.Version(*[int(part) for part in raw.split('.')])


def load(client, scenario, warn=LOG.warning):
    """Write ``scenario`` through ``client`` (an http_client.Client);
    returns the microversion used."""
    version = min(server_max(client), NEWEST)
    needed = microversion.Version(*scenario.needs())
    if version < needed:
        raise LoadError(
            'scenario %s needs microversion %s (nested providers need 1.14, '
            'traits 1.6); the server serves up to %s'
            % (scenario.name, needed, version))
    try:
        _load(client, scenario, version, warn)
    except http_client.HTTPError as exc:
        raise LoadError('loading %s failed: %s' % (scenario.name, exc))
    return version


def _load(client, scenario, version, warn):
    def call(method, path, body=None, expect=(200, 201, 204), at=version):
        return client.request(method, path, body=body, version=at,
                              expect=expect)

    for name in scenario.resource_classes:
        if version >= (1, 7):
            call('PUT', '/resource_classes/%s' % name)
        elif call('GET', '/resource_classes/%s' % name,
                  expect=(200, 404)).status == 404:
            call('POST', '/resource_classes', {'name': name})
    for name in scenario.traits:
        call('PUT', '/traits/%s' % name)
    for provider in scenario.providers:
        _load_provider(call, provider, version)
    dropped = 0
    for consumer in scenario.consumers:
        body, at = _allocations_body(consumer, version)
        if consumer.consumer_type and version < (1, 38):
            dropped += 1
        call('PUT', '/allocations/%s' % consumer.uuid, body, at=at)
    if dropped:
        warn('the server serves microversion %s: the consumer types of %d '
             'consumers (1.38) were not written' % (version, dropped))


def _load_provider(call, provider, version):
    body = {'name': provider.name, 'uuid': provider.uuid}
    if provider.parent:
        body['parent_provider_uuid'] = provider.parent
    call('POST', '/resource_providers', body)
    path = '/resource_providers/%s' % provider.uuid
    generation = 0
    if provider.inventories:
        generation = call('PUT', path + '/inventories', {
            'resource_provider_generation': generation,
            'inventories': provider.inventories,
        }).json()['resource_provider_generation']
    if provider.traits:
        generation = call('PUT', path + '/traits', {
            'resource_provider_generation': generation,
            'traits': provider.traits,
        }).json()['resource_provider_generation']
    if provider.aggregates:
        if version >= (1, 19):
            call('PUT', path + '/aggregates', {
                'resource_provider_generation': generation,
                'aggregates': provider.aggregates})
        else:
            call('PUT', path + '/aggregates', provider.aggregates)


def _allocations_body(consumer, version):
    """(body, microversion) of the PUT /allocations/{uuid} of a consumer.

    A consumer with no type is written at 1.37 where the server serves
    1.38, which requires one: it stays "unknown", as in seed.py."""
    at = version
    if consumer.consumer_type is None and version >= (1, 38):
        at = microversion.Version(1, 37)
    if at >= (1, 12):
        body = {'allocations': {rp: {'resources': resources}
                                for rp, resources
                                in consumer.allocations.items()}}
    else:
        body = {'allocations': [
            {'resource_provider': {'uuid': rp}, 'resources': resources}
            for rp, resources in consumer.allocations.items()]}
    if at >= (1, 8):
        body.update(project_id=consumer.project, user_id=consumer.user)
    if at >= (1, 28):
        body['consumer_generation'] = None
    if at >= (1, 38):
        body['consumer_type'] = consumer.consumer_type
    return body, at
