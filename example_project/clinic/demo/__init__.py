"""The demo content shipped with the example project and the code that loads it.

``back_pain.json`` holds the content; ``acupuncture-for-back-pain.txt`` is the client's article it
was transcribed from (the tests compare the two). :mod:`clinic.demo.loader` writes it to the
database; ``manage.py load_acupuncture_demo`` runs the loader.
"""

import json
from pathlib import Path

DEMO_DIR = Path(__file__).resolve().parent
#: The demo content.
DATA_PATH = DEMO_DIR / "back_pain.json"
#: The client's article, as received.
SEED_PATH = DEMO_DIR / "acupuncture-for-back-pain.txt"


def load_data():
    """The demo content as a dict."""
    with DATA_PATH.open(encoding="utf-8") as fh:
        return json.load(fh)
