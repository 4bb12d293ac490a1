"""bench/results.py: the figures of one `make bench` run and the table it ends on."""

import json

from bench import results


def test_figures_gather_in_one_file_and_print_as_one_table(tmp_path):
    path = tmp_path / "latest.json"
    results.reset(path)
    results.record("recap_1m", "team recap, p50", value=30.0, unit="ms", reference=1.5,
                   reference_label="GET /healthz p50", higher_is_better=False, path=path)
    results.record("activity_post_postgresql", "activity POST, PostgreSQL", value=500.0,
                   unit="req/s", reference=2000.0, reference_label="GET /healthz",
                   settings="gunicorn -w 4", path=path)
    results.record("activity_post_postgresql", "activity POST, PostgreSQL", value=520.0,
                   unit="req/s", reference=2080.0, reference_label="GET /healthz", path=path)

    data = json.loads(path.read_text())
    assert data["machine"]["cores"] >= 1
    assert list(data["figures"]) == ["recap_1m", "activity_post_postgresql"]
    assert data["figures"]["activity_post_postgresql"]["ratio"] == 0.25
    assert data["figures"]["recap_1m"]["ratio"] == 20.0
    text = results.table(data)
    lines = text.splitlines()
    post = next(line for line in lines if line.startswith("activity POST"))
    assert "520" in post and "2,080" in post and "0.25" in post and "GET /healthz" in post
    recap = next(line for line in lines if line.startswith("team recap"))
    assert lines.index(post) < lines.index(recap)  # the table's order, not the recording's
    assert "20.00" in recap
    assert f"machine: {data['machine']['cores']} cores" in text
    assert "not measured in this run:" in text and "deadline_day" in text


def test_a_figure_without_a_reference_has_no_ratio(tmp_path):
    path = tmp_path / "latest.json"
    results.record("lighthouse", "Lighthouse", value=None, unit="score", reference=90,
                   path=path)
    figure = json.loads(path.read_text())["figures"]["lighthouse"]
    assert figure["ratio"] is None
    assert "Lighthouse" in results.table(json.loads(path.read_text()))
