"""data packages: exchange partners, certificates, imports ledger, exports

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 15:51:25.758934
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('exchange_exports',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('owner_code', sa.String(length=10), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('file_name', sa.String(length=260), nullable=False),
    sa.Column('package_sha256', sa.String(length=64), nullable=False),
    sa.Column('recipient_fingerprint', sa.String(length=64), nullable=True),
    sa.Column('counts', sa.Text(), nullable=False),
    sa.Column('receipt_imported_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('receipt_accepted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('receipt_office', sa.String(length=200), nullable=False),
    sa.Column('receipt_fingerprint', sa.String(length=64), nullable=True),
    sa.Column('receipt_summary', sa.Text(), nullable=False),
    sa.Column('receipt_warnings', sa.Text(), nullable=False),
    sa.CheckConstraint("status IN ('writing', 'written')", name=op.f('ck_exchange_exports_status')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exchange_exports'))
    )
    with op.batch_alter_table('exchange_exports', schema=None) as batch_op:
        batch_op.create_index('uq_exchange_exports_owner_sequence', ['owner_code', 'sequence'], unique=True)

    op.create_table('exchange_partners',
    sa.Column('code', sa.String(length=10), nullable=False),
    sa.Column('role', sa.String(length=10), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('province_name', sa.String(length=100), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('encryption_fingerprint', sa.String(length=64), nullable=True),
    sa.Column('trusted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('trusted_by', sa.String(length=100), nullable=False),
    sa.Column('last_sequence', sa.Integer(), nullable=False),
    sa.Column('last_imported_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('settings', sa.Text(), nullable=False),
    sa.CheckConstraint("role IN ('commune', 'office')", name=op.f('ck_exchange_partners_role')),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_exchange_partners'))
    )
    op.create_table('exchange_certificates',
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('partner_code', sa.String(length=10), nullable=False),
    sa.Column('usage', sa.String(length=12), nullable=False),
    sa.Column('pem', sa.Text(), nullable=False),
    sa.Column('trusted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('trusted_by', sa.String(length=100), nullable=False),
    sa.CheckConstraint("usage IN ('signing', 'encryption')", name=op.f('ck_exchange_certificates_usage')),
    sa.ForeignKeyConstraint(['partner_code'], ['exchange_partners.code'], name=op.f('fk_exchange_certificates_partner_code_exchange_partners')),
    sa.PrimaryKeyConstraint('fingerprint', name=op.f('pk_exchange_certificates'))
    )
    with op.batch_alter_table('exchange_certificates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_exchange_certificates_partner_code'), ['partner_code'], unique=False)

    op.create_table('exchange_imports',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('partner_code', sa.String(length=10), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('package_sha256', sa.String(length=64), nullable=False),
    sa.Column('signer_fingerprint', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('imported_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('imported_by', sa.String(length=100), nullable=False),
    sa.Column('app_version', sa.String(length=32), nullable=False),
    sa.Column('schema_revision', sa.String(length=32), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('warnings', sa.Text(), nullable=False),
    sa.Column('receipt', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['partner_code'], ['exchange_partners.code'], name=op.f('fk_exchange_imports_partner_code_exchange_partners')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exchange_imports'))
    )
    with op.batch_alter_table('exchange_imports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_exchange_imports_package_sha256'), ['package_sha256'], unique=False)
        batch_op.create_index('uq_exchange_imports_partner_sequence', ['partner_code', 'sequence'], unique=True)



def downgrade() -> None:
    with op.batch_alter_table('exchange_imports', schema=None) as batch_op:
        batch_op.drop_index('uq_exchange_imports_partner_sequence')
        batch_op.drop_index(batch_op.f('ix_exchange_imports_package_sha256'))

    op.drop_table('exchange_imports')
    with op.batch_alter_table('exchange_certificates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_exchange_certificates_partner_code'))

    op.drop_table('exchange_certificates')
    op.drop_table('exchange_partners')
    with op.batch_alter_table('exchange_exports', schema=None) as batch_op:
        batch_op.drop_index('uq_exchange_exports_owner_sequence')

    op.drop_table('exchange_exports')
