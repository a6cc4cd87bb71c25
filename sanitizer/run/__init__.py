"""A run: the snapshot's steps (:mod:`.snapshot`), and each store's part of it (:mod:`.sql`,
:mod:`.objects`, :mod:`.vectors`) with the same verbs — open, plan, load — plus the guard
rails around targets (:mod:`.guard`) and the one-document run behind ``sanitize payload``."""
