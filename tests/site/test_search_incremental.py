"""The search index is updated in place when a few entries change, and the update is byte for
byte the index built afresh."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from conftest import MINIMAL_CONFIG, write_site
from hypothesis import given, settings
from hypothesis import strategies as st

from digestgen.build import BuildOptions, build
from digestgen.search.index import FORMAT, IndexState, build_postings, update_postings
from digestgen.search.tokenize import index_counts, index_terms

WORDS = ["허깅페이스의", "세이프텐서", "모델", "에이전트를", "정책", "openai", "llama", "규제",
         "오케스트레이션", "펭귄", "gpu", "반도체", "@Transactional", "🚀", "🇰🇷"]

# Lines of 100–400 characters: a body of a few dozen spans several chunks of its text, and an
# edit moves where some terms first occur.
LINES = [" ".join(WORDS[(k * 7 + j) % len(WORDS)] for j in range(20 + 6 * (k % 6)))
         for k in range(24)]


def _text(words: int, lines: int):
    return st.one_of(st.lists(st.sampled_from(WORDS), max_size=words).map(" ".join),
                     st.lists(st.sampled_from(LINES), max_size=lines).map("\n".join))


# title, tags, headings, code, body
fields_st = st.tuples(*(st.lists(st.sampled_from(WORDS), max_size=n).map(" ".join)
                        for n in (4, 3, 3)), _text(8, 12), _text(30, 60))


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(
    "가나다라 허깅페이스의 ab-C1_ＧＰ\u3131\n.,한🚀❤\ufe0f\u200d\U0001f3fd\U0001f1f0\U0001f1f7𠀀"),
    max_size=60),
       st.booleans())
def test_the_index_counts_exactly_the_terms_of_the_tokenizer(text, exact):
    from collections import Counter

    assert index_counts(text, exact=exact) == Counter(index_terms(text, exact=exact))


def state_of(fields: list[tuple[str, ...]]) -> tuple[IndexState, dict[str, bytes]]:
    files, stats = build_postings(fields)
    uids = tuple(f"e{k}" for k in range(len(fields)))
    return IndexState(FORMAT, uids, tuple(map(repr, fields)), stats), files


@settings(max_examples=100, deadline=None)
@given(st.lists(fields_st, min_size=1, max_size=12), st.data())
def test_an_update_equals_a_fresh_build(before, data):
    """Edit some entries, append some, drop some from the end: the patched index is the fresh
    one, or the update declines (and the caller builds afresh)."""
    prev, files = state_of(before)
    after = list(before)
    for k in data.draw(st.lists(st.integers(0, len(after) - 1), max_size=3)):
        new = data.draw(fields_st)
        # Most edits are to the text; those keep the short fields' averages where they were.
        after[k] = new if data.draw(st.booleans()) else (*after[k][:4], new[4])
    after += data.draw(st.lists(fields_st, max_size=3))
    drop = data.draw(st.integers(0, min(2, len(after) - 1)))
    after = after[: len(after) - drop]
    uids = tuple(f"e{k}" for k in range(len(after)))
    updated = update_postings(prev, uids, tuple(map(repr, after)), after, files.get,
                              before.__getitem__)
    fresh_files, fresh_stats = build_postings(after)
    if updated is None:
        return
    patched, stats = updated
    assert patched == fresh_files
    assert stats == fresh_stats


def test_an_update_declines_when_entries_are_reordered_or_a_shard_changed():
    before = [("모델 공개", "", "", "", "세이프텐서 형식"), ("정책", "", "", "", "규제 논의")]
    prev, files = state_of(before)
    swapped = ("e1", "e0")
    assert update_postings(prev, swapped, prev.digests[::-1], before[::-1], files.get,
                           before.__getitem__) is None
    damaged = dict(files)
    name = next(iter(damaged))
    damaged[name] = gzip.compress(b"{}")
    assert update_postings(prev, prev.uids, prev.digests, before, damaged.get,
                           before.__getitem__) is None
    assert update_postings(prev, prev.uids, prev.digests, before, {}.get,
                           before.__getitem__) is None
    assert update_postings(prev, prev.uids, ("x", *prev.digests[1:]), before, files.get,
                           lambda i: None) is None  # what the entry held is not known


def test_an_unchanged_index_updates_to_itself():
    before = [("모델 공개", "llama", "", "save()", "세이프텐서 형식"), ("정책", "", "", "", "규제 논의")]
    prev, files = state_of(before)
    patched, stats = update_postings(prev, prev.uids, prev.digests, before, files.get,
                                     before.__getitem__)
    assert patched == files and stats == prev.stats


# -- in a build ------------------------------------------------------------------------------

POSTS = {
    f"content/posts/p{k:02d}.md": (
        f"---\ntitle: 글 {k}번\ndate: 2024-05-{k + 1:02d}\ntags: [모델]\n---\n"
        f"허깅페이스의 세이프텐서 {k}번째 이야기. 에이전트 오케스트레이션과 정책.\n"
    )
    for k in range(12)
}


def shards(out: Path) -> dict[str, tuple[bytes, int]]:
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted((out / "search").glob("*.json.gz"))}


def cached(root: Path):
    return build(BuildOptions(source=root, cache=True))


def same_as_fresh(root: Path, tmp: Path) -> None:
    fresh = tmp / "fresh"
    build(BuildOptions(source=root, output=fresh))
    for path in sorted((fresh / "search").rglob("*")):
        if path.is_file():
            kept = root / "_site/search" / path.relative_to(fresh / "search")
            assert kept.read_bytes() == path.read_bytes(), path
    assert sorted(p.name for p in (root / "_site/search").rglob("*")) == sorted(
        p.name for p in (fresh / "search").rglob("*"))


def test_an_edit_rewrites_only_the_shards_of_the_terms_it_touched(tmp_path):
    root = write_site(tmp_path / "site", {**POSTS, "site.yaml": MINIMAL_CONFIG})
    cached(root)
    before = shards(root / "_site")
    text = (root / "content/posts/p03.md").read_text(encoding="utf-8")
    (root / "content/posts/p03.md").write_text(text + "\n펭귄.\n", encoding="utf-8")
    result = cached(root)
    after = shards(root / "_site")
    assert result.loaded == ("content/posts/p03.md",)
    rewritten = {n for n in after if after[n][1] != before[n][1]}
    kept = {n for n in after if after[n] == before[n]}
    assert "norms.json.gz" in rewritten  # the body grew
    assert kept, "every shard was rewritten"
    # The new word's shard is among those rewritten, and holds the edited post.
    manifest = json.loads((root / "_site/search/manifest.json").read_text())
    from digestgen.search.tokenize import shard_of

    name = shard_of("펭귄", manifest["cjk_shards"], manifest["word_shards"]) + ".json.gz"
    assert name in rewritten
    assert "펭귄" in json.loads(gzip.decompress(after[name][0]))
    same_as_fresh(root, tmp_path)


def test_a_new_post_appends_and_a_deleted_one_rebuilds(tmp_path):
    root = write_site(tmp_path / "site", {**POSTS, "site.yaml": MINIMAL_CONFIG})
    cached(root)
    (root / "content/posts/p99.md").write_text(
        "---\ntitle: 새 글\ndate: 2024-06-30\n---\n반도체 이야기.\n", encoding="utf-8")
    cached(root)
    manifest = json.loads((root / "_site/search/manifest.json").read_text())
    newest = json.loads(gzip.decompress(
        (root / f"_site/search/f/{manifest['entries'] - 1}.json.gz").read_bytes()))
    assert newest["t"] == "새 글"  # appended: the highest id
    same_as_fresh(root, tmp_path)
    (root / "content/posts/p05.md").unlink()
    cached(root)
    same_as_fresh(root, tmp_path / "2")


def test_a_damaged_shard_means_a_fresh_index(tmp_path):
    root = write_site(tmp_path / "site", {**POSTS, "site.yaml": MINIMAL_CONFIG})
    cached(root)
    victim = next((root / "_site/search").glob("h*.json.gz"))
    victim.write_bytes(gzip.compress(b'{"x":[0,1]}'))
    text = (root / "content/posts/p01.md").read_text(encoding="utf-8")
    (root / "content/posts/p01.md").write_text(text + "\n고침.\n", encoding="utf-8")
    cached(root)
    same_as_fresh(root, tmp_path)
