"""The pure helpers of bench/performance.py: no servers, no timing."""
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
import performance as perf  # noqa: E402


def test_percentile_interpolates_like_numpy():
    values = [5, 1, 4, 2, 3]  # unsorted on purpose
    assert perf.percentile(values, 0) == 1
    assert perf.percentile(values, 50) == 3
    assert perf.percentile(values, 100) == 5
    assert perf.percentile(values, 95) == pytest.approx(4.8)
    assert perf.percentile([1, 2, 3, 4], 50) == pytest.approx(2.5)
    assert perf.percentile([7], 95) == 7


def test_percentile_of_nothing_and_out_of_range():
    assert perf.percentile([], 50) is None
    with pytest.raises(ValueError):
        perf.percentile([1], 101)


def test_summarise_reports_milliseconds():
    figures = perf.summarise([0.1, 0.2, 0.3])
    assert figures["n"] == 3
    assert figures["p50"] == pytest.approx(200)
    assert figures["max"] == pytest.approx(300)
    assert perf.summarise([])["p95"] is None


def test_ratio_is_assistant_over_stock():
    assert perf.ratio(45, 90) == pytest.approx(0.5)
    assert perf.ratio(None, 90) is None
    assert perf.ratio(45, None) is None
    assert perf.ratio(45, 0) is None


def test_row_target_check():
    faster = perf.Row("Full turn p50", "ms", 90, 45, "≤ 0.6× stock", lambda a, s, r: r <= 0.6)
    slower = perf.Row("Full turn p50", "ms", 90, 80, "≤ 0.6× stock", lambda a, s, r: r <= 0.6)
    missing = perf.Row("Full turn p50", "ms", None, 80, "≤ 0.6× stock", lambda a, s, r: r <= 0.6)
    informative = perf.Row("First turn", "ms", 90, 80)
    assert faster.met is True
    assert slower.met is False
    assert missing.met is False  # a missing figure never meets a target
    assert informative.met is None


def test_format_table_has_ratios_and_verdicts():
    table = perf.format_table([
        perf.Row("Full turn, 1 user, p50", "ms", 90.0, 45.0, "≤ 0.6× stock", lambda a, s, r: r <= 0.6),
        perf.Row("16 users: throughput", "turns/s", 28.0, 42.0, "≥ 2× stock", lambda a, s, r: r >= 2),
        perf.Row("Action server memory", "MB", None, 120.0),
    ])
    lines = table.splitlines()
    assert lines[0].startswith("| Metric | Stock bot | This assistant | Ratio")
    assert len(lines) == 5
    assert "| Full turn, 1 user, p50 (ms) | 90.0 | 45.0 | 0.50× | ≤ 0.6× stock | yes |" in lines
    assert "| 16 users: throughput (turns/s) | 28.0 | 42.0 | 1.50× | ≥ 2× stock | **no** |" in lines
    assert "| Action server memory (MB) | – | 120 | – |  |  |" in lines


def test_format_number():
    assert perf.format_number(None) == "–"
    assert perf.format_number(1234.5) == "1234"
    assert perf.format_number(12.345) == "12.3"
    assert perf.format_number(1.2345) == "1.23"
    assert perf.format_number(0) == "0"  # counts stay whole numbers


def test_minute_buckets():
    samples = [(0.0, 0.1), (30.0, 0.3), (61.0, 0.2), (119.0, 0.4), (125.0, 9.0)]
    minutes = perf.minute_buckets(samples, start=0.0, seconds=120)
    assert [m["minute"] for m in minutes] == [1, 2]
    assert minutes[0]["n"] == 2 and minutes[1]["n"] == 2  # the sample after the end is left out
    assert minutes[0]["throughput"] == pytest.approx(2 / 60)
    assert minutes[1]["max"] == pytest.approx(400)


def test_replace_section_keeps_the_rest():
    document = "# Title\n\nintro\n"
    once = perf.replace_section(document, "main", "table 1")
    assert once.startswith("# Title\n\nintro\n")
    assert "<!-- perf:main -->\ntable 1\n<!-- /perf:main -->" in once
    with_soak = perf.replace_section(once, "soak", "soak 1")
    twice = perf.replace_section(with_soak, "main", "table 2")
    assert "table 1" not in twice and "table 2" in twice and "soak 1" in twice
    assert twice.count("<!-- perf:main -->") == 1


def test_endpoints_point_at_our_action_server(tmp_path):
    endpoints = perf.assistant_endpoints(45678, tmp_path)
    assert "http://localhost:45678/webhook" in endpoints
    assert "5055" not in endpoints
    # A SQLite tracker store of the repository is moved into the benchmark's own folder.
    assert "var/tracker.db" not in endpoints
