"""Resource classes: the standard ones (os-resource-classes) and CUSTOM_*."""
import os_resource_classes
import sqlalchemy as sa
from sqlalchemy import exc

from placement import errors
from placement.db import sync
from placement.db.tables import allocations, inventories, resource_classes as rc_t

STANDARDS = frozenset(os_resource_classes.STANDARDS)


def is_standard(name):
    return name in STANDARDS


def list_all(conn):
    return conn.execute(sa.select(rc_t).order_by(rc_t.c.id)).all()


def get(conn, name):
    return conn.execute(sa.select(rc_t).where(rc_t.c.name == name)).first()


def get_or_404(conn, name):
    row = get(conn, name)
    if row is None:
        raise errors.NotFound('No such resource class %s.' % name)
    return row


# A standard class's id is its index in os-resource-classes, in our
# database as in upstream's (both sync them so at start-up, and neither
# lets them change): no need to look them up.
STANDARD_IDS = {name: index
                for index, name in enumerate(os_resource_classes.STANDARDS)}


_IDS_BY_NAME = sa.select(rc_t.c.name, rc_t.c.id).where(
    rc_t.c.name.in_(sa.bindparam('names', expanding=True)))


def ids_by_name(conn, names):
    """{name: id} for the given names; unknown names are left out."""
    found = {name: STANDARD_IDS[name] for name in names
             if name in STANDARD_IDS}
    custom = sorted(set(names) - set(found))
    if custom:
        found.update(conn.execute(_IDS_BY_NAME, {'names': custom}).all())
    return found


def all_names_by_id(conn):
    """{id: name} of every resource class."""
    return dict(conn.execute(sa.select(rc_t.c.id, rc_t.c.name)).all())


class NamesById(dict):
    """{class id: name} for reading inventory rows: the standard names by
    their index (STANDARD_IDS), custom ones read from the database the
    first time one is met (most requests meet none). Used within the
    transaction of ``conn``."""

    def __init__(self, conn):
        super().__init__((index, name) for name, index in STANDARD_IDS.items())
        self._conn = conn
        self._custom_read = False

    def __missing__(self, class_id):
        if not self._custom_read:
            self._custom_read = True
            self.update(all_names_by_id(self._conn))
            if class_id in self:
                return self[class_id]
        raise KeyError(class_id)


def names_by_id(conn, ids):
    if not ids:
        return {}
    rows = conn.execute(sa.select(rc_t.c.id, rc_t.c.name).where(
        rc_t.c.id.in_(sorted(set(ids)))))
    return dict(rows.all())


def create(conn, name):
    """Create a CUSTOM_ class; ids follow upstream's (10000 and up)."""
    next_id = conn.execute(sa.select(sa.func.max(rc_t.c.id))).scalar() or 0
    next_id = max(next_id + 1, sync.CUSTOM_RC_MIN_ID)
    try:
        with conn.begin_nested():
            conn.execute(rc_t.insert().values(id=next_id, name=name))
    except exc.IntegrityError:
        raise errors.Conflict(
            'Conflicting resource class already exists: %s' % name)
    return get(conn, name)


def rename(conn, old, new):
    row = get_or_404(conn, old)
    try:
        with conn.begin_nested():
            conn.execute(rc_t.update().where(rc_t.c.id == row.id).values(
                name=new))
    except exc.IntegrityError:
        raise errors.Conflict('Resource class already exists: %s' % new)
    return get(conn, new)


def delete(conn, name):
    row = get_or_404(conn, name)
    in_use = conn.execute(sa.select(sa.literal(1)).where(sa.or_(
        sa.exists().where(inventories.c.resource_class_id == row.id),
        sa.exists().where(allocations.c.resource_class_id == row.id)))).first()
    if in_use:
        raise errors.Conflict(
            'Error in delete resource class: Cannot delete resource class '
            '%s. Class is in use in inventory.' % name)
    conn.execute(rc_t.delete().where(rc_t.c.id == row.id))
