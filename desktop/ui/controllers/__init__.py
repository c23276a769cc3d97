"""One controller per feature of the window: files, printing, Excel and Word, merging, lock.

Each takes the window it serves (for the open ``DocumentSession``, which changes with every
file opened, for the status line and as the parent of its dialogs) and a ``Prompter``
(``desktop/ui/prompter.py``) through which it asks the clerk every question. The window only
assembles menus, tabs and docks and connects them to these; tests drive a controller with a
fake prompter (``tests/ui/fakes.py``).
"""
