"""drop the activities org_id index: ix_activities_org_date_person leads with org_id

Revision ID: 7c3e9b1f4a52
Revises: 2d14e5c20957
Create Date: 2026-11-24 01:20:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '7c3e9b1f4a52'
down_revision = '2d14e5c20957'
branch_labels = None
depends_on = None


def upgrade():
    # Every lookup by organisation is served by ix_activities_org_date_person, whose first
    # column is org_id; the single-column index only cost each new activity one more write.
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.drop_index('ix_activities_org_id')


def downgrade():
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.create_index('ix_activities_org_id', ['org_id'], unique=False)
