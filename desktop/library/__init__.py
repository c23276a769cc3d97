"""The indicator library (指标库): built-in entries, the unit's own library, search.

``model`` (entries, library files), ``search``, ``personal`` (the user's library and the
indicators used before), ``errors``. Below services, above models: review and services use
it; it must not import Qt, sessions or anything from storage/services/review
(import-linter). Nothing is imported here, so that ``errors`` loads alone.
"""
