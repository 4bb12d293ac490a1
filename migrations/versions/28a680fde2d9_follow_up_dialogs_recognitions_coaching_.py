"""Follow-up after the predikat: performance dialogs and their actions, recognitions, coaching
plans and sessions, objections, and the organisation's follow-up policy.

Revision ID: 28a680fde2d9
Revises: 9b7e4d2c1a60
Create Date: 2026-12-03 16:08:34.676916

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '28a680fde2d9'
down_revision = '9b7e4d2c1a60'
branch_labels = None
depends_on = None

PREDIKAT = ('sangat_baik', 'baik', 'butuh_perbaikan', 'kurang_misconduct', 'sangat_kurang')
RATING = ('di_atas', 'sesuai', 'di_bawah')


def _enum(name, values):
    return sa.Enum(*values, name=name, native_enum=False, length=32)


def _fk(table, column, target):
    return sa.ForeignKeyConstraint(
        [column], [f'{target}.id'], name=op.f(f'fk_{table}_{column}_{target}'))


def _column(name, values, enum_name, nullable=False):
    return sa.Column(name, _enum(enum_name, values), nullable=nullable)


def _index(table, *columns, name=None):
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.create_index(name or batch_op.f(f'ix_{table}_{columns[0]}'), list(columns),
                              unique=False)


def upgrade():
    op.create_table(
        'follow_up_policies',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('org_id', sa.Integer(), nullable=False),
        sa.Column('objection_days', sa.Integer(), nullable=False),
        _fk('follow_up_policies', 'org_id', 'organisations'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_follow_up_policies')),
        sa.UniqueConstraint('org_id', name=op.f('uq_follow_up_policies_org_id')))

    op.create_table(
        'coaching_plans',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('org_id', sa.Integer(), nullable=False),
        sa.Column('evaluation_id', sa.Integer(), nullable=False),
        sa.Column('person_id', sa.Integer(), nullable=False),
        sa.Column('supervisor_id', sa.Integer(), nullable=True),
        _column('predikat', PREDIKAT, 'predikat'),
        _column('status', ('open', 'closed', 'cancelled'), 'planstatus'),
        sa.Column('goals', sa.Text(), nullable=False),
        sa.Column('training', sa.Text(), nullable=False),
        sa.Column('review_on', sa.Date(), nullable=True),
        _column('result', ('improved', 'partly', 'not_improved'), 'planresult', True),
        sa.Column('outcome', sa.Text(), nullable=False),
        sa.Column('closed_at', sa.DateTime(), nullable=True),
        sa.Column('closed_by_id', sa.Integer(), nullable=True),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        _fk('coaching_plans', 'closed_by_id', 'people'),
        _fk('coaching_plans', 'evaluation_id', 'evaluations'),
        _fk('coaching_plans', 'org_id', 'organisations'),
        _fk('coaching_plans', 'person_id', 'people'),
        _fk('coaching_plans', 'supervisor_id', 'people'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_coaching_plans')),
        sa.UniqueConstraint('evaluation_id', name=op.f('uq_coaching_plans_evaluation_id')))
    _index('coaching_plans', 'org_id')
    _index('coaching_plans', 'review_on')

    op.create_table(
        'objections',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('org_id', sa.Integer(), nullable=False),
        sa.Column('evaluation_id', sa.Integer(), nullable=False),
        sa.Column('person_id', sa.Integer(), nullable=False),
        sa.Column('appraiser_id', sa.Integer(), nullable=False),
        sa.Column('decider_id', sa.Integer(), nullable=False),
        sa.Column('reasons', sa.Text(), nullable=False),
        _column('status', ('pending', 'kept', 'changed'), 'objectionstatus'),
        _column('hasil_kerja_before', RATING, 'rating'),
        _column('perilaku_kerja_before', RATING, 'rating'),
        _column('predikat_before', PREDIKAT, 'predikat'),
        _column('hasil_kerja_after', RATING, 'rating', True),
        _column('perilaku_kerja_after', RATING, 'rating', True),
        _column('predikat_after', PREDIKAT, 'predikat', True),
        sa.Column('decision_reasons', sa.Text(), nullable=False),
        sa.Column('decided_by_id', sa.Integer(), nullable=True),
        sa.Column('decided_at', sa.DateTime(), nullable=True),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        _fk('objections', 'appraiser_id', 'people'),
        _fk('objections', 'decided_by_id', 'people'),
        _fk('objections', 'decider_id', 'people'),
        _fk('objections', 'evaluation_id', 'evaluations'),
        _fk('objections', 'org_id', 'organisations'),
        _fk('objections', 'person_id', 'people'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_objections')),
        sa.UniqueConstraint('evaluation_id', name=op.f('uq_objections_evaluation_id')))
    _index('objections', 'decider_id')
    _index('objections', 'org_id')

    op.create_table(
        'performance_dialogs',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('org_id', sa.Integer(), nullable=False),
        sa.Column('person_id', sa.Integer(), nullable=False),
        sa.Column('supervisor_id', sa.Integer(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=False),
        sa.Column('period_id', sa.Integer(), nullable=True),
        sa.Column('rhk_id', sa.Integer(), nullable=True),
        sa.Column('held_on', sa.Date(), nullable=False),
        sa.Column('topic', sa.String(length=200), nullable=False),
        sa.Column('notes', sa.Text(), nullable=False),
        sa.Column('person_confirmed_at', sa.DateTime(), nullable=True),
        sa.Column('supervisor_confirmed_at', sa.DateTime(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        _fk('performance_dialogs', 'created_by_id', 'people'),
        _fk('performance_dialogs', 'org_id', 'organisations'),
        _fk('performance_dialogs', 'period_id', 'evaluation_periods'),
        _fk('performance_dialogs', 'person_id', 'people'),
        _fk('performance_dialogs', 'rhk_id', 'rhks'),
        _fk('performance_dialogs', 'supervisor_id', 'people'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_performance_dialogs')))
    _index('performance_dialogs', 'org_id', 'person_id',
           name='ix_performance_dialogs_org_id_person_id')
    _index('performance_dialogs', 'supervisor_id')

    op.create_table(
        'recognitions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('org_id', sa.Integer(), nullable=False),
        sa.Column('evaluation_id', sa.Integer(), nullable=False),
        sa.Column('person_id', sa.Integer(), nullable=False),
        _column('predikat', PREDIKAT, 'predikat'),
        sa.Column('number', sa.String(length=40), nullable=False),
        sa.Column('issued_at', sa.DateTime(), nullable=False),
        sa.Column('revoked_at', sa.DateTime(), nullable=True),
        _fk('recognitions', 'evaluation_id', 'evaluations'),
        _fk('recognitions', 'org_id', 'organisations'),
        _fk('recognitions', 'person_id', 'people'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_recognitions')),
        sa.UniqueConstraint('evaluation_id', name=op.f('uq_recognitions_evaluation_id')))
    _index('recognitions', 'org_id')

    op.create_table(
        'coaching_sessions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('plan_id', sa.Integer(), nullable=False),
        sa.Column('scheduled_on', sa.Date(), nullable=False),
        sa.Column('held_on', sa.Date(), nullable=True),
        sa.Column('notes', sa.Text(), nullable=False),
        _fk('coaching_sessions', 'plan_id', 'coaching_plans'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_coaching_sessions')))
    _index('coaching_sessions', 'plan_id')
    _index('coaching_sessions', 'scheduled_on')

    op.create_table(
        'dialog_actions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('dialog_id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('description', sa.String(length=500), nullable=False),
        sa.Column('due_on', sa.Date(), nullable=False),
        sa.Column('done_at', sa.DateTime(), nullable=True),
        _fk('dialog_actions', 'dialog_id', 'performance_dialogs'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_dialog_actions')))
    _index('dialog_actions', 'dialog_id')
    _index('dialog_actions', 'due_on')


def downgrade():
    for table in ('dialog_actions', 'coaching_sessions', 'recognitions', 'performance_dialogs',
                  'objections', 'coaching_plans', 'follow_up_policies'):
        op.drop_table(table)
