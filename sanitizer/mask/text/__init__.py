"""Free-text detection (Presidio + spaCy) and in-place replacement with keyed fakes."""
