"""The figures of one ``make bench`` run, gathered in bench/results/latest.json.

Each bench script calls :func:`record` with its figures, each beside the reference it was
measured against in the same run; ``python bench/results.py --reset`` starts a run (the
machine's cores go in then), ``python bench/results.py`` prints the table at its end.

    record("activity_post_sqlite", "activity POST, SQLite", value=812, reference=2400,
           unit="req/s", reference_label="GET /healthz", settings="gthread -w 2 -t 8")
"""

import argparse
import json
import os
import platform
import sys
from datetime import UTC, datetime
from pathlib import Path

FOLDER = Path(__file__).resolve().parent / "results"
LATEST = FOLDER / "latest.json"

#: The table's rows, in this order; figures recorded under other keys follow.
ORDER = ["activity_post_sqlite", "activity_post_postgresql", "batch_sync", "recap_1m",
         "progress_1m", "sse_1000", "push_10000", "import_10000", "dashboards_10000",
         "deadline_day", "lighthouse"]


def _load(path: Path = LATEST) -> dict:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return {}


def machine() -> dict:
    return {"cores": os.cpu_count(), "python": platform.python_version(),
            "platform": platform.platform()}


def reset(path: Path = LATEST) -> None:
    path.parent.mkdir(exist_ok=True)
    path.write_text(json.dumps({"started": datetime.now(UTC).isoformat(timespec="seconds"),
                                "machine": machine(), "figures": {}}, indent=2) + "\n")


def record(key: str, label: str, *, value: float, unit: str, reference: float | None = None,
           reference_label: str = "", settings: str = "", higher_is_better: bool = True,
           extra: dict | None = None, path: Path = LATEST) -> None:
    """Add (or replace) one figure of this run."""
    data = _load(path) or {"machine": machine(), "figures": {}}
    data.setdefault("figures", {})[key] = {
        "label": label, "value": value, "unit": unit, "reference": reference,
        "reference_label": reference_label, "settings": settings,
        "higher_is_better": higher_is_better,
        "ratio": (value / reference) if value is not None and reference else None,
        **(extra or {})}
    data["machine"] = data.get("machine") or machine()
    path.parent.mkdir(exist_ok=True)
    path.write_text(json.dumps(data, indent=2, sort_keys=False) + "\n")


def _number(value) -> str:
    if value is None:
        return "-"
    if isinstance(value, float) and value < 10:
        return f"{value:,.2f}"
    return f"{value:,.0f}"


def table(data: dict) -> str:
    figures = data.get("figures", {})
    keys = [k for k in ORDER if k in figures] + [k for k in figures if k not in ORDER]
    head = f"{'figure':<50}{'value':>12} {'unit':<8}{'reference':>12}  {'ratio':>7}  against"
    lines = [head, "-" * len(head)]
    for key in keys:
        f = figures[key]
        ratio = f"{f['ratio']:.2f}" if f.get("ratio") is not None else "-"
        lines.append(f"{f['label']:<50}{_number(f['value']):>12} {f['unit']:<8}"
                     f"{_number(f.get('reference')):>12}  {ratio:>7}  "
                     f"{f.get('reference_label', '')}")
    missing = [k for k in ORDER if k not in figures]
    cores = data.get("machine", {}).get("cores")
    lines.append("")
    lines.append(f"machine: {cores} cores, Python {data.get('machine', {}).get('python')}")
    for key in keys:
        if figures[key].get("settings"):
            lines.append(f"  {figures[key]['label']}: {figures[key]['settings']}")
    if missing:
        lines.append("not measured in this run: " + ", ".join(missing))
    return "\n".join(lines)


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reset", action="store_true", help="start a new run")
    parser.add_argument("--file", type=Path, default=LATEST)
    args = parser.parse_args(argv)
    if args.reset:
        reset(args.file)
        return
    data = _load(args.file)
    if not data:
        sys.exit(f"no figures in {args.file}")
    print(table(data))


if __name__ == "__main__":
    main(sys.argv[1:])
