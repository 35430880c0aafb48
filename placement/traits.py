"""Traits: the standard ones (os-traits), CUSTOM_* ones, and which
providers have them."""
import os_traits
import sqlalchemy as sa
from sqlalchemy import exc

from placement import errors
from placement.db.tables import resource_provider_traits as rpt, traits as t

STANDARDS = frozenset(os_traits.get_traits())
_DATED = (t.c.name, t.c.created_at, t.c.updated_at)


def is_standard(name):
    return name in STANDARDS


def listing(conn, names=None, prefix=None, associated=None):
    """Rows of (name, created_at, updated_at), in the order the traits
    were created (trait id), as upstream lists them."""
    query = sa.select(*_DATED).order_by(t.c.id)
    if names is not None:
        query = query.where(t.c.name.in_(sorted(names)))
    if prefix is not None:
        # A LIKE pattern unescaped, as upstream's: '%' and '_' are
        # wildcards in the prefix too.
        query = query.where(t.c.name.like(prefix + '%'))
    if associated is not None:
        used = sa.exists().where(rpt.c.trait_id == t.c.id)
        query = query.where(used if associated else ~used)
    return conn.execute(query).all()


def get(conn, name):
    return conn.execute(sa.select(t).where(t.c.name == name)).first()


def ids_by_name(conn, names):
    return {row.name: row.id for row in by_names(conn, names)}


def ids_or_400(conn, names):
    """{name: id}; any unknown name → 400 naming them all."""
    found = ids_by_name(conn, names)
    missing = sorted(set(names) - set(found))
    if missing:
        raise errors.BadRequest('No such trait(s): %s.' % ', '.join(missing))
    return found


def ensure(conn, name):
    """The trait's row, created unless it exists, and whether it was."""
    row = get(conn, name)
    if row is not None:
        return row, False
    try:
        with conn.begin_nested():
            conn.execute(t.insert().values(name=name))
    except exc.IntegrityError:
        return get(conn, name), False
    return get(conn, name), True


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
    """Rows of (name, created_at, updated_at) of a provider's traits, in
    trait id order (as upstream)."""
    return conn.execute(
        sa.select(*_DATED).join(rpt, rpt.c.trait_id == t.c.id)
        .where(rpt.c.resource_provider_id == provider_id)
        .order_by(t.c.id)).all()


def of_providers(conn, provider_ids):
    """{provider_id: [trait names]} in one query."""
    result = {pid: [] for pid in provider_ids}
    if not provider_ids:
        return result
    rows = conn.execute(
        sa.select(rpt.c.resource_provider_id, t.c.name)
        .join(t, rpt.c.trait_id == t.c.id)
        .where(rpt.c.resource_provider_id.in_(sorted(provider_ids)))
        .order_by(t.c.id))
    for pid, name in rows:
        result[pid].append(name)
    return result


_BY_NAMES = sa.select(t.c.id, *_DATED).where(
    t.c.name.in_(sa.bindparam('names', expanding=True))).order_by(t.c.name)


def by_names(conn, names):
    """Rows of (id, name, created_at, updated_at) of the named traits that
    exist, looked up by exact name."""
    if not names:
        return []
    rows = conn.execute(_BY_NAMES, {'names': sorted(set(names))})
    return [row for row in rows if row.name in names]


_TRAIT_IDS_OF = sa.select(rpt.c.trait_id).where(
    rpt.c.resource_provider_id == sa.bindparam('rp_id'))


def set_for_provider(conn, provider_id, trait_ids):
    """Make the provider's traits exactly these; True if that changed
    anything (upstream moves the generation only then)."""
    current = set(conn.execute(_TRAIT_IDS_OF,
                               {'rp_id': provider_id}).scalars())
    to_remove, to_add = current - set(trait_ids), set(trait_ids) - current
    if to_remove:
        conn.execute(rpt.delete().where(
            rpt.c.resource_provider_id == provider_id,
            rpt.c.trait_id.in_(sorted(to_remove))))
    if to_add:
        conn.execute(rpt.insert(), [
            {'resource_provider_id': provider_id, 'trait_id': tid}
            for tid in sorted(to_add)])
    return bool(to_remove or to_add)
