"""Settings of the example project: ``dev`` (the default of manage.py) and ``production``."""
