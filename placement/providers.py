"""Resource providers and their trees: SQL in, rows out."""
import collections

import sqlalchemy as sa
from sqlalchemy import exc

from placement import capacity, errors
from placement.db import conditions, tables
from placement.db.tables import (allocations, inventories,
                                 placement_aggregates as agg_t,
                                 resource_provider_aggregates as rpa,
                                 resource_provider_traits as rpt,
                                 resource_providers as rp)

_parent = rp.alias('parent')
_root = rp.alias('root')

COLUMNS = (rp.c.id, rp.c.uuid, rp.c.name, rp.c.generation,
           rp.c.root_provider_id, rp.c.parent_provider_id,
           rp.c.created_at, rp.c.updated_at,
           _parent.c.uuid.label('parent_provider_uuid'),
           _root.c.uuid.label('root_provider_uuid'))


def _select():
    return (sa.select(*COLUMNS)
            .select_from(rp.outerjoin(_parent, rp.c.parent_provider_id == _parent.c.id)
                         .outerjoin(_root, rp.c.root_provider_id == _root.c.id)))


# Built once: the lookup nearly every request makes.
_BY_UUID = _select().where(rp.c.uuid == sa.bindparam('uuid'))


def get(conn, uuid):
    return conn.execute(_BY_UUID, {'uuid': uuid}).first()


def get_or_404(conn, uuid, detail='No resource provider with uuid %s found'):
    row = get(conn, uuid)
    if row is None:
        raise errors.NotFound(detail % uuid)
    return row


def by_ids(conn, ids):
    if not ids:
        return []
    return conn.execute(_select().where(rp.c.id.in_(sorted(ids)))).all()


def in_aggregates(member_of_ids, provider_col=rp.c.id, per_row=False):
    """SQL condition: a member of at least one of the aggregate ids
    (``per_row``: see conditions.found)."""
    rows = sa.select(sa.literal(1)).select_from(rpa).where(
        rpa.c.resource_provider_id == provider_col,
        rpa.c.aggregate_id.in_(sorted(member_of_ids)))
    return conditions.correlated(rows, per_row)


def with_trait_any(trait_ids, provider_col=rp.c.id, per_row=False):
    """SQL condition: has at least one of the traits (``per_row``: see
    conditions.found)."""
    rows = sa.select(sa.literal(1)).select_from(rpt).where(
        rpt.c.resource_provider_id == provider_col,
        rpt.c.trait_id.in_(sorted(trait_ids)))
    return conditions.correlated(rows, per_row)


_AGGREGATE_IDS = sa.select(agg_t.c.uuid, agg_t.c.id).where(
    agg_t.c.uuid.in_(sa.bindparam('uuids', expanding=True)))


def aggregate_ids(conn, uuids):
    if not uuids:
        return {}
    return dict(conn.execute(_AGGREGATE_IDS,
                             {'uuids': sorted(uuids)}).all())


def _conditions(name=None, uuid=None, member_of=None, forbidden_aggs=None,
                resources=None, in_tree=None, required=None,
                forbidden_traits=None):
    conditions = []
    if name is not None:
        conditions.append(rp.c.name == name)
    if uuid is not None:
        conditions.append(rp.c.uuid == uuid)
    for agg_ids in member_of or ():
        conditions.append(in_aggregates(agg_ids))
    if forbidden_aggs:
        conditions.append(~in_aggregates(forbidden_aggs))
    for class_id, amount in (resources or {}).items():
        conditions.append(
            capacity.provider_has_room(rp.c.id, class_id, amount))
    if in_tree is not None:
        conditions.append(rp.c.root_provider_id == in_tree)
    for trait_ids in required or ():
        conditions.append(with_trait_any(trait_ids))
    if forbidden_traits:
        conditions.append(~with_trait_any(forbidden_traits))
    return conditions


def where(**filters):
    """The SQL conditions on ``resource_providers`` that ``list_filtered``
    applies (same arguments), for queries that select providers as the
    listing does."""
    return _conditions(**filters)


def list_filtered(conn, **filters):
    """Providers matching every filter, in one query.

    ``member_of`` is a list of sets of aggregate ids (each set any-of),
    ``resources`` a {class_id: amount} map, ``in_tree`` a root provider
    id, ``required`` a list of sets of trait ids (each set any-of).
    """
    query = _select()
    for condition in _conditions(**filters):
        query = query.where(condition)
    return conn.execute(query.order_by(rp.c.id)).all()


