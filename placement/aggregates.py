"""Aggregates: groupings of providers, named by uuid."""
import sqlalchemy as sa
from sqlalchemy import exc

from placement.db.tables import (placement_aggregates as agg,
                                 resource_provider_aggregates as rpa)


def of_provider(conn, provider_id):
    return list(conn.execute(
        sa.select(agg.c.uuid).join(rpa, rpa.c.aggregate_id == agg.c.id)
        .where(rpa.c.resource_provider_id == provider_id)
        .order_by(agg.c.uuid)).scalars())


_IDS_BY_UUID = sa.select(agg.c.uuid, agg.c.id).where(
    agg.c.uuid.in_(sa.bindparam('uuids', expanding=True)))


def ensure_ids(conn, uuids):
    """{uuid: id}, creating the aggregates that do not exist yet."""
    uuids = sorted(set(uuids))
    if not uuids:
        return {}
    known = dict(conn.execute(_IDS_BY_UUID, {'uuids': uuids}).all())
    for uuid in uuids:
        if uuid not in known:
            try:
                with conn.begin_nested():
                    known[uuid] = conn.execute(agg.insert().values(
                        uuid=uuid)).inserted_primary_key[0]
            except exc.IntegrityError:
                # Created meanwhile by another request.
                known[uuid] = conn.execute(sa.select(agg.c.id).where(
                    agg.c.uuid == uuid)).scalar_one()
    return known


_AGGREGATE_IDS_OF = sa.select(rpa.c.aggregate_id).where(
    rpa.c.resource_provider_id == sa.bindparam('rp_id'))


def replace_for_provider(conn, provider_id, uuids):
    wanted = ensure_ids(conn, uuids)
    current = set(conn.execute(_AGGREGATE_IDS_OF,
                               {'rp_id': provider_id}).scalars())
    to_remove = current - set(wanted.values())
    to_add = set(wanted.values()) - current
    if to_remove:
        conn.execute(rpa.delete().where(
            rpa.c.resource_provider_id == provider_id,
            rpa.c.aggregate_id.in_(sorted(to_remove))))
    if to_add:
        conn.execute(rpa.insert(), [
            {'resource_provider_id': provider_id, 'aggregate_id': agg_id}
            for agg_id in sorted(to_add)])
