"""Reads JSON lines of texts on stdin and answers, for each, what arena_api makes of it (test/same-as-typescript.test.ts)."""

import json
import sys
import unicodedata

from arena_api.presenters import sorted_tags
from arena_api.reading_time import reading_minutes
from arena_api.slug import slug_base, slugify

for line in sys.stdin:
    texts: list[str] = json.loads(line)
    answers = [
        {
            "slug": slug_base(text) or "article",
            "slugified": slugify(text),
            "minutes": reading_minutes(text),
            # Characters Python's Unicode database (14.0 on 3.11) does not know yet, but Node's may.
            "unassigned": [f"U+{ord(c):04X}" for c in text if unicodedata.category(c) == "Cn"],
        }
        for text in texts
    ]
    print(json.dumps({"answers": answers, "sorted": sorted_tags(texts)}), flush=True)
