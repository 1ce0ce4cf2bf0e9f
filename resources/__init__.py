"""Data shipped with Clinic Desk. A regular package (not a namespace one), so that
importlib.resources gives plain file-system paths, installed or editable."""
