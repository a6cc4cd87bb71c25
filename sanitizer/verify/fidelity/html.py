"""A run's receipt as one self-contained HTML page: the run, then production vs staging.

Everything is inline — CSS in a ``<style>``, charts as ``<svg>`` — and a Content-Security-Policy
forbids every request, so the page shows the same offline, from a CI artifact or an e-mail, and
can never call out (docs/fidelity.md, "The report"). It renders only what the receipt holds:
counts, shares, shapes and histograms; top values exist there only for ``keep`` fields.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from html import escape
from typing import Any

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
PROD, STAGE = "#3b6ea5", "#d9822b"
STYLE = """
body{font:14px/1.45 system-ui,sans-serif;margin:24px auto;max-width:1180px;color:#1d2430}
h1{font-size:22px}h2{font-size:18px;border-bottom:2px solid #ccd;padding-bottom:4px;margin-top:32px}
h3{font-size:15px;margin:18px 0 6px}table{border-collapse:collapse;margin:6px 0}
td,th{padding:2px 10px 2px 0;text-align:left;vertical-align:top}th{color:#556;font-weight:600}
.num{text-align:right;font-variant-numeric:tabular-nums}.field{border:1px solid #dde;
border-radius:6px;padding:8px 12px;margin:10px 0}.sides{display:flex;gap:24px;flex-wrap:wrap}
.side{flex:1;min-width:300px}.score{display:inline-block;padding:1px 8px;border-radius:10px;
color:#fff;font-weight:600}.good{background:#2f8a4c}.fair{background:#b8860b}.poor{background:#b53a2e}
.legend span{display:inline-block;width:10px;height:10px;margin:0 4px 0 12px}
code{background:#f2f3f7;padding:0 3px;border-radius:3px;white-space:pre}.muted{color:#667}
"""


def render(receipt: Mapping[str, Any]) -> str:
    """The whole page for one receipt (a dict, as the receipt's JSON reads)."""
    fidelity = receipt.get("fidelity") or {}
    body = [
        f"<h1>Fidelity report — run {escape(str(receipt.get('run_id')))}</h1>",
        _run_section(receipt),
        _summary(fidelity),
    ]
    for store, entry in (fidelity.get("stores") or {}).items():
        for table, table_entry in entry.get("tables", {}).items():
            body.append(_table(f"{store}.{table}", table_entry))
    if not fidelity.get("stores"):
        body.append("<p class='muted'>This run recorded no fidelity profile.</p>")
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<meta http-equiv='Content-Security-Policy' content=\"{CSP}\">"
        f"<title>sanitize report {escape(str(receipt.get('run_id')))}</title>"
        f"<style>{STYLE}</style></head><body>{''.join(body)}</body></html>\n"
    )


def _rows(rows: Iterable[Iterable[Any]], head: Iterable[str] = ()) -> str:
    header = "".join(f"<th>{escape(str(h))}</th>" for h in head)
    cells = "".join("<tr>" + "".join(_cell(c) for c in row) + "</tr>" for row in rows)
    return f"<table>{'<tr>' + header + '</tr>' if header else ''}{cells}</table>"


def _cell(value: Any) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return (
            f"<td class='num'>{value:,}</td>"
            if isinstance(value, int)
            else (f"<td class='num'>{value:.3g}</td>")
        )
    return f"<td>{value if isinstance(value, Raw) else escape(str(value))}</td>"


class Raw(str):
    """Markup built here (already escaped), put in a cell as is."""


def _run_section(receipt: Mapping[str, Any]) -> str:
    facts = [
        ("status", receipt.get("status")),
        ("started", receipt.get("started_at")),
        ("duration (s)", receipt.get("duration_seconds")),
        ("tool version", receipt.get("tool_version")),
        ("rules digest", str(receipt.get("rules_digest", ""))[:12]),
        ("key", f"{receipt.get('key_id')} ({receipt.get('key_fingerprint')})"),
    ]
    if receipt.get("error"):
        facts.append(("error", receipt["error"]))
    stages = receipt.get("stages") or {}
    retries = receipt.get("retries") or {}
    parts = ["<h2>The run</h2>", _rows(facts)]
    if stages:
        parts += ["<h3>Stages</h3>", _bars_h({k: float(v) for k, v in stages.items()}, "s")]
    parts.append(
        "<h3>Retries</h3>"
        + (_rows(sorted(retries.items()), ("step", "retries")) if retries else "<p>none</p>")
    )
    tables = receipt.get("tables") or {}
    if tables:
        rows = [(name, t.get("rows_in", 0), t.get("rows_out", 0)) for name, t in tables.items()]
        parts += ["<h3>Rows</h3>", _rows(rows, ("table", "production", "staging"))]
    parts.append(_operators(receipt))
    stores = [
        (name, o.get("objects_in", 0), o.get("objects_out", 0), o.get("dropped", 0))
        for name, o in (receipt.get("objects") or {}).items()
    ]
    if stores:
        parts += ["<h3>Objects</h3>", _rows(stores, ("rule", "in", "out", "dropped"))]
    collections = [
        (name, c.get("rows_in", 0), c.get("rows_out", 0))
        for name, c in (receipt.get("collections") or {}).items()
    ]
    if collections:
        parts += ["<h3>Vector records</h3>", _rows(collections, ("collection", "in", "out"))]
    return "".join(parts)


def _operators(receipt: Mapping[str, Any]) -> str:
    """Values each operator changed and left, over every table; entities ``detect`` found."""
    totals: dict[str, list[int]] = {}
    for table in (receipt.get("tables") or {}).values():
        for field in (table.get("fields") or {}).values():
            operator = str(field.get("operator"))
            operator = "json: {…}" if operator.startswith("json:") else operator  # paths: in rules
            entry = totals.setdefault(operator, [0, 0, 0])
            entry[0] += 1
            entry[1] += field.get("masked_values", 0)
            entry[2] += field.get("unchanged_values", 0)
    rows = [(op, *counts) for op, counts in sorted(totals.items())]
    out = "<h3>What each operator changed</h3>" + _rows(
        rows, ("operator", "fields", "values changed", "values unchanged")
    )
    entities = receipt.get("entities") or {}
    if entities:
        out += "<h3>What detect found</h3>" + _rows(sorted(entities.items()), ("entity", "found"))
    return out


def _badge(score: float | None) -> str:
    if score is None:
        return "<span class='score muted'>n/a</span>"
    grade = "good" if score >= 0.9 else "fair" if score >= 0.7 else "poor"
    return f"<span class='score {grade}'>{score:.2f}</span>"


def _summary(fidelity: Mapping[str, Any]) -> str:
    stores = fidelity.get("stores") or {}
    tables = sorted(  # largest drift first, across stores
        ((s, t, e) for s, entry in stores.items() for t, e in entry.get("tables", {}).items()),
        key=lambda item: item[2]["score"],
    )
    rows = [
        (
            Raw(f"<a href='#{escape(f'{s}.{t}')}'>{escape(f'{s}.{t}')}</a>"),
            Raw(_badge(e["score"])),
            e["rows"]["production"],
            e["rows"]["staging"],
            len(e["fields"]),
        )
        for s, t, e in tables
    ]
    check = fidelity.get("check")
    verdict = ""
    if check:
        failed = check.get("failed") or []
        verdict = (
            f"<p>Thresholds: min_score {check.get('min_score')}; "
            f"{len(failed)} field(s) below: {escape(', '.join(failed)) or 'none'}.</p>"
        )
    scores = "".join(
        f"<p>Store <b>{escape(name)}</b>: {_badge(entry.get('score'))}</p>"
        for name, entry in stores.items()
    )
    legend = (
        f"<p class='legend'>Charts:<span style='background:{PROD}'></span>production"
        f"<span style='background:{STAGE}'></span>staging</p>"
    )
    return (
        "<h2>Production vs staging</h2>"
        + scores
        + verdict
        + legend
        + _rows(rows, ("table", "score", "rows in production", "rows in staging", "fields"))
    )


def _table(name: str, entry: Mapping[str, Any]) -> str:
    head = (
        f"<h2 id='{escape(name)}'>{escape(name)} {_badge(entry['score'])}</h2>"
        f"<p>{entry['rows']['production']:,} rows in production, "
        f"{entry['rows']['staging']:,} in staging. Fields, largest drift first.</p>"
    )
    return (
        head
        + _relations(entry.get("relations") or [])
        + "".join(_field(n, f) for n, f in entry["fields"].items())
    )


def _relations(relations: list[Mapping[str, Any]]) -> str:
    """Orphan counts per relation, declared foreign keys and guessed ones."""
    if not relations:
        return ""
    rows = [
        (
            r["relation"],
            "foreign key" if r["declared"] else "by name (undeclared)",
            _orphan_text(r["production"]),
            _orphan_text(r["staging"]),
            Raw(_badge(r["score"])),
        )
        for r in relations
    ]
    head = ("relation", "kind", "orphans in production", "orphans in staging", "score")
    return "<h3>References</h3>" + _rows(rows, head)


def _orphan_text(side: Mapping[str, Any]) -> str:
    if side["orphans"] is None:
        return "not counted (too many keys)"
    return f"{side['orphans']:,} of {side['references']:,}"


GROUP_KINDS = ("objects", "metadata", "vector")  # store-level entries (verify/fidelity/stores.py)


def _field(name: str, field: Mapping[str, Any]) -> str:
    if field["kind"] in GROUP_KINDS:
        return _group(name, field)
    prod, stage = field["production"], field["staging"]
    metrics = _bars_h(field["metrics"], "", scale=1.0)
    sides = "".join(
        f"<div class='side'><h3>{label}</h3>{_facts(side)}</div>"
        for label, side in (("production", prod), ("staging", stage))
    )
    charts = [_completeness(prod, stage), _histogram("length", prod, stage)]
    if "shapes" in prod:
        charts.append(_categories("shapes", prod["shapes"], stage.get("shapes", {}), code=True))
    if "numbers" in prod:
        charts.append(_numbers(prod["numbers"], stage["numbers"]))
    if "json" in prod or "json" in stage:
        pj, sj = prod.get("json", {}), stage.get("json", {})
        charts.append(_categories("JSON key sets", pj.get("keysets", {}), sj.get("keysets", {})))
        charts.append(_categories("JSON types", pj.get("types", {}), sj.get("types", {})))
    if "top" in prod:
        charts.append(_categories("top values (keep)", prod["top"], stage.get("top", {})))
    return (
        f"<div class='field'><h3>{escape(name)} {_badge(field['score'])} "
        f"<span class='muted'>{escape(str(field['kind']))} · {escape(str(field['operator']))}"
        f"</span></h3>{metrics}<div class='sides'>{sides}</div>"
        f"<div class='sides'>{''.join(charts)}</div></div>"
    )


def _group(name: str, field: Mapping[str, Any]) -> str:
    """An object rule's objects, a collection's metadata or vectors: counts and charts."""
    prod, stage = field["production"], field["staging"]
    facts = "".join(
        f"<div class='side'><h3>{label}</h3>"
        + _rows(
            [("count", side["count"])]
            + ([("malformed", side["malformed"])] if "malformed" in side else [])
        )
        + "</div>"
        for label, side in (("production", prod), ("staging", stage))
    )
    charts = [
        _categories(title, counts, stage["categories"].get(title, {}), code=True)
        for title, counts in prod["categories"].items()
    ]
    for title, buckets in prod["buckets"].items():
        other = stage["buckets"].get(title, {})
        labels = sorted(set(buckets) | set(other), key=_bucket_order)
        charts.append(_pair_chart(title, labels, _shares(buckets, labels), _shares(other, labels)))
    return (
        f"<div class='field'><h3>{escape(name)} {_badge(field['score'])} "
        f"<span class='muted'>{escape(str(field['kind']))} · {escape(str(field['operator']))}"
        f"</span></h3>{_bars_h(field['metrics'], '', scale=1.0)}<div class='sides'>{facts}</div>"
        f"<div class='sides'>{''.join(charts)}</div></div>"
    )


def _bucket_order(key: str) -> float:
    try:
        return float(key)
    except ValueError:
        return float("inf")


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "–"


def _facts(side: Mapping[str, Any]) -> str:
    rows_ = side["rows"]
    present = rows_ - side["nulls"]
    facts = [
        ("rows", rows_),
        ("NULL", _pct(side["nulls"], rows_)),
        ("empty", _pct(side["empty"], rows_)),
        ("whitespace only", _pct(side["blank"], rows_)),
        ("distinct", side["distinct"]),
        ("duplicate share", f"{100 * side['duplicate_share']:.1f}%"),
        ("length p50/p90/p99/max", "/".join(side["length"]["quantiles"].values()) or "–"),
    ]
    if "lines" in side:
        facts.append(
            (
                "lines p50/p90/max",
                "/".join(side["lines"].get(k, "–") for k in ("p50", "p90", "max")),
            )
        )
    if "non_ascii" in side:
        facts.append(("non-ASCII", _pct(side["non_ascii"], present)))
        scripts = ", ".join(f"{k} {v:,}" for k, v in side.get("scripts", {}).items())
        if scripts:
            facts.append(("scripts", scripts))
    if "json" in side:
        j = side["json"]
        facts.append(("JSON not parsing", _pct(j.get("invalid", 0), j.get("documents", 0))))
    if "numbers" in side:
        n = side["numbers"]
        facts.append(("numbers not parsing", n["unparsed"]))
        if "min" in n:
            facts.append(("range (keep)", f"{n['min']:g} … {n['max']:g}"))
    return _rows(facts)


def _svg(width: int, height: int, inner: str, label: str) -> str:
    return (
        f"<svg class='chart' role='img' aria-label='{escape(label)}' width='{width}' "
        f"height='{height}' viewBox='0 0 {width} {height}' xmlns='http://www.w3.org/2000/svg'>"
        f"{inner}</svg>"
    )


def _bars_h(values: Mapping[str, float], unit: str, scale: float | None = None) -> str:
    """Horizontal bars with labels (stage timings, metric scores)."""
    top = scale or max(values.values(), default=1.0) or 1.0
    inner, y = [], 0
    for label, value in values.items():
        width = 220 * max(0.0, value) / top
        inner.append(
            f"<text x='0' y='{y + 12}' font-size='12'>{escape(label)}</text>"
            f"<rect x='110' y='{y + 2}' width='{width:.1f}' height='12' fill='{PROD}'/>"
            f"<text x='{114 + width:.1f}' y='{y + 12}' font-size='11'>{value:.3g}{unit}</text>"
        )
        y += 16
    return _svg(400, max(y, 16), "".join(inner), "bars")


def _pair_chart(title: str, labels: list[str], p: list[float], q: list[float]) -> str:
    """Grouped bars: a production and a staging share per label."""
    top = max(p + q + [1e-9])
    width = max(200, 26 * len(labels) + 20)
    inner = []
    for i, label in enumerate(labels):
        x = 10 + 26 * i
        for j, (value, colour) in enumerate(((p[i], PROD), (q[i], STAGE))):
            height = 80 * value / top
            inner.append(
                f"<rect x='{x + 11 * j}' y='{90 - height:.1f}' width='10' height='{height:.1f}' "
                f"fill='{colour}'><title>{escape(label)}: {value:.1%}</title></rect>"
            )
        inner.append(f"<text x='{x}' y='104' font-size='9'>{escape(label[:5])}</text>")
    chart = _svg(width, 110, "".join(inner), title)
    return f"<div><h3>{escape(title)}</h3>{chart}</div>"


def _shares(counts: Mapping[str, int], labels: list[str]) -> list[float]:
    total = sum(counts.values()) or 1
    return [counts.get(label, 0) / total for label in labels]


def _completeness(prod: Mapping[str, Any], stage: Mapping[str, Any]) -> str:
    def parts(side: Mapping[str, Any]) -> dict[str, int]:
        rest = side["rows"] - side["nulls"] - side["empty"] - side["blank"]
        return {
            "NULL": side["nulls"],
            "empty": side["empty"],
            "blank": side["blank"],
            "value": rest,
        }

    labels = ["NULL", "empty", "blank", "value"]
    p, s = parts(prod), parts(stage)
    return _pair_chart("NULL / empty / blank", labels, _shares(p, labels), _shares(s, labels))


def _histogram(title: str, prod: Mapping[str, Any], stage: Mapping[str, Any]) -> str:
    pb, sb = prod["length"]["buckets"], stage["length"]["buckets"]
    labels = sorted(set(pb) | set(sb), key=lambda k: float("inf") if k[0] == "(" else float(k))
    if len(labels) > 24:  # wide ranges: fold into 24 groups of neighbouring buckets
        size = -(-len(labels) // 24)
        groups = [labels[i : i + size] for i in range(0, len(labels), size)]
        pb = {g[0]: sum(pb.get(k, 0) for k in g) for g in groups}
        sb = {g[0]: sum(sb.get(k, 0) for k in g) for g in groups}
        labels = [g[0] for g in groups]
    return _pair_chart(title, labels, _shares(pb, labels), _shares(sb, labels))


def _categories(
    title: str, prod: Mapping[str, int], stage: Mapping[str, int], code: bool = False
) -> str:
    """A share table for categories (shapes, key sets, top values) with inline bars."""
    labels = list(dict.fromkeys([*prod, *stage]))[:14]
    p, s = _shares(prod, labels), _shares(stage, labels)
    rows = []
    for label, ps, ss in zip(labels, p, s, strict=True):
        shown = f"<code>{escape(label)}</code>" if code else escape(label)
        bars = _svg(
            120,
            14,
            f"<rect x='0' y='1' width='{120 * ps:.1f}' height='5' fill='{PROD}'/>"
            f"<rect x='0' y='8' width='{120 * ss:.1f}' height='5' fill='{STAGE}'/>",
            label,
        )
        rows.append((Raw(shown), f"{ps:.1%}", f"{ss:.1%}", Raw(bars)))
    table = _rows(rows, ("", "production", "staging", ""))
    return f"<div><h3>{escape(title)}</h3>{table}</div>"


def _numbers(prod: Mapping[str, Any], stage: Mapping[str, Any]) -> str:
    edges = prod.get("edges") or []
    if len(edges) < 2:
        return ""
    labels = [f"{e:g}" for e in edges[:-1]]
    pc, sc = prod["sampled_counts"], stage["sampled_counts"]
    p = [c / (sum(pc) or 1) for c in pc]
    s = [c / (sum(sc) or 1) for c in sc]
    unit = "years" if prod.get("unit") == "year" else "values"
    return _pair_chart(
        f"{unit} (bins from {edges[0]:g}, step {edges[1] - edges[0]:g})", labels, p, s
    )
