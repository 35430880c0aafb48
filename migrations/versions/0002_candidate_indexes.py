"""Indexes for the set-based provider and candidate queries.

Revision ID: 0002
Revises: 0001
"""
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    # Capacity checks join inventories to allocations by (provider, class);
    # candidate searches start from the class.
    op.create_index('inventories_rc_rp_idx', 'inventories',
                    ['resource_class_id', 'resource_provider_id'])
