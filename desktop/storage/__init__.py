"""Open, create and check .jxdb files; the JSON interchange form. No Qt."""
