"""The push outbox: notifications.pushed_at and the per-device claims (push_deliveries).

Revision ID: 7c41e2d9a0b5
Revises: 4c8e1f2a9d37
Create Date: 2026-12-03 14:20:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '7c41e2d9a0b5'
down_revision = '4c8e1f2a9d37'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pushed_at', sa.DateTime(), nullable=True))
        batch_op.create_index('ix_notifications_pushed_at_created_at',
                              ['pushed_at', 'created_at'], unique=False)
    # What was raised before the outbox existed was handed to the queue already.
    op.execute("UPDATE notifications SET pushed_at = created_at")

    op.create_table('push_deliveries',
    sa.Column('notification_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'),
              nullable=False),
    sa.Column('subscription_id', sa.Integer(), nullable=False),
    sa.Column('claimed_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['notification_id'], ['notifications.id'],
                            name=op.f('fk_push_deliveries_notification_id_notifications'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['subscription_id'], ['push_subscriptions.id'],
                            name=op.f('fk_push_deliveries_subscription_id_push_subscriptions'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('notification_id', 'subscription_id',
                            name=op.f('pk_push_deliveries'))
    )


def downgrade():
    op.drop_table('push_deliveries')
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_index('ix_notifications_pushed_at_created_at')
        batch_op.drop_column('pushed_at')