def any_match(conn, **filters):
    """Whether some provider matches the filters (as ``list_filtered``)."""
    query = sa.select(rp.c.id)
    for condition in _conditions(**filters):
        query = query.where(condition)
    return conn.execute(query.limit(1)).first() is not None


def _action_failed(action, reason):
    # Upstream's provider object raises ObjectActionError, which reads so.
    return 'Object action %s failed because: %s' % (action, reason)


def create(conn, uuid, name, parent_uuid=None):
    def refused(reason):
        return errors.BadRequest(
            'Unable to create resource provider "%s", %s: %s'
            % (name, uuid, _action_failed('create', reason)))

    if not name:
        raise refused('name is required')
    parent = None
    if parent_uuid is not None:
        if parent_uuid == uuid:
            raise refused('parent provider UUID cannot be same as UUID. '
                          'Please set parent provider UUID to None if '
                          'there is no parent.')
        parent = get(conn, parent_uuid)
        if parent is None:
            raise refused('parent provider UUID does not exist.')
    now = tables.now()
    try:
        new_id = conn.execute(rp.insert(), {
            'uuid': uuid, 'name': name, 'generation': 0,
            'parent_provider_id': parent.id if parent else None,
            'root_provider_id': parent.root_provider_id if parent else None,
            'created_at': now}).inserted_primary_key[0]
    except exc.IntegrityError as error:
        # The transaction is lost (PostgreSQL's is aborted): which of uuid
        # or name was taken is asked after it (duplicate_conflict).
        raise Duplicate(uuid, name) from error
    updated = None
    if parent is None:
        updated = now
        conn.execute(_ROOT_OF_ITSELF, {'rp_id': new_id, 'root': new_id,
                                       'updated': updated})
    # The row as written (no need to read it back).
    return Created(
        id=new_id, uuid=uuid, name=name, generation=0,
        root_provider_id=parent.root_provider_id if parent else new_id,
        parent_provider_id=parent.id if parent else None,
        created_at=now, updated_at=updated,
        parent_provider_uuid=parent.uuid if parent else None,
        root_provider_uuid=parent.root_provider_uuid if parent else uuid)


_ROOT_OF_ITSELF = (rp.update().where(rp.c.id == sa.bindparam('rp_id'))
                   .values(root_provider_id=sa.bindparam('root'),
                           updated_at=sa.bindparam('updated')))

Created = collections.namedtuple('Created', [c.key for c in COLUMNS])


class Duplicate(Exception):
    """create() met a uuid or name already taken."""

    def __init__(self, uuid, name):
        super().__init__(uuid, name)
        self.uuid, self.name = uuid, name


def duplicate_conflict(conn, duplicate):
    """The 409 for a Duplicate, read in a new transaction."""
    if get(conn, duplicate.uuid) is not None:
        return errors.Conflict(
            'Conflicting resource provider uuid: %s already exists.'
            % duplicate.uuid, code=errors.DUPLICATE_NAME)
    return errors.Conflict(
        'Conflicting resource provider name: %s already exists.'
        % duplicate.name, code=errors.DUPLICATE_NAME)


def _descendant_ids(conn, provider_id):
    """Ids of the provider's subtree (itself included), one query per level."""
    found, frontier = {provider_id}, [provider_id]
    while frontier:
        frontier = list(conn.execute(sa.select(rp.c.id).where(
            rp.c.parent_provider_id.in_(frontier))).scalars())
        found.update(frontier)
    return found


def _save_refused(provider, action, reason):
    return errors.BadRequest('Unable to save resource provider %s: %s' % (
        provider.uuid, _action_failed(action, reason)))


# A parent_id for parent_change_refusal: some existing provider outside
# the provider's subtree, other than its current parent.
ANOTHER_PROVIDER = object()


def parent_change_refusal(provider, parent_id, allow_reparent, in_subtree):
    """Why PUT refuses to give ``provider`` the existing parent
    ``parent_id`` (None: none), in upstream's order; None when it may.

    ``allow_reparent`` is microversion 1.37's permission to move or
    un-parent a provider that has a parent; ``in_subtree(parent_id)``
    says whether that parent is the provider or below it (asked last).
    """
    had_parent = provider.parent_provider_id is not None
    if parent_id is None:
        if had_parent and not allow_reparent:
            return _save_refused(provider, 'update', 'un-parenting a '
                                 'provider is not currently allowed.')
        return None
    if (had_parent and parent_id != provider.parent_provider_id
            and not allow_reparent):
        return _save_refused(provider, 'update', 're-parenting a provider '
                             'is not currently allowed.')
    if in_subtree(parent_id):
        return _save_refused(provider, 'update', 'creating loop in the '
                             'provider tree is not allowed.')
    return None


