"""Consumers (servers, migrations, ...) with their project, user, type and
generation."""
import sqlalchemy as sa
from sqlalchemy import exc

from placement import errors
from placement.db.tables import (allocations, consumer_types, consumers as c,
                                 projects, users)

# "expected" is what the database holds, "got" what the request said.
CONSUMER_CONFLICT = 'consumer generation conflict - expected %s but got %s'


def _insert_or_find(conn, table, column, value):
    """Id of the row whose ``column`` is ``value``, inserted unless a
    concurrent writer got there first."""
    try:
        with conn.begin_nested():
            return conn.execute(table.insert().values(
                **{column: value})).inserted_primary_key[0]
    except exc.IntegrityError:
        return conn.execute(sa.select(table.c.id).where(
            table.c[column] == value)).scalar_one()


def _lookup(table, column, key):
    return sa.select(table.c.id).where(
        table.c[column] == sa.bindparam(key)).scalar_subquery().label(key)


# The ids of a project and a user (and a consumer type), in one query
# built once for each of the two shapes.
_LABELS = sa.select(_lookup(projects, 'external_id', 'project_id'),
                    _lookup(users, 'external_id', 'user_id'))
_LABELS_TYPED = _LABELS.add_columns(
    _lookup(consumer_types, 'name', 'consumer_type_id'))


def _ensure_labels(conn, project, user, consumer_type=None):
    """{'project_id', 'user_id'[, 'consumer_type_id']}: the ids of the
    external project and user (and the type), read in one query and
    created where missing."""
    wanted = [('project_id', projects, 'external_id', project),
              ('user_id', users, 'external_id', user)]
    if consumer_type is not None:
        wanted.append(('consumer_type_id', consumer_types, 'name',
                       consumer_type))
    found = conn.execute(
        _LABELS if consumer_type is None else _LABELS_TYPED,
        {key: value for key, _, _, value in wanted}).one()
    ids = {}
    for (key, table, column, value), row_id in zip(wanted, found):
        ids[key] = row_id if row_id is not None else _insert_or_find(
            conn, table, column, value)
    return ids


_GET = (sa.select(c.c.id, c.c.uuid, c.c.generation, c.c.project_id,
                  c.c.user_id, c.c.consumer_type_id,
                  c.c.created_at, c.c.updated_at,
                  projects.c.external_id.label('project'),
                  users.c.external_id.label('user'),
                  consumer_types.c.name.label('consumer_type'))
        .select_from(c.join(projects, projects.c.id == c.c.project_id)
                     .join(users, users.c.id == c.c.user_id)
                     .outerjoin(consumer_types,
                                consumer_types.c.id == c.c.consumer_type_id))
        .where(c.c.uuid == sa.bindparam('uuid')))


def get(conn, uuid):
    """The consumer with its external project/user ids and type name."""
    return conn.execute(_GET, {'uuid': uuid}).first()


MISSING = object()


def generation_refusal(row, generation):
    """Why a write that expects the consumer ``row`` (None: no such
    consumer yet) at ``generation`` (MISSING before 1.28: no
    expectation) is refused, or None."""
    if generation is MISSING:
        return None
    current = None if row is None else row.generation
    if generation == current:
        return None
    return errors.ConcurrentUpdate(CONSUMER_CONFLICT % (
        'null' if current is None else current,
        'None' if generation is None else generation))


def _statements(make):
    """{number of label ids: statement}: project and user ids, and the
    consumer type's too when the request names one (from 1.38)."""
    keys = ['project_id', 'user_id']
    return {2: make(keys), 3: make(keys + ['consumer_type_id'])}


_INSERT = _statements(lambda keys: c.insert().values(
    uuid=sa.bindparam('uuid'), generation=1,
    **{key: sa.bindparam(key) for key in keys}))
_SWAP = _statements(lambda keys: c.update().where(
    c.c.id == sa.bindparam('row_id'),
    c.c.generation == sa.bindparam('expected')).values(
    generation=sa.bindparam('new_generation'),
    **{key: sa.bindparam(key) for key in keys}))


def claim(conn, uuid, project, user, generation=MISSING, consumer_type=MISSING):
    """Create or update a consumer for a write of its allocations.

    ``generation`` (from 1.28) must be None for a new consumer and the
    current generation of an existing one. The generation moves on by one
    (compare-and-swap), so two writers of one consumer cannot both win.
    """
    row = get(conn, uuid)
    refusal = generation_refusal(row, generation)
    if refusal is not None:
        raise refusal
    values = _ensure_labels(
        conn, project, user,
        None if consumer_type is MISSING else consumer_type)
    if row is None:
        # A new consumer starts at 0 and, like every write of its
        # allocations, this one moves it on: it ends at 1. (No savepoint:
        # a concurrent creator's row ends this transaction, refused.)
        try:
            conn.execute(_INSERT[len(values)], dict(values, uuid=uuid))
        except exc.IntegrityError:
            raise errors.ConcurrentUpdate(CONSUMER_CONFLICT % (1, 'None'))
        return
    result = conn.execute(_SWAP[len(values)], dict(
        values, row_id=row.id, expected=row.generation,
        new_generation=row.generation + 1))
    if result.rowcount != 1:
        raise errors.ConcurrentUpdate(CONSUMER_CONFLICT % (
            row.generation + 1, row.generation))


def delete_if_unused(conn, uuids):
    """Drop consumers that no longer hold any allocation."""
    if not uuids:
        return
    conn.execute(c.delete().where(
        c.c.uuid.in_(sorted(uuids)),
        ~sa.exists().where(allocations.c.consumer_id == c.c.uuid)))
