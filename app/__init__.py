"""The Qt desktop face of sohoa: widgets and signals only, no business logic."""

from app.qtfix import guard_singletons

QT_REFCOUNT_GUARD = guard_singletons()  # see app/qtfix.py: a PySide6 6.12.0 bug on Python 3.11
