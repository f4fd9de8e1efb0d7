#!/usr/bin/env python3
"""Packs the hpack-test-case corpus into the HPACK test fixtures.

Usage: scripts/pack-hpack-corpus.py [SOURCE] [DEST]
  SOURCE defaults to ../shared/corpora/hpack-test-case (relative to the package root)
  DEST   defaults to Tests/HPACKTests/Fixtures/hpack-test-case

For each implementation folder (nghttp2, python-hpack, ...) it writes FOLDER.json.gz: a JSON array
of that folder's stories in file-name order, each
  {"story": "story_00.json", "description": ..., "context": ... (when present),
   "cases": [{"seqno": 0, "header_table_size": 4096 (only when present and not null),
              "wire": "8286...", "headers": [["name", "value"], ...]}]}
Headers become [name, value] pairs in their original order (each original object holds one pair).
A null header_table_size (the swift-nio folders write one on every case) is dropped, which is how
the corpus README defines "omitted". The gzip streams have mtime 0, so output is reproducible.
The corpus LICENSE and a README with the provenance are copied beside them. The raw-data folder
is not part of our copy of the corpus and is not packed.
"""
import gzip
import json
import os
import shutil
import sys

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
source = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, "..", "shared", "corpora", "hpack-test-case")
dest = sys.argv[2] if len(sys.argv) > 2 else os.path.join(root, "Tests", "HPACKTests", "Fixtures", "hpack-test-case")
os.makedirs(dest, exist_ok=True)

folders = sorted(d for d in os.listdir(source) if os.path.isdir(os.path.join(source, d)) and d != "raw-data")
for folder in folders:
    stories = []
    for name in sorted(f for f in os.listdir(os.path.join(source, folder)) if f.endswith(".json")):
        with open(os.path.join(source, folder, name), encoding="utf-8") as f:
            story = json.load(f)
        packed = {"story": name, "description": story.get("description", "")}
        if "context" in story:
            packed["context"] = story["context"]
        cases = []
        for case in story["cases"]:
            out = {"seqno": case["seqno"]}
            if case.get("header_table_size") is not None:
                out["header_table_size"] = case["header_table_size"]
            out["wire"] = case["wire"]
            pairs = []
            for header in case["headers"]:
                assert len(header) == 1, f"{folder}/{name}: header object with {len(header)} pairs"
                pairs.extend([k, v] for k, v in header.items())
            out["headers"] = pairs
            cases.append(out)
        packed["cases"] = cases
        stories.append(packed)
    data = json.dumps(stories, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    path = os.path.join(dest, folder + ".json.gz")
    with open(path, "wb") as raw:
        with gzip.GzipFile(filename="", mode="wb", compresslevel=9, fileobj=raw, mtime=0) as gz:
            gz.write(data)
    print(f"{path}: {len(stories)} stories, {sum(len(s['cases']) for s in stories)} cases, "
          f"{len(data)} -> {os.path.getsize(path)} bytes")

shutil.copyfile(os.path.join(source, "LICENSE"), os.path.join(dest, "LICENSE"))
with open(os.path.join(dest, "README.md"), "w", encoding="utf-8") as f:
    f.write(
        "# hpack-test-case (packed)\n\n"
        "From https://github.com/http2jp/hpack-test-case (MIT, see LICENSE), as kept in the project's\n"
        "shared/corpora/hpack-test-case. Regenerate with `scripts/pack-hpack-corpus.py`; the script's\n"
        "doc comment describes the format (one gzip'd JSON array of stories per implementation folder).\n\n"
        "Folders: " + ", ".join(folders) + ".\n")
