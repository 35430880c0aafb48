"""A provider's trait ids as one column (``TraitIds``): ``3,17,250`` in
trait id order (NULL without traits), for reads that bring many providers
with their traits, and the names of those ids (``names_by_id``, one
query for all). One row per provider instead of one per (provider,
trait): the DB-API's cost is per row, and compute nodes report dozens of
traits; no join to the traits table per provider (PostgreSQL planned
that join as a scan of the whole traits table for each provider). Each
database has its own ordered aggregate:

- SQLite (no ORDER BY inside aggregates before 3.44): ``group_concat``
  over a subquery ordered by trait id, which it aggregates in order;
- PostgreSQL: ``string_agg(... ORDER BY ...)``;
- MySQL/MariaDB: ``GROUP_CONCAT(... ORDER BY ... SEPARATOR ',')``, with
  ``group_concat_max_len`` raised for the session (engine.py).
"""
import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql import visitors

from placement.db import id_list
from placement.db.tables import traits


class TraitIds(sa.sql.expression.ColumnElement):
    """Scalar SQL: the trait ids, as text, of the provider whose id is
    ``provider_id`` (a column of the enclosing query)."""

    type = sa.String()
    inherit_cache = True
    _traverse_internals = [
        ('provider_id', visitors.InternalTraversal.dp_clauseelement),
    ]

    def __init__(self, provider_id):
        self.provider_id = provider_id


_FROM = ('FROM resource_provider_traits AS rpt_ids '
         'WHERE rpt_ids.resource_provider_id = %s')


@compiles(TraitIds, 'sqlite')
def _sqlite(element, compiler, **kw):
    provider = compiler.process(element.provider_id, **kw)
    return ("(SELECT group_concat(trait_id, ',') FROM (SELECT "
            "rpt_ids.trait_id AS trait_id %s ORDER BY rpt_ids.trait_id))"
            % (_FROM % provider))


@compiles(TraitIds, 'postgresql')
def _postgresql(element, compiler, **kw):
    provider = compiler.process(element.provider_id, **kw)
    return ("(SELECT string_agg(CAST(rpt_ids.trait_id AS TEXT), ',' "
            "ORDER BY rpt_ids.trait_id) %s)" % (_FROM % provider))


@compiles(TraitIds, 'mysql')
@compiles(TraitIds, 'mariadb')
def _mysql(element, compiler, **kw):
    provider = compiler.process(element.provider_id, **kw)
    return ("(SELECT GROUP_CONCAT(rpt_ids.trait_id ORDER BY "
            "rpt_ids.trait_id SEPARATOR ',') %s)" % (_FROM % provider))


_NAMES = sa.select(traits.c.id, traits.c.name).where(
    id_list.in_ids(traits.c.id, 'ids'))


def names_of(conn, ids):
    """{id: name} of the traits ``ids`` that exist: one query."""
    if not ids:
        return {}
    return dict(conn.execute(_NAMES, {'ids': id_list.encode(ids)}).all())


def names_by_id(conn, values):
    """{id as text: name} for every trait id in ``values`` (TraitIds
    column values, None for none): one query."""
    ids = {int(i) for value in values if value for i in value.split(',')}
    return {str(i): name for i, name in names_of(conn, ids).items()}


def named(value, names):
    """The trait names of one row's column, in order, from ``names``
    (``names_by_id``). Under READ COMMITTED a trait can be taken off the
    provider and deleted between the two reads: it is left out, as the
    provider no longer has it."""
    if not value:
        return []
    return [names[i] for i in value.split(',') if i in names]
