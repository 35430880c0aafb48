"""SQL condition shapes shared by the queries."""
import sqlalchemy as sa


def found(select):
    """SQL condition: the correlated ``select`` returns a row. Written as
    ``(SELECT ... LIMIT 1) IS NOT NULL`` rather than EXISTS because no
    planner turns it into a join over the whole table: it is judged row
    by row, so a query in provider order with a LIMIT stops as soon as it
    has enough (PostgreSQL plans the EXISTS form as a full semi-join)."""
    return select.limit(1).scalar_subquery().is_not(None)


def correlated(select, per_row=False):
    """EXISTS (``select``), or, ``per_row``, its ``found`` form."""
    return found(select) if per_row else sa.exists(select)
