"""Competency development (trainings, the JP target, mentoring pairs) and the citizens'
voice (the inbox of survey messages, serving officers, SKM follow-up plans).

Revision ID: c55fdfd98ffd
Revises: 28a680fde2d9
Create Date: 2026-12-03 16:08:18.947439

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'c55fdfd98ffd'
down_revision = '28a680fde2d9'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('development_settings',
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('jp_target', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['org_id'], ['organisations.id'], name=op.f('fk_development_settings_org_id_organisations')),
    sa.PrimaryKeyConstraint('org_id', name=op.f('pk_development_settings'))
    )
    op.create_table('citizen_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('response_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('comment', 'complaint', name='messagekind', native_enum=False, length=32), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('status', sa.Enum('new', 'answered', 'closed', name='messagestatus', native_enum=False, length=32), nullable=False),
    sa.Column('received_at', sa.DateTime(), nullable=False),
    sa.Column('answer', sa.Text(), nullable=True),
    sa.Column('answered_by_id', sa.Integer(), nullable=True),
    sa.Column('answered_at', sa.DateTime(), nullable=True),
    sa.Column('published', sa.Boolean(), nullable=False),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['answered_by_id'], ['people.id'], name=op.f('fk_citizen_messages_answered_by_id_people')),
    sa.ForeignKeyConstraint(['org_id'], ['organisations.id'], name=op.f('fk_citizen_messages_org_id_organisations')),
    sa.ForeignKeyConstraint(['response_id'], ['survey_responses.id'], name=op.f('fk_citizen_messages_response_id_survey_responses')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_citizen_messages_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_citizen_messages')),
    sa.UniqueConstraint('response_id', name=op.f('uq_citizen_messages_response_id'))
    )
    with op.batch_alter_table('citizen_messages', schema=None) as batch_op:
        batch_op.create_index('ix_citizen_messages_org_status', ['org_id', 'status'], unique=False)
        batch_op.create_index('ix_citizen_messages_unit_status', ['unit_id', 'status'], unique=False)

    op.create_table('mentoring_pairs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('mentor_id', sa.Integer(), nullable=False),
    sa.Column('mentee_id', sa.Integer(), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('ends_on >= starts_on', name=op.f('ck_mentoring_pairs_mentoring_dates_ordered')),
    sa.CheckConstraint('mentor_id <> mentee_id', name=op.f('ck_mentoring_pairs_mentor_not_mentee')),
    sa.ForeignKeyConstraint(['created_by_id'], ['people.id'], name=op.f('fk_mentoring_pairs_created_by_id_people')),
    sa.ForeignKeyConstraint(['mentee_id'], ['people.id'], name=op.f('fk_mentoring_pairs_mentee_id_people')),
    sa.ForeignKeyConstraint(['mentor_id'], ['people.id'], name=op.f('fk_mentoring_pairs_mentor_id_people')),
    sa.ForeignKeyConstraint(['org_id'], ['organisations.id'], name=op.f('fk_mentoring_pairs_org_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentoring_pairs'))
    )
    with op.batch_alter_table('mentoring_pairs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mentoring_pairs_mentee_id'), ['mentee_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mentoring_pairs_mentor_id'), ['mentor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mentoring_pairs_org_id'), ['org_id'], unique=False)

    op.create_table('officer_mentions',
    sa.Column('response_id', sa.Integer(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['org_id'], ['organisations.id'], name=op.f('fk_officer_mentions_org_id_organisations')),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_officer_mentions_person_id_people')),
    sa.ForeignKeyConstraint(['response_id'], ['survey_responses.id'], name=op.f('fk_officer_mentions_response_id_survey_responses')),
    sa.PrimaryKeyConstraint('response_id', name=op.f('pk_officer_mentions'))
    )
    with op.batch_alter_table('officer_mentions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_officer_mentions_person_id'), ['person_id'], unique=False)

    op.create_table('serving_officers',
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('opted_in_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['org_id'], ['organisations.id'], name=op.f('fk_serving_officers_org_id_organisations')),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_serving_officers_person_id_people')),
    sa.PrimaryKeyConstraint('person_id', name=op.f('pk_serving_officers'))
    )
    with op.batch_alter_table('serving_officers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_serving_officers_org_id'), ['org_id'], unique=False)

    op.create_table('skm_follow_ups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('unsur', sa.String(length=3), nullable=False),
    sa.Column('plan', sa.Text(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('responsible', sa.String(length=200), nullable=False),
    sa.Column('written_by_id', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['org_id'], ['organisations.id'], name=op.f('fk_skm_follow_ups_org_id_organisations')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_skm_follow_ups_unit_id_units')),
    sa.ForeignKeyConstraint(['written_by_id'], ['people.id'], name=op.f('fk_skm_follow_ups_written_by_id_people')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_skm_follow_ups')),
    sa.UniqueConstraint('unit_id', 'starts_on', 'ends_on', 'unsur', name=op.f('uq_skm_follow_ups_unit_id_starts_on_ends_on_unsur'))
    )
    with op.batch_alter_table('skm_follow_ups', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_skm_follow_ups_org_id'), ['org_id'], unique=False)

    op.create_table('trainings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('provider', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.Enum('training', 'course', 'seminar', 'mentoring', 'other', name='trainingkind', native_enum=False, length=32), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('hours', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('submitted', 'verified', 'rejected', name='trainingstatus', native_enum=False, length=32), nullable=False),
    sa.Column('verified_by_id', sa.Integer(), nullable=True),
    sa.Column('verified_at', sa.DateTime(), nullable=True),
    sa.Column('decision_note', sa.String(length=500), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=True),
    sa.Column('content_type', sa.String(length=100), nullable=True),
    sa.Column('size', sa.Integer(), nullable=True),
    sa.Column('storage_key', sa.String(length=255), nullable=True),
    sa.Column('sha256', sa.String(length=64), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('ends_on >= starts_on', name=op.f('ck_trainings_training_dates_ordered')),
    sa.CheckConstraint('hours > 0', name=op.f('ck_trainings_training_hours_positive')),
    sa.ForeignKeyConstraint(['org_id'], ['organisations.id'], name=op.f('fk_trainings_org_id_organisations')),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_trainings_person_id_people')),
    sa.ForeignKeyConstraint(['verified_by_id'], ['people.id'], name=op.f('fk_trainings_verified_by_id_people')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_trainings'))
    )
    with op.batch_alter_table('trainings', schema=None) as batch_op:
        batch_op.create_index('ix_trainings_org_person_ends', ['org_id', 'person_id', 'ends_on'], unique=False)



def downgrade():
    with op.batch_alter_table('trainings', schema=None) as batch_op:
        batch_op.drop_index('ix_trainings_org_person_ends')

    op.drop_table('trainings')
    with op.batch_alter_table('skm_follow_ups', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_skm_follow_ups_org_id'))

    op.drop_table('skm_follow_ups')
    with op.batch_alter_table('serving_officers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_serving_officers_org_id'))

    op.drop_table('serving_officers')
    with op.batch_alter_table('officer_mentions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_officer_mentions_person_id'))

    op.drop_table('officer_mentions')
    with op.batch_alter_table('mentoring_pairs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mentoring_pairs_org_id'))
        batch_op.drop_index(batch_op.f('ix_mentoring_pairs_mentor_id'))
        batch_op.drop_index(batch_op.f('ix_mentoring_pairs_mentee_id'))

    op.drop_table('mentoring_pairs')
    with op.batch_alter_table('citizen_messages', schema=None) as batch_op:
        batch_op.drop_index('ix_citizen_messages_unit_status')
        batch_op.drop_index('ix_citizen_messages_org_status')

    op.drop_table('citizen_messages')
    op.drop_table('development_settings')
