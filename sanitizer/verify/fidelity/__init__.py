"""The fidelity report: did staging keep production's shape and messiness (docs/fidelity.md)?

``profile`` profiles each field on both sides as batches stream past, ``score`` compares the
two sides, ``check`` applies sanitize.yaml's ``fidelity:`` thresholds before the swap, and
``html`` renders the run's receipt as a self-contained page.
"""
