"""Django's SQLite backend with one addition: append-only triggers survive a flush (see ``base``)."""
