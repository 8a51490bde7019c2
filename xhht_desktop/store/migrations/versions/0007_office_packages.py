"""office packages: an office's own code, offices one level down as senders, provenance

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23 17:50:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("installation", schema=None) as batch_op:
        batch_op.add_column(sa.Column("office_code", sa.String(length=10), nullable=True))
    with op.batch_alter_table("exchange_imports", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sources", sa.Text(), nullable=False, server_default="[]"))
    with op.batch_alter_table("exchange_partners", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_exchange_partners_role"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_exchange_partners_role"), "role IN ('commune', 'office', 'sub_office')"
        )


def downgrade() -> None:
    with op.batch_alter_table("exchange_partners", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_exchange_partners_role"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_exchange_partners_role"), "role IN ('commune', 'office')"
        )
    with op.batch_alter_table("exchange_imports", schema=None) as batch_op:
        batch_op.drop_column("sources")
    with op.batch_alter_table("installation", schema=None) as batch_op:
        batch_op.drop_column("office_code")
