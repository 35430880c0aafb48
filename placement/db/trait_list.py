"""A provider's trait names as one column: ``name,name,...`` in trait id
order (NULL without traits), for reads that bring many providers with
their traits. One row per provider instead of one per (provider, trait):
the DB-API's cost is per row, and compute nodes report dozens of traits.
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


class TraitNames(sa.sql.expression.ColumnElement):
    """Scalar SQL: the trait names of the provider whose id is
    ``provider_id`` (a column of the enclosing query)."""

    type = sa.String()
    inherit_cache = True
    _traverse_internals = [
        ('provider_id', visitors.InternalTraversal.dp_clauseelement),
    ]

    def __init__(self, provider_id):
        self.provider_id = provider_id


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


def split(value):
    """The names of one row's column, in order."""
    return value.split(',') if value else []
