"""Results kept in the build cache from one build to the next (plugins.memo)."""

from __future__ import annotations

import json

from plugins.memo import KeptResults


def test_kept_results_hold_only_what_the_last_build_used(tmp_path):
    path = tmp_path / "feeds" / "links-fr.json"
    first = KeptResults(path)
    first.put("a", "<p>A</p>")
    first.put("b", "<p>B</p>")
    first.save()
    second = KeptResults(path)
    assert second.get("a") == "<p>A</p>"
    second.put("c", "<p>C</p>")
    second.save()
    assert json.loads(path.read_text(encoding="utf-8")) == {"a": "<p>A</p>", "c": "<p>C</p>"}


def test_a_build_that_used_exactly_what_was_kept_leaves_the_file_alone(tmp_path):
    path = tmp_path / "links-fr.json"
    path.write_text(json.dumps({"a": "<p>A</p>"}), encoding="utf-8")
    before = path.stat()
    same = KeptResults(path)
    assert same.get("a") == "<p>A</p>"
    same.save()
    after = path.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    fewer = KeptResults(path)
    fewer.save()  # nothing used: the entry goes
    assert json.loads(path.read_text(encoding="utf-8")) == {}
