"""The evaluation's pages, one module per part: review (issue 11 §3)."""
