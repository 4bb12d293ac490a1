"""Declarative base shared by every domain's models."""

import uuid
from datetime import UTC, datetime

import sqlalchemy as sa
import sqlalchemy.orm as so

#: Stable constraint names, so Alembic produces the same migrations on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """Naive UTC now: every timestamp is stored in UTC."""
    return datetime.now(UTC).replace(tzinfo=None)


class Base(so.DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


class TimestampMixin:
    created_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)
    updated_at: so.Mapped[datetime] = so.mapped_column(default=utcnow, onupdate=utcnow)


def enum_column(kind) -> sa.Enum:
    """A Python enum stored as its values in a VARCHAR (no native type to migrate)."""
    return sa.Enum(kind, native_enum=False, length=32,
                   values_callable=lambda members: [m.value for m in members])


def new_uuid() -> str:
    """A random UUID as text: ids that cannot be counted through."""
    return str(uuid.uuid4())
