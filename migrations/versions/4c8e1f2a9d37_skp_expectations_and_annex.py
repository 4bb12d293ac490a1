"""SKP planning complete: the leader's specific expectations per BerAKHLAK value and the
lampiran (resource support, accountability scheme, consequences).

Revision ID: 4c8e1f2a9d37
Revises: 3a9d2c7e5b10
Create Date: 2026-12-12 09:00:00.000000

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '4c8e1f2a9d37'
down_revision = '3a9d2c7e5b10'
branch_labels = None
depends_on = None

VALUES = ('berorientasi_pelayanan', 'akuntabel', 'kompeten', 'harmonis', 'loyal', 'adaptif',
          'kolaboratif')


def upgrade():
    with op.batch_alter_table('skps', schema=None) as batch_op:
        batch_op.add_column(sa.Column('resource_support', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('accountability', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('consequences', sa.Text(), nullable=True))

    op.create_table('skp_expectations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('skp_id', sa.Integer(), nullable=False),
    sa.Column('value', sa.Enum(*VALUES, name='value', native_enum=False, length=32), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['skp_id'], ['skps.id'], name=op.f('fk_skp_expectations_skp_id_skps')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_skp_expectations')),
    sa.UniqueConstraint('skp_id', 'value', name=op.f('uq_skp_expectations_skp_id_value'))
    )
    with op.batch_alter_table('skp_expectations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_skp_expectations_skp_id'), ['skp_id'], unique=False)


def downgrade():
    with op.batch_alter_table('skp_expectations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_skp_expectations_skp_id'))
    op.drop_table('skp_expectations')

    with op.batch_alter_table('skps', schema=None) as batch_op:
        batch_op.drop_column('consequences')
        batch_op.drop_column('accountability')
        batch_op.drop_column('resource_support')
