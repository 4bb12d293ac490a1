"""Indexes the dashboards need on tables other domains own.

The organisation dashboard aggregates a month of every person's activities per unit: days
logged and late submissions. This index serves it as an index-only scan over the month (org,
date range), carrying the person and the late flag, without touching the table.
"""

import sqlalchemy as sa

from app.activities.models import Activity

ACTIVITIES_ORG_DATE = sa.Index("ix_activities_org_date_person", Activity.org_id, Activity.date,
                               Activity.person_id, Activity.is_late)
