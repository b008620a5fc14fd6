"""Pagefind's bundle in a fixed order, so that building twice gives byte-identical files.

Pagefind 1.5.2 writes each filter's values, and the list of filters, in the order of a hash map
whose seed changes from run to run; each filter file is named by a hash of its bytes, the
language's metadata file lists those names, and `pagefind-entry.json` names the metadata file.
This step puts the values and filters in order and renames each file down that chain:
filter chunk (`filter/<lang>_<hash>.pf_filter`) -> metadata (`pagefind.<lang>_<hash>.pf_meta`)
-> `pagefind-entry.json`. Everything else Pagefind writes is already in a fixed order.

A Pagefind data file is gzip of `pagefind_dcd` followed by CBOR (its structs as arrays):
a filter is `[name, [[value, [page, …]], …]]`; the metadata is
`[version, pages, index chunks, [[filter name, file hash], …], …]`."""

from __future__ import annotations

import gzip
import hashlib
import json
from typing import Any, Mapping

import cbor2

ENTRY = "pagefind-entry.json"
_MAGIC = b"pagefind_dcd"
_FILTERS = 3  # the metadata's field listing the filters


def steady(bundle: Mapping[str, bytes]) -> dict[str, bytes]:
    """`bundle` (paths relative to it) with its filters in a fixed order and the files renamed
    after their new bytes. Raises ValueError if Pagefind's files are not as described above."""
    if ENTRY not in bundle:
        return dict(bundle)
    entry = json.loads(bundle[ENTRY])
    site = dict(bundle)
    for language in sorted(entry["languages"]):
        facts = entry["languages"][language]
        facts["hash"] = _steady_meta(site, facts["hash"])
    entry["languages"] = dict(sorted(entry["languages"].items()))
    site[ENTRY] = json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode()
    return site


def _steady_meta(site: dict[str, bytes], old: str) -> str:
    """Sort one language's filters (each one's values too); the metadata's new hash."""
    meta = decode(_take(site, f"pagefind.{old}.pf_meta"))
    prefix = _prefix(old)
    meta[_FILTERS] = sorted([name, _steady_filter(site, prefix, hash_)] for name, hash_ in meta[_FILTERS])
    return _put(site, "pagefind.{}.pf_meta", prefix, 10, meta)


def _steady_filter(site: dict[str, bytes], prefix: str, old: str) -> str:
    """Sort one filter's values by value; its file's new hash."""
    name, values = decode(_take(site, f"filter/{old}.pf_filter"))
    return _put(site, "filter/{}.pf_filter", prefix, 7, [name, sorted(values, key=lambda v: v[0])])


def _put(site: dict[str, bytes], pattern: str, prefix: str, digits: int, data: Any) -> str:
    """Store `data` in `site` under a name made of its digest (like Pagefind's); the name."""
    raw = cbor2.dumps(data)
    name = f"{prefix}_{hashlib.sha256(raw).hexdigest()[:digits]}"
    site[pattern.format(name)] = encode(raw)
    return name


def _take(site: dict[str, bytes], path: str) -> bytes:
    """The file at `path`, removed from `site` (it is written again under its new name)."""
    if path not in site:
        raise ValueError(f"Pagefind's bundle names {path}, which it does not hold")
    return site.pop(path)


def _prefix(file_hash: str) -> str:
    """The language part of a Pagefind file hash: `en_a569d4fa6f` -> `en`."""
    prefix, sep, _ = file_hash.rpartition("_")
    if not sep:
        raise ValueError(f"unexpected Pagefind file name {file_hash!r}")
    return prefix


def decode(data: bytes) -> Any:
    """The CBOR value of a Pagefind data file."""
    try:
        raw = gzip.decompress(data)
    except (OSError, EOFError) as problem:
        raise ValueError(f"not a Pagefind data file ({problem})") from None
    if not raw.startswith(_MAGIC):
        raise ValueError("not a Pagefind data file")
    return cbor2.loads(raw[len(_MAGIC):])


def encode(raw: bytes) -> bytes:
    """A Pagefind data file of CBOR bytes `raw` (gzip with no time stamp: the same bytes every time)."""
    return gzip.compress(_MAGIC + raw, compresslevel=9, mtime=0)
