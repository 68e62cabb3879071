"""Delivery: getting changed content to visitors and frontends.

* :mod:`.signals` - connects publishing, unpublishing and deletion of tracked content to the
  rest, after the transaction commits;
* :mod:`.invalidation` - which URLs (HTML and API) a change affects;
* :mod:`.purge` - purges those URLs through ``wagtail.contrib.frontend_cache``;
* :mod:`.webhooks` - signed revalidation webhooks, delivered as tasks with retries;
* :mod:`.render_cache` - the server-side cache of rendered responses, keyed by the content
  generation.
"""
