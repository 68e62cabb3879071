"""JSON-LD structured data for articles: pure functions, page in, ``@graph`` dict out."""


def build_article_graph(page, *, request=None):
    """The JSON-LD document (``{"@context": ..., "@graph": [...]}``) of an article page."""
    return {"@context": "https://schema.org", "@graph": []}
