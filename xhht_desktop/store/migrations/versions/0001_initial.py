"""initial schema: installation, users, registers, audit log

Revision ID: 0001
Revises: 
Create Date: 2026-11-23 14:33:19.333710
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=100), nullable=False),
    sa.Column('action', sa.String(length=16), nullable=False),
    sa.Column('entity', sa.String(length=32), nullable=False),
    sa.Column('record_id', sa.String(length=36), nullable=False),
    sa.Column('field', sa.String(length=64), nullable=True),
    sa.Column('old_value', sa.Text(), nullable=True),
    sa.Column('new_value', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log'))
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_log_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_log_record_id'), ['record_id'], unique=False)

    op.create_table('installation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=10), nullable=False),
    sa.Column('province_code', sa.String(length=4), nullable=False),
    sa.Column('province_name', sa.String(length=100), nullable=False),
    sa.Column('commune_code', sa.String(length=10), nullable=True),
    sa.Column('commune_name', sa.String(length=100), nullable=True),
    sa.Column('office_name', sa.String(length=200), nullable=True),
    sa.Column('receiving_office', sa.String(length=200), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('signer_name', sa.String(length=100), nullable=False),
    sa.Column('signer_title', sa.String(length=100), nullable=False),
    sa.Column('is_demo', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("role IN ('commune', 'office')", name=op.f('ck_installation_role')),
    sa.CheckConstraint('id = 1', name=op.f('ck_installation_singleton')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_installation'))
    )
    op.create_table('users',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('full_name', sa.String(length=100), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('failed_logins', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_login_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("role IN ('data_entry', 'approver', 'admin')", name=op.f('ck_users_role')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('username', name=op.f('uq_users_username'))
    )
    op.create_table('villages',
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('name_key', sa.String(length=100), nullable=False),
    sa.Column('sort_key', sa.String(length=400), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('commune_code', sa.String(length=10), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_villages'))
    )
    with op.batch_alter_table('villages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_villages_commune_code'), ['commune_code'], unique=False)
        batch_op.create_index('uq_villages_commune_name', ['commune_code', 'name_key'], unique=True, sqlite_where=sa.text('deleted_at IS NULL'), postgresql_where=sa.text('deleted_at IS NULL'))

    op.create_table('households',
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('village_id', sa.String(length=36), nullable=False),
    sa.Column('head_name', sa.String(length=100), nullable=False),
    sa.Column('address', sa.String(length=200), nullable=False),
    sa.Column('search_key', sa.String(length=400), nullable=False),
    sa.Column('sort_key', sa.String(length=400), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('commune_code', sa.String(length=10), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['village_id'], ['villages.id'], name=op.f('fk_households_village_id_villages')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_households'))
    )
    with op.batch_alter_table('households', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_households_commune_code'), ['commune_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_households_sort_key'), ['sort_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_households_village_id'), ['village_id'], unique=False)
        batch_op.create_index('uq_households_commune_code', ['commune_code', 'code'], unique=True, sqlite_where=sa.text('deleted_at IS NULL'), postgresql_where=sa.text('deleted_at IS NULL'))

    op.create_table('persons',
    sa.Column('household_id', sa.String(length=36), nullable=False),
    sa.Column('full_name', sa.String(length=100), nullable=False),
    sa.Column('relationship_to_head', sa.String(length=32), nullable=False),
    sa.Column('birth_date', sa.Date(), nullable=True),
    sa.Column('birth_year', sa.SmallInteger(), nullable=False),
    sa.Column('sex', sa.String(length=1), nullable=False),
    sa.Column('ethnicity_code', sa.String(length=2), nullable=False),
    sa.Column('grade', sa.SmallInteger(), nullable=False),
    sa.Column('literacy_stage', sa.SmallInteger(), nullable=False),
    sa.Column('disabled', sa.Boolean(), nullable=False),
    sa.Column('residence', sa.String(length=16), nullable=False),
    sa.Column('name_key', sa.String(length=100), nullable=False),
    sa.Column('sort_key', sa.String(length=400), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('commune_code', sa.String(length=10), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("residence IN ('thuong_tru', 'tam_tru', 'chuyen_di', 'da_mat')", name=op.f('ck_persons_residence')),
    sa.CheckConstraint("sex IN ('M', 'F')", name=op.f('ck_persons_sex')),
    sa.CheckConstraint('grade BETWEEN 0 AND 12', name=op.f('ck_persons_grade')),
    sa.CheckConstraint('literacy_stage BETWEEN 0 AND 2', name=op.f('ck_persons_literacy_stage')),
    sa.ForeignKeyConstraint(['household_id'], ['households.id'], name=op.f('fk_persons_household_id_households')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_persons'))
    )
    with op.batch_alter_table('persons', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_persons_birth_year'), ['birth_year'], unique=False)
        batch_op.create_index(batch_op.f('ix_persons_commune_code'), ['commune_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_persons_ethnicity_code'), ['ethnicity_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_persons_household_id'), ['household_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_persons_sort_key'), ['sort_key'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('persons', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_persons_sort_key'))
        batch_op.drop_index(batch_op.f('ix_persons_household_id'))
        batch_op.drop_index(batch_op.f('ix_persons_ethnicity_code'))
        batch_op.drop_index(batch_op.f('ix_persons_commune_code'))
        batch_op.drop_index(batch_op.f('ix_persons_birth_year'))

    op.drop_table('persons')
    with op.batch_alter_table('households', schema=None) as batch_op:
        batch_op.drop_index('uq_households_commune_code', sqlite_where=sa.text('deleted_at IS NULL'), postgresql_where=sa.text('deleted_at IS NULL'))
        batch_op.drop_index(batch_op.f('ix_households_village_id'))
        batch_op.drop_index(batch_op.f('ix_households_sort_key'))
        batch_op.drop_index(batch_op.f('ix_households_commune_code'))

    op.drop_table('households')
    with op.batch_alter_table('villages', schema=None) as batch_op:
        batch_op.drop_index('uq_villages_commune_name', sqlite_where=sa.text('deleted_at IS NULL'), postgresql_where=sa.text('deleted_at IS NULL'))
        batch_op.drop_index(batch_op.f('ix_villages_commune_code'))

    op.drop_table('villages')
    op.drop_table('users')
    op.drop_table('installation')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_log_record_id'))
        batch_op.drop_index(batch_op.f('ix_audit_log_at'))

    op.drop_table('audit_log')
