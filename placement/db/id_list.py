"""``column IN (a list of ids)`` with the whole list sent as ONE parameter.

A plain ``IN (:id_1, :id_2, ...)`` costs a bind parameter per id: the
statement text changes with the list's length, SQLAlchemy renders every
id in Python, and PostgreSQL refuses more than 65,535 parameters. Here the
list travels as JSON text and the database unpacks it:

- SQLite: ``json_each``;
- PostgreSQL: ``json_array_elements_text``;
- MySQL/MariaDB: ``JSON_TABLE`` (MySQL 8.0, MariaDB 10.6 and later; on
  older servers a ``FIND_IN_SET`` test, which cannot use an index).

Use ``in_ids(column, 'roots')`` in a statement and pass
``{'roots': encode(ids)}`` when executing it.
"""
import json

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql import visitors


class InIds(sa.sql.expression.ColumnElement):
    """Boolean SQL: ``column`` is one of the ids in parameter ``name``."""

    type = sa.Boolean()
    _is_implicitly_boolean = True  # no '= 1' where booleans are ints
    inherit_cache = True
    _traverse_internals = [
        ('column', visitors.InternalTraversal.dp_clauseelement),
        ('name', visitors.InternalTraversal.dp_string),
    ]

    def __init__(self, column, name):
        self.column = column
        self.name = name

    def _render(self, compiler, template, **kw):
        column = compiler.process(self.column, **kw)
        param = compiler.process(sa.bindparam(self.name, type_=sa.Text),
                                 **kw)
        return '%s IN (%s)' % (column, template % param)


@compiles(InIds, 'sqlite')
def _sqlite(element, compiler, **kw):
    return element._render(compiler, 'SELECT value FROM json_each(%s)', **kw)


@compiles(InIds, 'postgresql')
def _postgresql(element, compiler, **kw):
    # "= ANY(ARRAY(...))", not "IN (SELECT ...)": the list becomes one
    # array before the scan, which the planner matches through the
    # column's index whatever it knows of the table; without statistics
    # (a freshly restored database) it hashed a scan of the whole table
    # against the IN subquery instead.
    column = compiler.process(element.column, **kw)
    param = compiler.process(sa.bindparam(element.name, type_=sa.Text),
                             **kw)
    return ('%s = ANY(ARRAY(SELECT CAST(value AS INTEGER) FROM '
            'json_array_elements_text(CAST(%s AS JSON))))' % (column, param))


def json_table_supported(dialect):
    """MySQL 8.0 and MariaDB 10.6 brought JSON_TABLE. (Unknown: assume a
    current server.)"""
    version = dialect.server_version_info
    if not version:
        return True
    return version >= ((10, 6) if dialect.is_mariadb else (8, 0))


@compiles(InIds, 'mysql')
@compiles(InIds, 'mariadb')
def _mysql(element, compiler, **kw):
    if json_table_supported(compiler.dialect):
        return element._render(
            compiler, "SELECT ids.id FROM JSON_TABLE(%s, '$[*]' COLUMNS "
                      "(id INTEGER PATH '$')) AS ids", **kw)
    # Older servers (MariaDB 10.5, as RHEL 9 ships it): the list without
    # its brackets is a comma-separated set. Correct, but it cannot use an
    # index, so each query scans its table.
    column = compiler.process(element.column, **kw)
    param = compiler.process(sa.bindparam(element.name, type_=sa.Text), **kw)
    return 'FIND_IN_SET(%s, SUBSTRING(%s, 2, CHAR_LENGTH(%s) - 2)) > 0' % (
        column, param, param)


def in_ids(column, name):
    return InIds(column, name)


def encode(ids):
    """The parameter value for a collection of integer ids: a JSON array
    without spaces ("[1,2,3]")."""
    return json.dumps(sorted(ids), separators=(',', ':'))
