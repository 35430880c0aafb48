"""Seed a database with a scenario directly, through the domain layer.

The writes are the ones the API would make for the same scenario (see
http_load.py), in the same order, so that the provider and consumer
generations, the custom class ids and everything else a client can see
come out the same as a load over HTTP: one transaction instead of a few
hundred requests.
"""
from placement import (aggregates, allocations, consumers, inventories,
                       providers, resource_classes, traits)
from placement.db import engine as db_engine


def seed(database, scenario):
    """Write ``scenario`` into an empty ``database`` (a db.engine.Database
    or an Engine) holding our schema."""
    if not isinstance(database, db_engine.Database):
        database = db_engine.Database(database)
    database.ensure_standard_names()
    with database.writer() as conn:
        for name in scenario.resource_classes:
            if resource_classes.get(conn, name) is None:
                resource_classes.create(conn, name)
        for name in scenario.traits:
            traits.ensure(conn, name)
        for provider in scenario.providers:
            _write_provider(conn, provider)
        for consumer in scenario.consumers:
            allocations.write(conn, [allocations.ConsumerAllocations(
                consumer=consumer.uuid, project=consumer.project,
                user=consumer.user, generation=None,
                consumer_type=consumer.consumer_type or consumers.MISSING,
                resources=consumer.allocations)])


def _write_provider(conn, spec):
    # As POST /resource_providers, then one PUT each for inventories,
    # traits and aggregates: each PUT moves the generation on by one.
    row = providers.create(conn, spec.uuid, spec.name, spec.parent)
    generation = row.generation
    if spec.inventories:
        class_ids = resource_classes.ids_by_name(conn, list(spec.inventories))
        inventories.replace(
            conn, row, {rc: inventories.with_defaults(record)
                        for rc, record in spec.inventories.items()},
            class_ids)
        generation = providers.bump_generation(conn, row, generation)
    if spec.traits:
        traits.set_for_provider(
            conn, row.id, list(traits.ids_or_400(conn, spec.traits).values()))
        generation = providers.bump_generation(conn, row, generation)
    if spec.aggregates:
        aggregates.replace_for_provider(conn, row.id, spec.aggregates)
        generation = providers.bump_generation(conn, row, generation)
