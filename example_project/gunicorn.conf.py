"""gunicorn settings for the example project: ``gunicorn -c gunicorn.conf.py`` in example_project/.

Environment: ``PORT`` (8000), ``WEB_CONCURRENCY`` (worker processes, 3), ``GUNICORN_THREADS``
(threads per worker, 4), ``GUNICORN_TIMEOUT`` (30 s). Every worker is a separate process: the
render cache and the task queue must be shared (Redis, django-tasks-db), as the production
settings make them. See docs/deployment.md.
"""

import os

wsgi_app = "example_project.wsgi:application"
bind = f"{os.environ.get('BIND_HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
# Threads per worker: a request answered from the render cache is not held up behind a render
# in the same process (each thread has its own database connection).
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# Idle keep-alive connections are closed after 5 s (gunicorn's default of 2 s closes many that a
# client or load balancer is about to reuse).
keepalive = 5
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
# Each worker opens its own database and Redis connections after the fork.
preload_app = False
accesslog = "-"
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
