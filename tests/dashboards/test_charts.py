"""The SVG charts: accessible names, numbers as text, escaping, bars never past 100 %."""

import re

from app.dashboards import charts


def test_bar_chart_is_a_named_image_with_its_numbers_as_text():
    svg = str(charts.bar_chart("c1", "Kepatuhan", [("Ani", 50, "50 %"), ("Budi", None, "–")]))
    assert re.search(r'<svg class="chart" id="c1" role="img"[^>]*aria-labelledby="c1-title '
                     r'c1-desc"', svg)
    assert '<title id="c1-title">Kepatuhan</title>' in svg
    assert '<figcaption class="chart-caption">Kepatuhan</figcaption>' in svg
    assert ">50 %</text>" in svg and ">–</text>" in svg
    bars = re.findall(r'class="chart-bar" fill="#0b5394"', svg)
    widths = re.findall(r'width="([\d.]+)" height="14" class="chart-bar"', svg)
    assert len(bars) == 2 and widths == [str(charts.BAR / 2), "0"]


def test_values_past_the_maximum_draw_a_full_bar_and_tell_the_real_figure():
    svg = str(charts.bar_chart("c2", "Realisasi", [("Dokumen", 125, "125 %")]))
    assert re.search(rf'width="{charts.BAR}" height="14" class="chart-bar"', svg)
    assert ">125 %</text>" in svg


def test_labels_and_titles_are_escaped():
    svg = str(charts.bar_chart("c3", "<b>judul</b>", [("<script>x</script>", 1, "1")]))
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert "&lt;b&gt;judul&lt;/b&gt;" in svg


def test_stacked_bars_number_the_segments_as_the_legend_does():
    keys = [("sangat_baik", "Sangat Baik"), ("baik", "Baik"), ("butuh_perbaikan", "BP")]
    svg = str(charts.stacked_bar_chart("c4", "Predikat", [("Seksi", {"baik": 6, "sangat_baik": 2,
                                                                     "butuh_perbaikan": 0})],
                                       keys))
    assert ">1 = Sangat Baik</text>" in svg and ">3 = BP</text>" in svg
    # Two segments (nothing drawn for zero), 2 and 6 of 8, and the total after the bar.
    widths = re.findall(r'<rect x="[\d.]+" y="\d+" width="([\d.]+)" height="14" fill=', svg)
    assert widths == [str(charts.BAR * 2 / 8), str(charts.BAR * 6 / 8)]
    assert ">2</text>" in svg and ">6</text>" in svg and ">n = 8</text>" in svg
