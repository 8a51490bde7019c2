"""listing indexes: cover display order and search keys of persons and households

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 15:05:00
"""

from __future__ import annotations

from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('persons', schema=None) as batch_op:
        batch_op.drop_index('ix_persons_sort_key')
        batch_op.create_index('ix_persons_listing', ['sort_key', 'id', 'name_key', 'deleted_at'], unique=False)
    with op.batch_alter_table('households', schema=None) as batch_op:
        batch_op.drop_index('ix_households_sort_key')
        batch_op.create_index('ix_households_listing', ['sort_key', 'id', 'search_key', 'deleted_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('households', schema=None) as batch_op:
        batch_op.drop_index('ix_households_listing')
        batch_op.create_index('ix_households_sort_key', ['sort_key'], unique=False)
    with op.batch_alter_table('persons', schema=None) as batch_op:
        batch_op.drop_index('ix_persons_listing')
        batch_op.create_index('ix_persons_sort_key', ['sort_key'], unique=False)
