"""PySide6 widgets, view models and dialogs: the only layer that imports Qt."""
