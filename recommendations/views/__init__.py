"""The pages of recommendations and follow-up items, one module per family of pages (each says which)."""
