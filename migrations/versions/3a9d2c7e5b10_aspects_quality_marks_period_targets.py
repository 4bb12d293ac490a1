"""Aspect-aware realisation: quality marks on activities, due dates and period targets.

Revision ID: 3a9d2c7e5b10
Revises: 2b3d7829ba78
Create Date: 2026-12-10 09:00:00.000000

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '3a9d2c7e5b10'
down_revision = '2b3d7829ba78'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.add_column(sa.Column('quality', sa.SmallInteger(), nullable=True))

    with op.batch_alter_table('indicators', schema=None) as batch_op:
        batch_op.add_column(sa.Column('due_date', sa.Date(), nullable=True))

    op.create_table('indicator_period_targets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('indicator_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('quarter', 'month', name='periodkind', native_enum=False, length=32), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('target', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['indicator_id'], ['indicators.id'], name=op.f('fk_indicator_period_targets_indicator_id_indicators')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_indicator_period_targets')),
    sa.UniqueConstraint('indicator_id', 'number', name=op.f('uq_indicator_period_targets_indicator_id_number'))
    )
    with op.batch_alter_table('indicator_period_targets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_indicator_period_targets_indicator_id'), ['indicator_id'], unique=False)


def downgrade():
    with op.batch_alter_table('indicator_period_targets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_indicator_period_targets_indicator_id'))

    op.drop_table('indicator_period_targets')
    with op.batch_alter_table('indicators', schema=None) as batch_op:
        batch_op.drop_column('due_date')

    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.drop_column('quality')
