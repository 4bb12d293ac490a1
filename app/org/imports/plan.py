"""What an import would do, row by row, with its summary; shared by people and units."""

from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field

from app.org.lines import supervisor_loop

ACTIONS = ("create", "update", "unchanged", "deactivate", "error")
#: The keys of a row the API answers with (the rest is for applying it).
ROW_KEYS = ("row", "nip", "code", "action", "changes", "errors")
#: Values per IN (...) list: well under SQLite's and PostgreSQL's parameter limits.
CHUNK = 900


def chunks(items: list, size: int = CHUNK):
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start:start + size]


@dataclass
class Plan:
    kind: str
    rows: list[dict] = field(default_factory=list)

    def add(self, row: dict) -> None:
        self.rows.append(row)

    @property
    def summary(self) -> dict[str, int]:
        counts = dict.fromkeys(ACTIONS, 0)
        for row in self.rows:
            counts[row["action"]] += 1
        return {"create": counts["create"], "update": counts["update"],
                "unchanged": counts["unchanged"], "deactivate": counts["deactivate"],
                "errors": counts["error"]}

    @property
    def has_errors(self) -> bool:
        return any(row["action"] == "error" for row in self.rows)

    def result(self) -> dict:
        """``{"summary", "rows"}`` as the API answers it."""
        return {"summary": self.summary,
                "rows": [{key: row[key] for key in ROW_KEYS if key in row}
                         for row in self.rows]}


def find_loops(parent_of: Mapping[Hashable, Hashable | None],
               starts: Iterable[Hashable]) -> set:
    """The keys of ``starts`` that lie on a loop of ``parent_of`` (a supervisor or parent
    mapping).

    Each chain is followed once: a key whose chain ends (at None or at a key already known
    to end) is remembered, so a 10,000-person line costs one pass, not one walk per person.
    """
    off_loop, on_loop = set(), set()
    for start in starts:
        path, seen, key = [], set(), start
        while key is not None and not (key in off_loop or key in seen or key in on_loop):
            seen.add(key)
            path.append(key)
            key = parent_of.get(key)
        if key is None or key in off_loop:
            off_loop.update(path)
        elif key in seen:  # a new loop: the part of the path from ``key`` on
            loop = path[path.index(key):]
            on_loop.update(loop)
            off_loop.update(path[:path.index(key)])  # leads into a loop, not part of it
        else:  # ran into a known loop
            off_loop.update(path)
    return on_loop & set(starts)


def repeated(rows: list[dict]) -> dict[str, list[int]]:
    """Keys (NIP or unit code) found on more than one row, with those rows' numbers."""
    numbers: dict[str, list[int]] = {}
    for row in rows:
        if row["key"]:
            numbers.setdefault(row["key"], []).append(row["row"])
    return {key: found for key, found in numbers.items() if len(found) > 1}


def mark_loops(rows: list[dict], stored: dict, column: str, columns: set[str],
               message: Callable[[str], str]) -> None:
    """Add ``message(loop)`` to every row on a loop of the merged mapping: the database's
    ``stored`` links (key -> parent key), overridden by the file's ``column`` when the file
    has that column. A line or a tree must stay acyclic across both."""
    mapping = dict(stored)
    for row in rows:
        if row["key"] and column in columns:
            mapping[row["key"]] = row.get(column)
        elif row["key"]:
            mapping.setdefault(row["key"], None)
    looping = find_loops(mapping, [row["key"] for row in rows if row["key"]])
    for row in rows:
        if row["key"] in looping:
            row["errors"].append(message(" → ".join(supervisor_loop(mapping, row["key"]))))
