"""Load: write staging into a shadow location, then swap it in only when everything succeeded."""