def _new_parent(conn, provider, parent_uuid, allow_reparent):
    """The parent and root columns that giving the provider this parent
    (None: none) sets, checked in upstream's order."""
    parent = None
    if parent_uuid is not None:
        parent = get(conn, parent_uuid)
        if parent is None:
            # Upstream's object names the action 'create' here too.
            raise _save_refused(provider, 'create',
                                'parent provider UUID does not exist.')
    refusal = parent_change_refusal(
        provider, parent.id if parent else None, allow_reparent,
        lambda parent_id: parent_id in _descendant_ids(conn, provider.id))
    if refusal is not None:
        raise refusal
    if parent is None:
        if provider.parent_provider_id is None:
            return {}
        return {'parent_provider_id': None, 'root_provider_id': provider.id}
    return {'parent_provider_id': parent.id,
            'root_provider_id': parent.root_provider_id}


def update(conn, provider, name, parent_uuid, set_parent, allow_reparent):
    """Rename and (optionally) re-parent a provider.

    ``set_parent`` says whether the body named a parent at all;
    ``allow_reparent`` is microversion 1.37's permission to move or
    un-parent a provider that already has a parent.
    """
    values = {'name': name}
    if set_parent:
        values.update(_new_parent(conn, provider, parent_uuid, allow_reparent))
    new_root = values.get('root_provider_id', provider.root_provider_id)
    if new_root != provider.root_provider_id:
        subtree = _descendant_ids(conn, provider.id) - {provider.id}
        if subtree:
            conn.execute(rp.update().where(rp.c.id.in_(sorted(subtree)))
                         .values(root_provider_id=new_root))
    try:
        with conn.begin_nested():
            conn.execute(rp.update().where(rp.c.id == provider.id)
                         .values(**values))
    except exc.IntegrityError:
        raise errors.Conflict(
            'Conflicting resource provider %s already exists.' % name,
            code=errors.DUPLICATE_NAME)
    return get(conn, provider.uuid)


_BUMP = (rp.update()
         .where(rp.c.id == sa.bindparam('rp_id'),
                rp.c.generation == sa.bindparam('expected'))
         .values(generation=sa.bindparam('new_generation')))


def generation_swapped(conn, provider_id, expected):
    """Compare-and-swap a provider's generation from ``expected`` to the
    next: the one place concurrent writers of a provider are told apart.
    False when another writer moved it first."""
    result = conn.execute(_BUMP, {'rp_id': provider_id,
                                  'expected': expected,
                                  'new_generation': expected + 1})
    return result.rowcount == 1


def bump_generation(conn, provider, expected=None):
    """``generation_swapped`` for one provider, 409 when another writer
    moved it first. ``expected`` defaults to the row's generation."""
    expected = provider.generation if expected is None else expected
    if not generation_swapped(conn, provider.id, expected):
        raise errors.ConcurrentUpdate(
            'resource provider generation conflict: %s' % provider.uuid)
    return expected + 1


GENERATION_CHANGED = ("Resource provider's generation already changed. "
                      'Please update the generation and try again.')


def check_generation(provider, expected, detail=GENERATION_CHANGED):
    if provider.generation != expected:
        raise errors.ConcurrentUpdate(detail)


def deletion_refusal(conn, provider):
    """Why DELETE refuses to remove the provider (children first, then
    allocations, as upstream checks), or None when it may go."""
    if conn.execute(sa.select(sa.literal(1)).where(sa.exists().where(
            rp.c.parent_provider_id == provider.id))).first():
        return errors.Conflict(
            'Unable to delete parent resource provider %s: It has child '
            'resource providers.' % provider.uuid,
            code=errors.PROVIDER_CANNOT_DELETE_PARENT)
    if conn.execute(sa.select(sa.literal(1)).where(sa.exists().where(
            allocations.c.resource_provider_id == provider.id))).first():
        return errors.Conflict(
            'Unable to delete resource provider %s: Resource provider has '
            'allocations.' % provider.uuid, code=errors.PROVIDER_IN_USE)
    return None


def delete(conn, provider):
    refusal = deletion_refusal(conn, provider)
    if refusal is not None:
        raise refusal
    for table in (inventories, rpt, rpa):
        conn.execute(table.delete().where(
            table.c.resource_provider_id == provider.id))
    conn.execute(rp.update().where(rp.c.id == provider.id).values(
        root_provider_id=None))
    conn.execute(rp.delete().where(rp.c.id == provider.id))
