"""citizen survey responses and dashboard indexes

Revision ID: 2d14e5c20957
Revises: d5a02c823d49
Create Date: 2026-11-23 21:22:12.215772

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '2d14e5c20957'
down_revision = 'd5a02c823d49'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('survey_responses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('submitted_at', sa.DateTime(), nullable=False),
    sa.Column('u1', sa.SmallInteger(), nullable=False),
    sa.Column('u2', sa.SmallInteger(), nullable=False),
    sa.Column('u3', sa.SmallInteger(), nullable=False),
    sa.Column('u4', sa.SmallInteger(), nullable=False),
    sa.Column('u5', sa.SmallInteger(), nullable=False),
    sa.Column('u6', sa.SmallInteger(), nullable=False),
    sa.Column('u7', sa.SmallInteger(), nullable=False),
    sa.Column('u8', sa.SmallInteger(), nullable=False),
    sa.Column('u9', sa.SmallInteger(), nullable=False),
    sa.Column('service_name', sa.String(length=200), nullable=True),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.CheckConstraint('u1 BETWEEN 1 AND 4', name=op.f('ck_survey_responses_u1_scale')),
    sa.CheckConstraint('u2 BETWEEN 1 AND 4', name=op.f('ck_survey_responses_u2_scale')),
    sa.CheckConstraint('u3 BETWEEN 1 AND 4', name=op.f('ck_survey_responses_u3_scale')),
    sa.CheckConstraint('u4 BETWEEN 1 AND 4', name=op.f('ck_survey_responses_u4_scale')),
    sa.CheckConstraint('u5 BETWEEN 1 AND 4', name=op.f('ck_survey_responses_u5_scale')),
    sa.CheckConstraint('u6 BETWEEN 1 AND 4', name=op.f('ck_survey_responses_u6_scale')),
    sa.CheckConstraint('u7 BETWEEN 1 AND 4', name=op.f('ck_survey_responses_u7_scale')),
    sa.CheckConstraint('u8 BETWEEN 1 AND 4', name=op.f('ck_survey_responses_u8_scale')),
    sa.CheckConstraint('u9 BETWEEN 1 AND 4', name=op.f('ck_survey_responses_u9_scale')),
    sa.ForeignKeyConstraint(['org_id'], ['organisations.id'], name=op.f('fk_survey_responses_org_id_organisations')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_survey_responses_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_responses'))
    )
    with op.batch_alter_table('survey_responses', schema=None) as batch_op:
        batch_op.create_index('ix_survey_responses_org_submitted', ['org_id', 'submitted_at'], unique=False)
        batch_op.create_index('ix_survey_responses_unit_submitted', ['unit_id', 'submitted_at'], unique=False)

    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.create_index('ix_activities_approved_output', ['person_id', 'date', 'target_id', 'quantity'], unique=False, postgresql_where=sa.text("status = 'approved' AND target_id IS NOT NULL"), sqlite_where=sa.text("status = 'approved' AND target_id IS NOT NULL"))
        batch_op.create_index('ix_activities_org_date_person', ['org_id', 'date', 'person_id', 'is_late'], unique=False)
        batch_op.create_index('ix_activities_waiting', ['person_id', 'submitted_at'], unique=False, postgresql_where=sa.text("status = 'submitted'"), sqlite_where=sa.text("status = 'submitted'"))



def downgrade():
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.drop_index('ix_activities_waiting', postgresql_where=sa.text("status = 'submitted'"), sqlite_where=sa.text("status = 'submitted'"))
        batch_op.drop_index('ix_activities_org_date_person')
        batch_op.drop_index('ix_activities_approved_output', postgresql_where=sa.text("status = 'approved' AND target_id IS NOT NULL"), sqlite_where=sa.text("status = 'approved' AND target_id IS NOT NULL"))

    with op.batch_alter_table('survey_responses', schema=None) as batch_op:
        batch_op.drop_index('ix_survey_responses_unit_submitted')
        batch_op.drop_index('ix_survey_responses_org_submitted')

    op.drop_table('survey_responses')
