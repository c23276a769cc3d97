"""Use cases over an open document: the only code that writes. No Qt."""
