"""A provider's trait names (``TraitNames``) or trait ids
(``TraitIds``) as one column: ``name,name,...`` in trait id order (NULL
without traits), for reads that bring many providers with their traits.
One row per provider instead of one per (provider, trait): the DB-API's
cost is per row, and compute nodes report dozens of traits.
Trait names are ``[A-Z0-9_]`` (os-traits and CUSTOM_ names are validated
so), so a comma separates them safely. Each database has its own ordered
aggregate:

- SQLite (no ORDER BY inside aggregates before 3.44): ``group_concat``
  over a subquery ordered by trait id, which it aggregates in order;
- PostgreSQL: ``string_agg(... ORDER BY ...)``;
- MySQL/MariaDB: ``GROUP_CONCAT(... ORDER BY ... SEPARATOR ',')``, with
  ``group_concat_max_len`` raised for the session (engine.py).
"""
import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql import visitors


class _OfProvider(sa.sql.expression.ColumnElement):
    """Scalar SQL about the provider whose id is ``provider_id`` (a column
    of the enclosing query)."""

    type = sa.String()
    inherit_cache = True
    _traverse_internals = [
        ('provider_id', visitors.InternalTraversal.dp_clauseelement),
    ]

    def __init__(self, provider_id):
        self.provider_id = provider_id


class TraitNames(_OfProvider):
    """Scalar SQL: the provider's trait names."""

    inherit_cache = True


_FROM = ('FROM resource_provider_traits AS rpt_names '
         'JOIN traits AS t_names ON t_names.id = rpt_names.trait_id '
         'WHERE rpt_names.resource_provider_id = %s')


@compiles(TraitNames, 'sqlite')
def _sqlite(element, compiler, **kw):
    provider = compiler.process(element.provider_id, **kw)
    return ("(SELECT group_concat(name, ',') FROM (SELECT t_names.name "
            "AS name %s ORDER BY rpt_names.trait_id))" % (_FROM % provider))


@compiles(TraitNames, 'postgresql')
def _postgresql(element, compiler, **kw):
    provider = compiler.process(element.provider_id, **kw)
    return ("(SELECT string_agg(t_names.name, ',' ORDER BY "
            "rpt_names.trait_id) %s)" % (_FROM % provider))


@compiles(TraitNames, 'mysql')
@compiles(TraitNames, 'mariadb')
def _mysql(element, compiler, **kw):
    provider = compiler.process(element.provider_id, **kw)
    return ("(SELECT GROUP_CONCAT(t_names.name ORDER BY rpt_names.trait_id "
            "SEPARATOR ',') %s)" % (_FROM % provider))


class TraitIds(_OfProvider):
    """Scalar SQL: the provider's trait ids, as text (``3,17,250``), in id order. No join to the
    traits table per provider: the names are looked up once for all."""

    inherit_cache = True


_IDS_FROM = ('FROM resource_provider_traits AS rpt_ids '
             'WHERE rpt_ids.resource_provider_id = %s')


@compiles(TraitIds, 'sqlite')
def _sqlite_ids(element, compiler, **kw):
    provider = compiler.process(element.provider_id, **kw)
    return ("(SELECT group_concat(trait_id, ',') FROM (SELECT "
            "rpt_ids.trait_id AS trait_id %s ORDER BY rpt_ids.trait_id))"
            % (_IDS_FROM % provider))


@compiles(TraitIds, 'postgresql')
def _postgresql_ids(element, compiler, **kw):
    provider = compiler.process(element.provider_id, **kw)
    return ("(SELECT string_agg(CAST(rpt_ids.trait_id AS TEXT), ',' "
            "ORDER BY rpt_ids.trait_id) %s)" % (_IDS_FROM % provider))


@compiles(TraitIds, 'mysql')
@compiles(TraitIds, 'mariadb')
def _mysql_ids(element, compiler, **kw):
    provider = compiler.process(element.provider_id, **kw)
    return ("(SELECT GROUP_CONCAT(rpt_ids.trait_id ORDER BY "
            "rpt_ids.trait_id SEPARATOR ',') %s)" % (_IDS_FROM % provider))


def split(value):
    """The names of one row's column, in order."""
    return value.split(',') if value else []
