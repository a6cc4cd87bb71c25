"""Detection (and, for a run of agent memories, the embedding model) loaded in the workers'
forkserver, before it forks any worker.

Imported by the forkserver at its start when a run called :func:`workers.start_warm`: it
builds the analyzer for the run's detection settings and runs it once over a short sample, so
the first-use work (compiled patterns, name lists, the public-suffix list, phone metadata) is
done too. Workers forked afterwards share all of it, copy-on-write, and their first batch
starts at once. Results cannot change: the same cached analyzer a worker would build, for the
same settings, and the sentences recognized here are recognized the same in any process.

Importing this module never fails: the workers then load detection themselves, as without a
warm server, and report any problem (a missing model) the usual way.
"""

from __future__ import annotations

import gc
import json
import os

from sanitizer.mask.workers import WARM_ENV, WARM_MODEL_ENV

# One text touching every recognizer family: a name, an address, phones, an email, a URL,
# a card, an IBAN, an IP address, a date.
SAMPLE = (
    "Hi, I'm Maria Lopez from 221B Baker Street, London. Call +44 20 7946 0958 or "
    "(212) 555-0134, mail maria.lopez@example.com, see https://example.org/help.\n"
    "Card 4111 1111 1111 1111, IBAN DE89 3704 0044 0532 0130 00, IP 192.168.0.1, 12/03/2024."
)


def warm() -> None:
    settings = os.environ.pop(WARM_ENV, None)
    model = os.environ.pop(WARM_MODEL_ENV, None)
    if not settings:
        return
    try:
        from sanitizer.config.settings import NlpSettings
        from sanitizer.mask.text.detector import find_all

        fields = json.loads(settings)
        tuples = {k: tuple(v) for k, v in fields.items() if isinstance(v, list)}
        find_all([SAMPLE], None, NlpSettings(**{**fields, **tuples}))
        if model is not None:  # loaded, never run here: no PyTorch threads before a fork
            from sanitizer.mask.embed import preload

            preload(model)
    except Exception:  # the workers load it themselves and report what is wrong
        return
    _freeze_heap()


def _freeze_heap() -> None:
    """Leave what was loaded out of every later garbage collection, in the server and in the
    workers it forks: the name and place lists, spaCy's and Presidio's objects are alive for
    the whole run, and the collector walked them all (3–8% of a detecting process's CPU
    on the fng dev split), writing to their pages and so copying them into each worker."""
    gc.collect()
    gc.freeze()


def fill_lists_cache() -> None:
    """Build detection's word lists into the lists cache (``make install`` does, so that a
    first run starts as fast as later ones: docs/operations.md, "The lists cache")."""
    from sanitizer.mask.text.calendar_names import calendar_names
    from sanitizer.mask.text.recognizers.job_titles import job_titles
    from sanitizer.mask.text.recognizers.lexicon import honorifics, name_lists
    from sanitizer.mask.text.recognizers.place_names import countries, place_names, plain_places
    from sanitizer.mask.text.recognizers.street_vocab import street_words

    name_lists()
    honorifics()
    job_titles()
    calendar_names()
    place_names()
    countries()
    plain_places()
    street_words()


warm()

if __name__ == "__main__":
    fill_lists_cache()
