"""Run delivery tasks (purges, webhooks) off the request, whatever the task backend.

Purges and webhooks are django-tasks tasks (:func:`dispatch`), enqueued on the backend their
settings name (``PURGE_TASK_BACKEND``, ``WEBHOOK_TASK_BACKEND``). On a worker backend
(``django_tasks_db.DatabaseBackend`` with ``manage.py db_worker``, RQ) the request only enqueues,
and a retry is a new task deferred with ``run_after``.

On a backend that runs tasks in the caller at once (``ImmediateBackend``, the default of Wagtail
and Django), enqueueing would run the task inside the publish request. There the package hands
the task to :data:`runner` instead: a small pool of daemon threads per process
(``IN_PROCESS_DELIVERY_THREADS``, two by default) working through one queue in order of due time,
bounded at ``IN_PROCESS_DELIVERY_MAX_PENDING`` jobs. A retry waits in that queue, not in a
sleeping thread, and each job closes its database connections when it ends, so a receiver that
is down holds neither a thread nor a connection between attempts. The queue lives in the
process: jobs still waiting when it exits are lost (their deliveries stay "retrying" in the
admin). Production sites use a worker backend; a system check warns otherwise.
"""

import heapq
import itertools
import logging
import os
import threading
import time
from datetime import timedelta

from django.db import connections
from django.utils import timezone

from ..conf import acupuncture_settings

logger = logging.getLogger("wagtail_acupuncture.delivery")

THREAD_NAME_PREFIX = "wagtail-acupuncture-delivery-"


def runs_in_process(backend):
    """Whether ``backend`` (a task backend or its class) runs a task in the caller as soon as
    it is enqueued."""
    classes = []
    try:
        from django_tasks.backends.immediate import ImmediateBackend

        classes.append(ImmediateBackend)
    except ImportError:  # pragma: no cover - a Wagtail on Django's own django.tasks
        pass
    try:
        from django.tasks.backends.immediate import ImmediateBackend as DjangoImmediateBackend

        classes.append(DjangoImmediateBackend)
    except ImportError:
        pass
    backend_class = backend if isinstance(backend, type) else type(backend)
    return issubclass(backend_class, tuple(classes))


def retry_delay(attempts, base, cap):
    """Seconds to wait after the ``attempts``-th failed attempt: ``base`` doubled each time,
    at most ``cap``."""
    return min(base * 2 ** max(0, attempts - 1), cap)


class InProcessRunner:
    """A bounded pool of daemon threads running callables in order of due time.

    Threads start with the first job and are re-created in a forked child (a pre-forking
    server's workers each get their own). :meth:`submit` never blocks: with the queue full it
    refuses the job and returns ``False``.
    """

    def __init__(self):
        self._condition = threading.Condition()
        self._reset()

    def _reset(self):
        self._pid = os.getpid()
        self._queue = []
        self._order = itertools.count()
        self._threads = []
        self._running = 0
        self._local = threading.local()

    def _ensure_threads(self):
        if self._pid != os.getpid():  # forked: the parent's threads do not exist here
            self._reset()
        wanted = max(1, int(acupuncture_settings.IN_PROCESS_DELIVERY_THREADS))
        self._threads = [thread for thread in self._threads if thread.is_alive()]
        while len(self._threads) < wanted:
            thread = threading.Thread(
                target=self._work,
                name=f"{THREAD_NAME_PREFIX}{len(self._threads) + 1}",
                daemon=True,
            )
            self._threads.append(thread)
            thread.start()

    def submit(self, func, *args, delay=0.0, description=""):
        """Queue ``func(*args)`` to run in a runner thread after ``delay`` seconds.

        Returns ``False``, running nothing, when ``IN_PROCESS_DELIVERY_MAX_PENDING`` jobs are
        already waiting.
        """
        with self._condition:
            self._ensure_threads()
            if len(self._queue) >= int(acupuncture_settings.IN_PROCESS_DELIVERY_MAX_PENDING):
                logger.error("Delivery queue full; dropped %s", description or func)
                return False
            due = time.monotonic() + max(0.0, float(delay))
            heapq.heappush(self._queue, (due, next(self._order), func, args, description))
            self._condition.notify()
        return True

    def in_runner_thread(self):
        """Whether the caller is one of the runner's threads."""
        return getattr(self._local, "active", False)

    def pending(self):
        """Jobs waiting or running."""
        with self._condition:
            return len(self._queue) + self._running

    def threads(self):
        """The runner's live threads."""
        with self._condition:
            return [thread for thread in self._threads if thread.is_alive()]

    def wait_idle(self, timeout=None):
        """Block until no job waits or runs (retries included); ``False`` on timeout."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._condition:
            while self._queue or self._running:
                remaining = None if deadline is None else deadline - time.monotonic()
                if remaining is not None and remaining <= 0:
                    return False
                self._condition.wait(remaining if remaining is not None else 1.0)
        return True

    def _next_job(self):
        with self._condition:
            while True:
                if self._queue:
                    wait = self._queue[0][0] - time.monotonic()
                    if wait <= 0:
                        self._running += 1
                        return heapq.heappop(self._queue)
                else:
                    wait = None
                self._condition.wait(wait)

    def _work(self):
        self._local.active = True
        while True:
            _due, _order, func, args, description = self._next_job()
            try:
                func(*args)
            except Exception:
                logger.exception("Delivery job %s failed", description or func)
            finally:
                # The thread keeps no connection between jobs (nor while a retry waits).
                connections.close_all()
                with self._condition:
                    self._running -= 1
                    self._condition.notify_all()


#: The process's runner (see the module docstring).
runner = InProcessRunner()


def dispatch(task, args, *, backend, queue, in_thread, delay=0, description=""):
    """Enqueue ``task(*args)`` on ``backend``/``queue``, ``delay`` seconds from now.

    A worker backend gets the task (deferred with ``run_after`` when ``delay`` is set and it can
    defer). An in-process backend runs it in :data:`runner` when ``in_thread`` is true, or
    inline when it is false (tests, debugging: the caller waits). Returns the task result, or
    ``None`` when the runner took it.
    """
    configured = task.using(backend=backend, queue_name=queue)
    worker_backend = not runs_in_process(configured.get_backend())
    if worker_backend and (not delay or configured.get_backend().supports_defer):
        if delay:
            configured = configured.using(run_after=timezone.now() + timedelta(seconds=delay))
        return configured.enqueue(*args)
    if in_thread or delay:
        if not runner.submit(configured.enqueue, *args, delay=delay, description=description):
            raise RuntimeError("the in-process delivery queue is full")
        return None
    return configured.enqueue(*args)
