"""Usages: sums of allocations, per provider or per project/user."""
import sqlalchemy as sa

from placement.db.tables import (allocations as a, consumer_types as ct,
                                 consumers as c, inventories as inv,
                                 projects, resource_classes as rc, users)

UNKNOWN_TYPE = 'unknown'
ALL_TYPES = 'all'


def of_provider(conn, provider_id):
    """{class name: used} for every class in the provider's inventory."""
    used = (sa.select(sa.func.coalesce(sa.func.sum(a.c.used), 0))
            .where(a.c.resource_provider_id == inv.c.resource_provider_id,
                   a.c.resource_class_id == inv.c.resource_class_id)
            .scalar_subquery())
    rows = conn.execute(
        sa.select(rc.c.name, used).join(rc, rc.c.id == inv.c.resource_class_id)
        .where(inv.c.resource_provider_id == provider_id))
    return {name: int(amount) for name, amount in rows}


def _project_filter(query, project_id, user_id):
    query = query.where(projects.c.external_id == project_id)
    if user_id is not None:
        query = query.where(users.c.external_id == user_id)
    return query


def _consumers_join():
    return (a.join(c, c.c.uuid == a.c.consumer_id)
            .join(projects, projects.c.id == c.c.project_id)
            .join(users, users.c.id == c.c.user_id)
            .join(rc, rc.c.id == a.c.resource_class_id)
            .outerjoin(ct, ct.c.id == c.c.consumer_type_id))


def of_project(conn, project_id, user_id=None):
    """{class name: used} over a project's (and user's) consumers."""
    query = (sa.select(rc.c.name, sa.func.sum(a.c.used))
             .select_from(_consumers_join()).group_by(rc.c.name))
    rows = conn.execute(_project_filter(query, project_id, user_id))
    return {name: int(amount) for name, amount in rows}


def of_project_by_type(conn, project_id, user_id=None, consumer_type=None):
    """1.38: {type: {'consumer_count': n, class: used}}.

    ``consumer_type`` may name a type, ``all`` (one bucket over every type)
    or ``unknown`` (consumers without a type).
    """
    type_name = sa.func.coalesce(ct.c.name, UNKNOWN_TYPE)
    bucket = sa.literal(ALL_TYPES) if consumer_type == ALL_TYPES else type_name
    usage = (sa.select(bucket.label('bucket'), rc.c.name,
                       sa.func.sum(a.c.used))
             .select_from(_consumers_join()).group_by(bucket, rc.c.name))
    count = (sa.select(bucket.label('bucket'),
                       sa.func.count(sa.distinct(c.c.id)))
             .select_from(_consumers_join()).group_by(bucket))
    if consumer_type == UNKNOWN_TYPE:
        usage = usage.where(ct.c.name.is_(None))
        count = count.where(ct.c.name.is_(None))
    elif consumer_type not in (None, ALL_TYPES):
        usage = usage.where(ct.c.name == consumer_type)
        count = count.where(ct.c.name == consumer_type)
    result = {}
    for bucket_name, name, amount in conn.execute(
            _project_filter(usage, project_id, user_id)):
        result.setdefault(bucket_name, {})[name] = int(amount)
    for bucket_name, consumer_count in conn.execute(
            _project_filter(count, project_id, user_id)):
        result.setdefault(bucket_name, {})['consumer_count'] = consumer_count
    if consumer_type not in (None, ALL_TYPES):
        # MySQL compares names without case; the API does not.
        result = {k: v for k, v in result.items() if k == consumer_type}
    return result
