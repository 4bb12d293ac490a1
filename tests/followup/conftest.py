from tests.evaluations.conftest import as_, clock  # noqa: F401
