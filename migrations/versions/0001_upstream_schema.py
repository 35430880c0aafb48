"""Upstream Placement's schema as of its revision a082b8bb98d0.

A database already created by upstream Placement is stamped at this
revision instead of running it (see placement/db/sync.py).

Revision ID: 0001
Revises:
"""
from alembic import op

from placement.db import tables

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    tables.metadata.create_all(op.get_bind(), checkfirst=True)
