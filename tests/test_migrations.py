"""Migrations go from empty to head and back on both databases, and match the models."""

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from app.core.partitions import include_object
from app.extensions import db
from tests import support


@pytest.fixture(params=["sqlite", "postgresql"])
def scratch_app(request, tmp_path, make_app):
    if request.param == "postgresql" and not support.postgres_available():
        from tests.conftest import unavailable
        unavailable("PostgreSQL is not reachable")
    with support.temporary_database(request.param, tmp_path) as url:
        app = make_app({"DATABASE_URL": url})
        with app.app_context():
            yield app
            db.session.remove()
            db.engine.dispose()


def model_drift(metadata) -> list:
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True,
                                                         "include_object": include_object})
        return compare_metadata(context, metadata)


def table_names() -> set[str]:
    """The tables of the models (PostgreSQL's partitions of activities and its key table
    are the database's shape of one model, see app/core/partitions.py)."""
    names = set(sa.inspect(db.engine).get_table_names()) - {"alembic_version"}
    return {name for name in names if include_object(None, name, "table", True, None)}


def test_upgrade_downgrade_upgrade(scratch_app):
    upgrade()
    assert table_names() == set(db.metadata.tables)
    downgrade(revision="base")
    assert table_names() == set()
    upgrade()
    assert table_names() == set(db.metadata.tables)


def test_models_and_migrations_do_not_drift(scratch_app):
    upgrade()
    assert model_drift(db.metadata) == []


def test_drift_check_notices_a_column_missing_from_migrations(scratch_app):
    upgrade()
    metadata = sa.MetaData()
    for table in db.metadata.tables.values():
        table.to_metadata(metadata)
    metadata.tables["people"].append_column(sa.Column("nickname", sa.String(40)))
    drift = model_drift(metadata)
    assert [(d[0], d[3].name) for d in drift if d[0] == "add_column"] == \
        [("add_column", "nickname")]
