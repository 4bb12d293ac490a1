"""Trainings asked in a coaching plan, answered by a recorded training.

Revision ID: 3f6b2a9c8d14
Revises: c55fdfd98ffd
Create Date: 2026-12-03 17:45:00.000000

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '3f6b2a9c8d14'
down_revision = 'c55fdfd98ffd'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'coaching_plan_trainings',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('plan_id', sa.Integer(), nullable=False),
        sa.Column('title', sa.String(length=300), nullable=False),
        sa.Column('kind', sa.Enum('training', 'course', 'seminar', 'mentoring', 'other',
                                  name='trainingkind', native_enum=False, length=32),
                  nullable=False),
        sa.Column('hours', sa.Integer(), nullable=True),
        sa.Column('asked_by_id', sa.Integer(), nullable=False),
        sa.Column('asked_at', sa.DateTime(), nullable=False),
        sa.Column('training_id', sa.Integer(), nullable=True),
        sa.Column('attached_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['plan_id'], ['coaching_plans.id'],
                                name=op.f('fk_coaching_plan_trainings_plan_id_coaching_plans')),
        sa.ForeignKeyConstraint(['asked_by_id'], ['people.id'],
                                name=op.f('fk_coaching_plan_trainings_asked_by_id_people')),
        sa.ForeignKeyConstraint(['training_id'], ['trainings.id'],
                                name=op.f('fk_coaching_plan_trainings_training_id_trainings')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_coaching_plan_trainings')),
        sa.UniqueConstraint('training_id', name=op.f('uq_coaching_plan_trainings_training_id')))
    with op.batch_alter_table('coaching_plan_trainings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_coaching_plan_trainings_plan_id'), ['plan_id'],
                              unique=False)


def downgrade():
    op.drop_table('coaching_plan_trainings')
