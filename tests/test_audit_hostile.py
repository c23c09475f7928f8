"""Audit of issue 8 (hostile and broken input): the bullets tests/test_hostile.py left without a
test of their own, each checked on real output."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import MINIMAL_CONFIG, build_site, page, run_cli, write_files, write_site
from lxml import etree

from digestgen.config import load_config
from digestgen.imports.blog import import_blog

GOOD = "---\ntitle: 좋은 글\ndate: 2024-04-24\n---\n좋은 본문입니다.\n"


def _digestgen(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "digestgen", *args], capture_output=True,
                          text=True, timeout=300)


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


# -- errors: every one at once, no traceback, and --debug shows it -----------------------------


def test_a_real_process_lists_every_error_and_only_debug_shows_a_traceback(tmp_path):
    site = write_site(tmp_path / "s", {
        "content/posts/good.md": GOOD,
        "content/posts/bad-yaml.md": "---\ntitle: [깨진\n---\n본문\n",
        "content/posts/date-number.md": "---\ntitle: 숫자\ndate: 20240424\n---\n본문\n",
        "content/wiki/bad-toml.md": '+++\ntitle = "닫히지 않은\n+++\n본문\n',
    })
    plain = _digestgen("build", "--source", str(site))
    assert plain.returncode == 1
    assert "Traceback" not in plain.stderr
    lines = plain.stderr.splitlines()
    for where, what in (("content/posts/bad-yaml.md:2: error: ", "invalid YAML"),
                        ("content/posts/date-number.md:3: error: ", "got 20240424"),
                        ("content/wiki/bad-toml.md:2: error: ", "invalid TOML")):
        assert any(ln.startswith(where) and what in ln for ln in lines), (where, plain.stderr)
    assert "build failed: 3 errors; the output folder was left unchanged" in lines
    assert not (site / "_site").exists()
    for debug in (["--debug", "build"], ["build", "--debug"]):
        shown = _digestgen(*debug, "--source", str(site))
        assert shown.returncode == 1, debug
        # The same list first, then the traceback of where the build gave up.
        assert shown.stderr.index("content/posts/bad-yaml.md:2: error:") < shown.stderr.index(
            "Traceback (most recent call last):"), debug
        assert "digestgen.errors.ContentError" in shown.stderr, debug


# -- site.yaml, on the command line -------------------------------------------------------------


def test_site_yaml_problems_name_the_key_and_type_and_a_missing_one_says_how_to_start(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    missing = _digestgen("build", "--source", str(empty))
    assert missing.returncode == 2 and "Traceback" not in missing.stderr
    assert missing.stderr.startswith(f"site.yaml: error: no site.yaml in {empty}")
    assert "`digestgen init DIR`" in missing.stderr and "`title:` and `base_url:`" in missing.stderr
    bad = write_site(tmp_path / "bad", {"content/posts/good.md": GOOD},
                     MINIMAL_CONFIG + 'paginate: "열"\nfeed:\n  limit: [1]\nmarkdown:\n'
                                      "  unsafe_html: 예\n")
    wrong = _digestgen("build", "--source", str(bad))
    assert wrong.returncode == 2 and "Traceback" not in wrong.stderr
    lines = wrong.stderr.splitlines()
    # Every wrong key at once, at its line, with the type it wants.
    assert lines == [
        "site.yaml:5: error: paginate: expected an integer, got '열'",
        "site.yaml:7: error: feed.limit: expected an integer, got [1]",
        "site.yaml:9: error: markdown.unsafe_html: expected true or false, got '예'",
    ], wrong.stderr
    assert not (bad / "_site").exists()


@pytest.mark.parametrize(("extra", "says"), [
    ("content_dir: _site/content\n", "the output folder overlaps the content folder"),
    ("output_dir: .\n", "must not be the site folder or one of its parents"),
    ("output_dir: content/out\n", "the output folder overlaps the content folder"),
])
def test_output_and_content_overlapping_through_site_yaml_is_refused(tmp_path, capsys, extra,
                                                                      says):
    content = "_site/content" if "content_dir" in extra else "content"
    site = write_site(tmp_path / "s", {f"{content}/posts/good.md": GOOD}, MINIMAL_CONFIG + extra)
    before = _files(site)
    code, _, err = run_cli(["build", "--source", str(site)], capsys)
    assert code == 2 and says in err and "Traceback" not in err
    assert _files(site) == before  # the content is still there, untouched


@pytest.mark.parametrize(("extra", "line", "says"), [
    ("static_dir: ..\n", 5, "static_dir: must stay inside the site folder, got '..'"),
    ("static_dir: static/../..\n", 5, "static_dir: must stay inside the site folder"),
    ("templates_dir: ../theme\n", 5, "templates_dir: must stay inside the site folder"),
    ("content_dir: ../elsewhere\n", 5, "content_dir: must stay inside the site folder"),
    ("static_dir: .\n", 5, "static_dir: must be a folder inside the site, not the site folder"),
    ("static_dir: _site\n", 5, "static_dir: '_site' overlaps output_dir '_site'"),
    ("templates_dir: _site/t\n", 5, "templates_dir: '_site/t' overlaps output_dir '_site'"),
    ("static_dir: content/img\n", 5, "static_dir: 'content/img' overlaps content_dir 'content'"),
    ("output_dir: static/out\n", 5, "static_dir: 'static' overlaps output_dir 'static/out'"),
])
def test_site_folders_that_leave_the_site_or_overlap_are_named_at_their_line(tmp_path, capsys,
                                                                               extra, line, says):
    site = write_site(tmp_path / "s", {"content/posts/good.md": GOOD,
                                       "static/robots.txt": "User-agent: *\n"},
                      MINIMAL_CONFIG + extra)
    (tmp_path / "outside.txt").write_text("바깥 파일", encoding="utf-8")
    code, _, err = run_cli(["build", "--source", str(site)], capsys)
    assert code == 2 and "Traceback" not in err and "internal error" not in err, err
    assert err.startswith(f"site.yaml:{line}: error: {says}"), err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["outside.txt", "s"]


def test_site_folders_written_in_other_ways_still_work(tmp_path, capsys):
    site = write_site(tmp_path / "s", {"content/posts/good.md": GOOD, "static/a.txt": "정적\n"},
                      MINIMAL_CONFIG + "static_dir: ./static/\ncontent_dir: x/../content\n"
                                       "output_dir: ./out/../built/\n")
    code, _, err = run_cli(["build", "--source", str(site)], capsys)
    assert code == 0, err
    assert (site / "built/a.txt").read_text(encoding="utf-8") == "정적\n"
    assert (site / "built/posts/good/index.html").is_file()


@pytest.mark.parametrize("output_dir, says", [
    ("/tmp/elsewhere", "output_dir: expected a folder relative to the site (pass --output DIR "
                       "to build elsewhere)"),
    ("../elsewhere", "output_dir: must stay inside the site folder, got '../elsewhere' (pass "
                     "--output DIR to build elsewhere)"),
])
def test_site_yaml_cannot_send_the_output_out_of_the_site(tmp_path, capsys, output_dir, says):
    # site.yaml comes with the site (a pull request): it must not choose where files land.
    site = write_site(tmp_path / "s", {"content/posts/good.md": GOOD},
                      MINIMAL_CONFIG + f"output_dir: {output_dir}\n")
    code, _, err = run_cli(["build", "--source", str(site)], capsys)
    assert code == 2 and err.startswith(f"site.yaml:5: error: {says}"), err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s"]
    # The command line may: that is the user's own choice.
    code, _, err = run_cli(["build", "--source", str(site), "--output", str(tmp_path / "o")],
                           capsys)
    assert code == 2  # site.yaml is still wrong: fix it first
    ok = write_site(tmp_path / "t", {"content/posts/good.md": GOOD})
    code, _, err = run_cli(["build", "--source", str(ok), "--output", str(tmp_path / "o")],
                           capsys)
    assert code == 0 and (tmp_path / "o/posts/good/index.html").is_file(), err


def test_an_output_folder_that_is_a_link_out_of_the_site_is_refused(tmp_path, capsys):
    site = write_site(tmp_path / "s", {"content/posts/good.md": GOOD})
    (tmp_path / "elsewhere").mkdir()
    (site / "_site").symlink_to(tmp_path / "elsewhere")
    code, _, err = run_cli(["build", "--source", str(site)], capsys)
    assert code == 2
    assert "error: output_dir leads outside the site folder (through a symlink)" in err
    assert list((tmp_path / "elsewhere").iterdir()) == []


# -- a lock, and a clear message ---------------------------------------------------------------


def test_a_build_while_another_holds_the_lock_says_so_and_changes_nothing(tmp_path, capsys):
    site = write_site(tmp_path / "s", {"content/posts/good.md": GOOD})
    assert run_cli(["build", "--source", str(site)], capsys)[0] == 0
    before = _files(site / "_site")
    (site / "content/posts/new.md").write_text(GOOD.replace("좋은 글", "새 글"), encoding="utf-8")
    from digestgen.write import build_lock

    with build_lock(site / "_site"):  # what a running build holds
        code, _, err = run_cli(["build", "--source", str(site)], capsys)
    assert code == 1 and "Traceback" not in err
    assert "another digestgen build is writing this output folder" in err
    assert _files(site / "_site") == before
    assert run_cli(["build", "--source", str(site)], capsys)[0] == 0  # free again: it builds
    assert page(site / "_site", "posts/new/index.html").findtext(".//h1").strip() == "새 글"


# -- nothing read or written outside its folder ------------------------------------------------


def test_image_paths_embeds_links_and_aliases_stay_inside(tmp_path, capsys):
    (tmp_path / "secret.png").write_bytes(b"\x89PNG secret bytes")
    site = write_site(tmp_path / "s", {
        "content/posts/reach.md": """\
            ---
            title: 바깥으로
            date: 2024-04-24
            aliases: ["//evil.example.com/x/", "/%2e%2e/%2e%2e/y/"]
            ---
            ![a](../../../secret.png) ![b](/../../secret.png) ![c](%2e%2e/%2e%2e/%2e%2e/secret.png)

            ![[../../../secret.png]] [글](../../../secret.png) ![d](link.png)
            """})
    (site / "content/posts/link.png").symlink_to(tmp_path / "secret.png")
    code, _, err = run_cli(["build", "--source", str(site)], capsys)
    assert code == 0, err
    assert "content/posts/link.png: warning: symlink points outside the site folder" in err
    assert "'../../../secret.png' points outside the content folder; not copied" in err
    out = site / "_site"
    assert not [rel for rel, data in _files(out).items() if b"secret bytes" in data]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s", "secret.png"]
    # A protocol-relative or encoded alias is a folder inside the output, never a way out.
    for rel in ("evil.example.com/x/index.html", "%2e%2e/%2e%2e/y/index.html"):
        doc = page(out, rel)
        assert doc.xpath("//link[@rel='canonical']/@href") == [
            "https://example.github.io/ai-digest/posts/reach/"], rel


def test_slugs_permalinks_aliases_and_names_of_taxonomies_stay_inside(tmp_path, capsys):
    site = write_site(tmp_path / "s", {"content/posts/t.md": """\
        ---
        title: 분류 이름
        date: 2024-04-24
        tags: ["../../../탈출", "a/b", "..", ".", "%2e%2e"]
        categories: ["../..", "/"]
        series: "../../../시리즈"
        ---
        본문
        """})
    code, _, err = run_cli(["build", "--source", str(site)], capsys)
    assert code == 0, err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s"]
    assert sorted(p.name for p in site.iterdir() if not p.name.startswith(".")) == [
        "_site", "content", "site.yaml"]
    out = site / "_site"
    for folder in ("tags", "categories", "series"):
        pages = [p for p in (out / folder).iterdir() if p.is_dir()]
        assert pages, folder
        for p in pages:  # one plain folder per name, each with its page
            assert p.resolve().parent == (out / folder).resolve() and p.name not in (".", "..")
            assert (p / "index.html").is_file(), p
    for bad, says in (('slug: ".."', "not a plain name"), ('slug: "a/../../b"', "not a plain name"),
                      ('permalink: "/a/../../../b/"', "leaves the output folder"),
                      ('aliases: ["/../x/"]', "leaves the output folder")):
        (site / "content/posts/t.md").write_text(f"---\ntitle: x\ndate: 2024-04-24\n{bad}\n---\n",
                                                 encoding="utf-8")
        code, _, err = run_cli(["build", "--source", str(site)], capsys)
        assert code == 1 and "content/posts/t.md:4: error: " in err and says in err, (bad, err)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s"]


def test_an_imported_blog_cannot_lead_reads_or_writes_out(tmp_path):
    (tmp_path / "secret.png").write_bytes(b"\x89PNG secret bytes")
    site = write_site(tmp_path / "site", {}, MINIMAL_CONFIG)
    blog = write_files(tmp_path / "blog", {
        "_config.yml": "permalink: /:title/\n",
        "_posts/2024-01-01-slug.md": "---\ntitle: a\nslug: ../../../../evil\n---\nx\n",
        "_posts/2024-01-02-perma.md": "---\ntitle: b\npermalink: /../../../evil/\n---\nx\n",
        "_posts/2024-01-03-alias.md": "---\ntitle: c\nredirect_from: [/../../../evil/]\n---\nx\n",
        "_posts/2024-01-04-images.md": "---\ntitle: d\n---\n![x](/../../secret.png) "
                                       "![y]({{ site.baseurl }}/../../secret.png)\n",
    })
    result = import_blog("jekyll", blog, site, load_config(site))
    skipped = {s.source: s.reason for s in result.skipped}
    assert "not a plain name" in skipped["_posts/2024-01-01-slug.md"]
    assert "leaves the output folder" in skipped["_posts/2024-01-02-perma.md"]
    assert "leaves the output folder" in skipped["_posts/2024-01-03-alias.md"]
    assert "leaves the site, not copied" in skipped["/../../secret.png"]
    assert [p.source for p in result.posts] == ["_posts/2024-01-04-images.md"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["blog", "secret.png", "site"]
    assert not [rel for rel, data in _files(site).items() if b"secret bytes" in data]
    build_site(site)  # and the build of what came in reads nothing outside either
    assert not [rel for rel, data in _files(site / "_site").items() if b"secret bytes" in data]


def _json_strings(folder: Path) -> set[str]:
    """Every string value in the JSON (or gzipped JSON) files under ``folder``."""
    found: set[str] = set()

    def walk(value) -> None:
        if isinstance(value, str):
            found.add(value)
        elif isinstance(value, dict):
            for k, v in value.items():
                walk(k)
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    for path in folder.rglob("*.json*"):
        data = path.read_bytes()
        walk(json.loads(gzip.decompress(data) if path.suffix == ".gz" else data))
    return found


# -- escaped everywhere: the text survives exactly, as text ------------------------------------

TRICKY = "{{ 7*7 }} ]]> --> <!-- </script><script>alert(\"t\")</script> & <b>굵게</b> 'q'"
TRICKY_DESC = "</title><meta http-equiv=refresh content=0;url=//evil.example.com> \"설명\" &amp;"
TRICKY_TAG = "\"><svg/onload=alert(1)>"


def test_titles_descriptions_and_tags_arrive_as_exact_text_on_every_surface(tmp_path):
    def q(text: str) -> str:
        return json.dumps(text, ensure_ascii=False)

    site = write_site(tmp_path / "s", {"content/posts/tricky.md": (
        f"---\ntitle: {q(TRICKY)}\ndescription: {q(TRICKY_DESC)}\ndate: 2024-04-24\n"
        f"tags: [{q(TRICKY_TAG)}]\n---\n본문 {{{{ 7*7 }}}} 그대로.\n")})
    build_site(site)
    out = site / "_site"
    doc = page(out, "posts/tricky/index.html")
    assert doc.findtext(".//h1").strip() == TRICKY  # no template ran: {{ 7*7 }}, not 49
    assert doc.findtext(".//title").startswith(TRICKY + " | ")
    meta = {m.get("property") or m.get("name"): m.get("content") for m in doc.iter("meta")
            if m.get("property") or m.get("name")}
    assert meta["og:title"] == meta["twitter:title"] == TRICKY
    assert meta["description"] == meta["og:description"] == TRICKY_DESC
    assert meta["article:tag"] == TRICKY_TAG
    assert not doc.xpath("//meta[@http-equiv='refresh']")  # the description made none
    [ld] = [s for s in doc.iter("script") if s.get("type") == "application/ld+json"]
    assert "</" not in ld.text  # nothing inside can close the script element
    data = json.loads(ld.text)
    assert (data["headline"], data["description"], data["keywords"]) == (
        TRICKY, TRICKY_DESC, [TRICKY_TAG])
    assert "본문 {{ 7*7 }} 그대로." in doc.xpath("//div[@class='doc-body']")[0].text_content()
    for listing in ("index.html", "posts/index.html"):
        assert TRICKY in [a.text_content().strip() for a in page(out, listing).iter("a")], listing
    rss = etree.fromstring((out / "feed.xml").read_bytes())
    assert rss.findtext("channel/item/title") == TRICKY
    assert rss.findtext("channel/item/category") == TRICKY_TAG
    atom = etree.fromstring((out / "atom.xml").read_bytes())
    ns = {"a": "http://www.w3.org/2005/Atom"}
    assert atom.findtext("a:entry/a:title", namespaces=ns) == TRICKY
    feed = json.loads((out / "feed.json").read_text(encoding="utf-8"))
    assert (feed["items"][0]["title"], feed["items"][0]["tags"]) == (TRICKY, [TRICKY_TAG])
    # The search index (whatever its layout) carries the title as a JSON string, which the
    # search page shows with textContent.
    assert TRICKY in _json_strings(out / "search")
    etree.fromstring((out / "sitemap.xml").read_bytes())
