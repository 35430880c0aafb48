"""Traits: the standard ones (os-traits), CUSTOM_* ones, and which
providers have them."""
import os_traits
import sqlalchemy as sa
from sqlalchemy import exc

from placement import errors
from placement.db.tables import resource_provider_traits as rpt, traits as t

STANDARDS = frozenset(os_traits.get_traits())


def is_standard(name):
    return name in STANDARDS


def list_names(conn, names=None, prefix=None, associated=None):
    query = sa.select(t.c.name).order_by(t.c.name)
    if names is not None:
        query = query.where(t.c.name.in_(sorted(names)))
    if prefix is not None:
        query = query.where(t.c.name.startswith(prefix, autoescape=True))
    if associated is not None:
        used = sa.exists().where(rpt.c.trait_id == t.c.id)
        query = query.where(used if associated else ~used)
    return list(conn.execute(query).scalars())


def get(conn, name):
    return conn.execute(sa.select(t).where(t.c.name == name)).first()


def ids_by_name(conn, names):
    if not names:
        return {}
    rows = conn.execute(sa.select(t.c.name, t.c.id).where(
        t.c.name.in_(sorted(set(names)))))
    return dict(rows.all())


def ids_or_400(conn, names):
    """{name: id}; any unknown name → 400 naming them all."""
    found = ids_by_name(conn, names)
    missing = sorted(set(names) - set(found))
    if missing:
        raise errors.BadRequest('No such trait(s): %s.' % ', '.join(missing))
    return found


def ensure(conn, name):
    """Create the trait unless it exists; True when created."""
    if get(conn, name) is not None:
        return False
    try:
        with conn.begin_nested():
            conn.execute(t.insert().values(name=name))
    except exc.IntegrityError:
        return False
    return True


def delete(conn, name):
    row = get(conn, name)
    if row is None:
        raise errors.NotFound('No such trait(s): %s.' % name)
    in_use = conn.execute(sa.select(sa.literal(1)).where(
        sa.exists().where(rpt.c.trait_id == row.id))).first()
    if in_use:
        raise errors.Conflict(
            'The trait %s is in use by a resource provider.' % name)
    conn.execute(t.delete().where(t.c.id == row.id))


def of_provider(conn, provider_id):
    return list(conn.execute(
        sa.select(t.c.name).join(rpt, rpt.c.trait_id == t.c.id)
        .where(rpt.c.resource_provider_id == provider_id)
        .order_by(t.c.name)).scalars())


def of_providers(conn, provider_ids):
    """{provider_id: [trait names]} in one query."""
    result = {pid: [] for pid in provider_ids}
    if not provider_ids:
        return result
    rows = conn.execute(
        sa.select(rpt.c.resource_provider_id, t.c.name)
        .join(t, rpt.c.trait_id == t.c.id)
        .where(rpt.c.resource_provider_id.in_(sorted(provider_ids)))
        .order_by(t.c.name))
    for pid, name in rows:
        result[pid].append(name)
    return result


def replace_for_provider(conn, provider_id, names):
    """Make the provider's traits exactly ``names`` (which must exist)."""
    wanted = ids_or_400(conn, names)
    current = dict(conn.execute(
        sa.select(t.c.name, t.c.id).join(rpt, rpt.c.trait_id == t.c.id)
        .where(rpt.c.resource_provider_id == provider_id)).all())
    to_remove = [tid for name, tid in current.items() if name not in wanted]
    to_add = [tid for name, tid in wanted.items() if name not in current]
    if to_remove:
        conn.execute(rpt.delete().where(
            rpt.c.resource_provider_id == provider_id,
            rpt.c.trait_id.in_(to_remove)))
    if to_add:
        conn.execute(rpt.insert(), [
            {'resource_provider_id': provider_id, 'trait_id': tid}
            for tid in to_add])


def remove_all_for_provider(conn, provider_id):
    conn.execute(rpt.delete().where(rpt.c.resource_provider_id == provider_id))
