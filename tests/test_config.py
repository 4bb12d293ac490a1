import stat

from app.config import database_uri, ensure_instance_config, from_environment


def test_first_run_writes_a_secret_key_once(tmp_path):
    path = ensure_instance_config(str(tmp_path / "instance"))
    first = path.read_text()
    assert "SECRET_KEY = '" in first
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    ensure_instance_config(str(tmp_path / "instance"))
    assert path.read_text() == first


def test_environment_overrides_are_typed():
    values = from_environment({"DATABASE_URL": "postgresql://db/x", "SESSION_COOKIE_SECURE": "1",
                               "PROXY_FIX": "2", "UNRELATED": "x"})
    assert values == {"DATABASE_URL": "postgresql://db/x", "SESSION_COOKIE_SECURE": True,
                      "PROXY_FIX": 2}


def test_database_uri_defaults_to_sqlite_in_instance_and_drives_psycopg(tmp_path):
    assert database_uri({}, str(tmp_path)) == f"sqlite:///{tmp_path}/kinerjaku.sqlite3"
    assert database_uri({"DATABASE_URL": "postgres://u@h/db"}, "") == \
        "postgresql+psycopg://u@h/db"


def test_overrides_win_over_defaults(tmp_path, make_app):
    app = make_app({"DATABASE_URL": f"sqlite:///{tmp_path}/a.db",
                    "LOGIN_LIMIT_PER_NIP": "1/hour"})
    assert app.config["LOGIN_LIMIT_PER_NIP"] == "1/hour"
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
