"""Record upstream Placement's schema revision in upstream's own version
table, so the database can go back to upstream Placement.

Our tables are upstream's (head a082b8bb98d0, see 0001) plus our indexes.
Without this row, upstream's ``placement-manage db sync`` would try to
create its tables again and fail ("table allocations already exists");
with it, upstream sees its schema at head and leaves it as it is. A
database adopted from upstream already has the row: it is left alone.

Revision ID: 0003
Revises: 0002
"""
from alembic import op
import sqlalchemy as sa

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

UPSTREAM_VERSION_TABLE = 'alembic_version'
UPSTREAM_HEAD = 'a082b8bb98d0'


def upgrade():
    conn = op.get_bind()
    if sa.inspect(conn).has_table(UPSTREAM_VERSION_TABLE):
        return
    table = op.create_table(
        UPSTREAM_VERSION_TABLE,
        sa.Column('version_num', sa.String(32), nullable=False),
        sa.PrimaryKeyConstraint('version_num',
                                name='alembic_version_pkc'))
    op.bulk_insert(table, [{'version_num': UPSTREAM_HEAD}])
