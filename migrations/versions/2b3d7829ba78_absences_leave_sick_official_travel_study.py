"""Absences: cuti (PP 11/2017 kinds), sakit, dinas luar, tugas belajar.

Revision ID: 2b3d7829ba78
Revises: 245b78d6fdba
Create Date: 2026-12-03 13:12:57.198782

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '2b3d7829ba78'
down_revision = '245b78d6fdba'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('absences',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('cuti_tahunan', 'cuti_besar', 'cuti_sakit', 'cuti_melahirkan', 'cuti_alasan_penting', 'cuti_bersama', 'cuti_luar_tanggungan', 'sakit', 'dinas_luar', 'tugas_belajar', name='absencekind', native_enum=False, length=32), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=False),
    sa.Column('status', sa.Enum('requested', 'approved', 'rejected', 'cancelled', name='absencestatus', native_enum=False, length=32), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('decision_note', sa.String(length=500), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['people.id'], name=op.f('fk_absences_created_by_id_people')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['people.id'], name=op.f('fk_absences_decided_by_id_people')),
    sa.ForeignKeyConstraint(['org_id'], ['organisations.id'], name=op.f('fk_absences_org_id_organisations')),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_absences_person_id_people')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_absences'))
    )
    with op.batch_alter_table('absences', schema=None) as batch_op:
        batch_op.create_index('ix_absences_org_id_starts_on', ['org_id', 'starts_on'], unique=False)
        batch_op.create_index('ix_absences_person_id_starts_on', ['person_id', 'starts_on'], unique=False)



def downgrade():
    with op.batch_alter_table('absences', schema=None) as batch_op:
        batch_op.drop_index('ix_absences_person_id_starts_on')
        batch_op.drop_index('ix_absences_org_id_starts_on')

    op.drop_table('absences')
