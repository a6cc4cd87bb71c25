"""The fidelity report: did staging keep production's shape and messiness (docs/fidelity.md)?

``profile`` profiles each SQL field on both sides as batches stream past (``sketch``: its
bounded summaries; ``relations``: orphans), ``stores`` does the same for objects and vector
collections, ``score`` compares the two sides, ``collect`` gathers a run's profiles into the
receipt, ``check`` applies sanitize.yaml's ``fidelity:`` thresholds before the swap, and
``html`` with ``publish`` render a receipt as a self-contained page (``sanitize report``).
"""
