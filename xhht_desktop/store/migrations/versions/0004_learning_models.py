"""learning models: clans, units, decisions, yearly model entries, aggregate values;
households.clan_id

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 15:10:51.148881
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('clans',
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('contact_person', sa.String(length=100), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=False),
    sa.Column('name_key', sa.String(length=100), nullable=False),
    sa.Column('sort_key', sa.String(length=400), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('commune_code', sa.String(length=10), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_clans'))
    )
    with op.batch_alter_table('clans', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_clans_commune_code'), ['commune_code'], unique=False)
        batch_op.create_index('uq_clans_commune_name', ['commune_code', 'name'], unique=True, sqlite_where=sa.text('deleted_at IS NULL'), postgresql_where=sa.text('deleted_at IS NULL'))

    op.create_table('decisions',
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=50), nullable=False),
    sa.Column('decided_on', sa.Date(), nullable=False),
    sa.Column('signer_name', sa.String(length=100), nullable=False),
    sa.Column('signer_title', sa.String(length=100), nullable=False),
    sa.Column('summary', sa.String(length=300), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('commune_code', sa.String(length=10), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_decisions'))
    )
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_decisions_commune_code'), ['commune_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_decisions_year'), ['year'], unique=False)

    op.create_table('aggregate_values',
    sa.Column('definition_id', sa.String(length=64), nullable=False),
    sa.Column('definition_version', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('village_id', sa.String(length=36), nullable=True),
    sa.Column('figures', sa.Text(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('commune_code', sa.String(length=10), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['village_id'], ['villages.id'], name=op.f('fk_aggregate_values_village_id_villages')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_aggregate_values'))
    )
    with op.batch_alter_table('aggregate_values', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_aggregate_values_commune_code'), ['commune_code'], unique=False)
        batch_op.create_index('ix_aggregate_values_form_year', ['definition_id', 'year'], unique=False)
        batch_op.create_index(batch_op.f('ix_aggregate_values_village_id'), ['village_id'], unique=False)

    op.create_table('model_entries',
    sa.Column('model', sa.String(length=8), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('subject_id', sa.String(length=36), nullable=False),
    sa.Column('registered_on', sa.Date(), nullable=True),
    sa.Column('registered_by', sa.String(length=100), nullable=False),
    sa.Column('criteria_id', sa.String(length=64), nullable=True),
    sa.Column('criteria_version', sa.Integer(), nullable=True),
    sa.Column('scores', sa.Text(), nullable=False),
    sa.Column('score_notes', sa.Text(), nullable=False),
    sa.Column('total', sa.String(length=16), nullable=False),
    sa.Column('passed', sa.Boolean(), nullable=True),
    sa.Column('evaluated_on', sa.Date(), nullable=True),
    sa.Column('evaluation_note', sa.String(length=500), nullable=False),
    sa.Column('decision_id', sa.String(length=36), nullable=True),
    sa.Column('override_reason', sa.String(length=500), nullable=False),
    sa.Column('refused_on', sa.Date(), nullable=True),
    sa.Column('refusal_reason', sa.String(length=500), nullable=False),
    sa.Column('revoked_on', sa.Date(), nullable=True),
    sa.Column('revocation_reason', sa.String(length=500), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('commune_code', sa.String(length=10), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("model IN ('gdht', 'dhht', 'cdht', 'dvht')", name=op.f('ck_model_entries_model')),
    sa.ForeignKeyConstraint(['decision_id'], ['decisions.id'], name=op.f('fk_model_entries_decision_id_decisions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_model_entries'))
    )
    with op.batch_alter_table('model_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_model_entries_commune_code'), ['commune_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_model_entries_decision_id'), ['decision_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_model_entries_subject_id'), ['subject_id'], unique=False)
        batch_op.create_index('uq_model_entries_subject_year', ['model', 'year', 'subject_id'], unique=True, sqlite_where=sa.text('deleted_at IS NULL'), postgresql_where=sa.text('deleted_at IS NULL'))

    op.create_table('units',
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=24), nullable=False),
    sa.Column('address', sa.String(length=200), nullable=False),
    sa.Column('head_name', sa.String(length=100), nullable=False),
    sa.Column('staff_count', sa.Integer(), nullable=False),
    sa.Column('village_id', sa.String(length=36), nullable=True),
    sa.Column('name_key', sa.String(length=200), nullable=False),
    sa.Column('sort_key', sa.String(length=400), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('commune_code', sa.String(length=10), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("kind IN ('co_quan', 'truong_hoc', 'doanh_nghiep', 'hop_tac_xa', 'luc_luong_vu_trang', 'khac')", name=op.f('ck_units_kind')),
    sa.CheckConstraint('staff_count >= 0', name=op.f('ck_units_staff_count')),
    sa.ForeignKeyConstraint(['village_id'], ['villages.id'], name=op.f('fk_units_village_id_villages')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_units'))
    )
    with op.batch_alter_table('units', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_units_commune_code'), ['commune_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_units_village_id'), ['village_id'], unique=False)
        batch_op.create_index('uq_units_commune_name', ['commune_code', 'name_key'], unique=True, sqlite_where=sa.text('deleted_at IS NULL'), postgresql_where=sa.text('deleted_at IS NULL'))

    with op.batch_alter_table('households', schema=None) as batch_op:
        batch_op.add_column(sa.Column('clan_id', sa.String(length=36), nullable=True))
        batch_op.create_index(batch_op.f('ix_households_clan_id'), ['clan_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_households_clan_id_clans'), 'clans', ['clan_id'], ['id'])



def downgrade() -> None:
    with op.batch_alter_table('households', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_households_clan_id_clans'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_households_clan_id'))
        batch_op.drop_column('clan_id')

    with op.batch_alter_table('units', schema=None) as batch_op:
        batch_op.drop_index('uq_units_commune_name', sqlite_where=sa.text('deleted_at IS NULL'), postgresql_where=sa.text('deleted_at IS NULL'))
        batch_op.drop_index(batch_op.f('ix_units_village_id'))
        batch_op.drop_index(batch_op.f('ix_units_commune_code'))

    op.drop_table('units')
    with op.batch_alter_table('model_entries', schema=None) as batch_op:
        batch_op.drop_index('uq_model_entries_subject_year', sqlite_where=sa.text('deleted_at IS NULL'), postgresql_where=sa.text('deleted_at IS NULL'))
        batch_op.drop_index(batch_op.f('ix_model_entries_subject_id'))
        batch_op.drop_index(batch_op.f('ix_model_entries_decision_id'))
        batch_op.drop_index(batch_op.f('ix_model_entries_commune_code'))

    op.drop_table('model_entries')
    with op.batch_alter_table('aggregate_values', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_aggregate_values_village_id'))
        batch_op.drop_index('ix_aggregate_values_form_year')
        batch_op.drop_index(batch_op.f('ix_aggregate_values_commune_code'))

    op.drop_table('aggregate_values')
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_decisions_year'))
        batch_op.drop_index(batch_op.f('ix_decisions_commune_code'))

    op.drop_table('decisions')
    with op.batch_alter_table('clans', schema=None) as batch_op:
        batch_op.drop_index('uq_clans_commune_name', sqlite_where=sa.text('deleted_at IS NULL'), postgresql_where=sa.text('deleted_at IS NULL'))
        batch_op.drop_index(batch_op.f('ix_clans_commune_code'))

    op.drop_table('clans')
