"""Search: one tokenizer on both sides, an index that ranks sensibly, and a search page that
finds Korean words inside compounds, through particles, in English and mixed, in Chromium."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from urllib.parse import parse_qs, quote, unquote, urlsplit

import pytest
from conftest import CHROMIUM, REPO, build_site, static_server, write_site
from hypothesis import given, settings
from hypothesis import strategies as st

from digestgen.search.tokenize import fnv1a, index_terms, query_parts, shard_of

CASES = json.loads((REPO / "tests/fixtures/search/tokenize.json").read_text("utf-8"))["cases"]
needs_chromium = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="chromium not installed")


# -- the tokenizer, in Python ----------------------------------------------------------------


@pytest.mark.parametrize("case", CASES, ids=[c["text"][:12] for c in CASES])
def test_python_tokenizer_matches_the_shared_cases(case):
    assert index_terms(case["text"]) == case["index_terms"]
    assert [[p.text, p.kind, p.terms] for p in query_parts(case["text"])] == case["query_parts"]
    assert fnv1a(case["text"]) == case["fnv1a"]
    assert {t: shard_of(t, 64, 16) for t in case["shards"]} == case["shards"]


def test_hangul_is_indexed_as_bigrams_unigrams_and_the_whole_run():
    terms = index_terms("세이프텐서를")
    assert {"텐서", "세이", "서를"} <= set(terms)  # mid-compound pieces
    assert "텐" in terms  # one-syllable queries
    assert "=세이프텐서를" in terms  # exact-word bonus
    assert index_terms("ＧＰＴ-4o") == ["gpt", "4o"]  # full-width → ASCII, lower-cased


def test_words_with_one_prefix_share_a_shard():
    assert shard_of("transformer", 64, 16) == shard_of("transformers", 64, 16) == shard_of(
        "tr", 64, 16)


# -- what a page shows, as text ---------------------------------------------------------------

_WORDS = ["세이프", "텐서", "를", "model", "GPU", "&amp;", "&lt;b&gt;", "a>b", "🦜", " ", "\n"]
_INLINE = ["em", "strong", "a", "span", "code", "sup"]
_BLOCK = ["p", "div", "li", "h2", "td", "blockquote", "details"]


@st.composite
def _html(draw, depth=0):
    parts = []
    for _ in range(draw(st.integers(0, 4))):
        kind = draw(st.sampled_from(["text", "text", "inline", "block", "img", "br", "pre"]))
        if kind == "text" or depth > 3:
            parts.append(draw(st.sampled_from(_WORDS)))
        elif kind == "img":
            parts.append(f'<img src="x.png" alt="{draw(st.sampled_from(["대체", "a > b", ""]))}">')
        elif kind == "br":
            parts.append("<br>")
        elif kind == "pre":
            parts.append(f'<pre class="highlight"><code><span class="n">{draw(st.sampled_from(_WORDS[:5]))}'
                         "</span></code></pre>")
        else:
            tag = draw(st.sampled_from(_INLINE if kind == "inline" else _BLOCK))
            attrs = draw(st.sampled_from(["", ' class="x"', ' title="a > b"', " data-x='1>2'"]))
            parts.append(f"<{tag}{attrs}>{draw(_html(depth + 1))}</{tag}>")
    return "".join(parts)


@settings(max_examples=300, deadline=None)
@given(_html())
def test_page_text_is_what_a_parser_reads(fragment):
    """The scanner reads the same characters as lxml: text, alt text; code apart."""
    from lxml import html as lxml_html

    from digestgen.search.text import body_text

    root = lxml_html.fragment_fromstring(f"<div>{fragment}</div>")
    code = [pre.text_content() for pre in root.iter("pre")]
    for pre in list(root.iter("pre")):
        pre.drop_tree()
    for img in list(root.iter("img")):
        img.tail = f" {img.get('alt') or ''} {img.tail or ''}"
        img.drop_tree()
    prose, got_code = body_text(fragment)
    squeeze = lambda text: "".join(text.split())  # noqa: E731
    assert squeeze(prose) == squeeze(root.text_content())
    assert squeeze(got_code) == squeeze("".join(code))


def test_inline_markup_joins_a_word_and_blocks_end_lines():
    from digestgen.search.text import body_text

    prose, code = body_text('<p>세이프<em>텐서</em>를 봅니다</p><p>다음 줄</p><!-- 숨김 -->'
                            '<script>alert(1)</script><pre><code>@Transactional</code></pre>'
                            '<button type="button">복사</button>')
    assert prose == "세이프텐서를 봅니다\n다음 줄"
    assert code == "@Transactional"
    assert index_terms(prose).count("=세이프텐서를") == 1


# -- the index -------------------------------------------------------------------------------

SITE = {
    "content/posts/safetensors.md": """
        ---
        title: 허깅페이스, 세이프텐서를 기본 형식으로
        date: 2024-05-01
        tags: [보안]
        ---
        허깅페이스를 쓰는 팀이라면 모델 파일 형식을 다시 살펴볼 때입니다. transformers 라이브러리는
        이제 피클 대신 안전한 형식을 기본으로 씁니다.
        """,
    "content/posts/llama.md": """
        ---
        title: 메타, 라마 3 공개
        date: 2024-04-20
        tags: [오픈소스, LLM]
        ---
        메타가 새 언어 모델을 공개했습니다. 벤치마크에서 큰 모델과 견줄 만한 성능을 보였습니다.
        """,
    "content/posts/older-llama.md": """
        ---
        title: 메타, 라마 2 공개
        date: 2023-07-18
        tags: [오픈소스, LLM]
        ---
        메타가 새 언어 모델을 공개했습니다. 벤치마크에서 큰 모델과 견줄 만한 성능을 보였습니다.
        """,
    "content/posts/xss.md": """
        ---
        title: "<img src=x onerror=alert(1)> 제목 주입 시험"
        date: 2024-03-01
        ---
        본문에도 <b>굵게</b> 와 &lt;script&gt; 문자열을 적어 둡니다. 주입 시험 문서.
        """,
    "content/posts/draft.md": """
        ---
        title: 비공개 초안 문서
        date: 2024-06-01
        draft: true
        ---
        초안에만 있는 낱말: 쿼크플럭스
        """,
    "content/wiki/tokenizer.md": """
        ---
        created: 2023-01-01
        ---
        # 토크나이저

        글을 작은 조각으로 나누는 도구.

        ## 바이트 페어 인코딩

        자주 나오는 글자 쌍을 합쳐 나가는 방식.
        """,
    "content/posts/spring-code.md": """
        ---
        title: 스프링 서비스 예제
        date: 2024-02-01
        ---
        서비스 계층 예제입니다.

        ```java
        @Transactional
        public void saveAll(List<Order> orders) {
            orderRepository.saveAll(orders); // 코드속주석낱말
        }
        ```
        """,
    "content/posts/spring-prose.md": """
        ---
        title: 스프링 트랜잭션 경계
        date: 2024-02-02
        ---
        트랜잭션 경계는 `@Transactional` 애너테이션을 붙인 메서드가 정합니다.
        """,
    "content/posts/raw-html.md": """
        ---
        title: 원시 HTML 블록이 있는 글
        date: 2024-02-03
        ---
        <div class="callout">
        <p>블록속낱말 하나가 여기에 있습니다. <img src="x.png" alt="대체글낱말"></p>
        </div>

        오늘 배포에는 🦜 앵무새가 함께했습니다.
        """,
    "content/posts/long.md": (
        "---\ntitle: 아주 긴 관측 기록\ndate: 2024-01-15\n---\n"
        + "".join(f"{k}번째 문단은 평범한 관측 기록입니다. 바람과 파도와 구름이 지나갔습니다.\n\n"
                  for k in range(200))
        + "마지막 문단에서 심해탐사로봇 이야기가 처음 나옵니다.\n"
    ),
    "content/briefs/brief-2024-05.txt": (
        " \nABC AI Brief\n\n인공지능 동향 2024년 5월호\n\nCONTENTS\n\n▷ 가상 기관, 새 평가 지침 발표\t1\n\n"
        "Ⅰ. 인공지능 산업 동향\n\n1. 정책/법제\t2. 기업/산업\n\n"
        "가상 기관, 새 평가 지침 발표\n\nKEY Contents\n\n- 가상 기관이 평가 지침을 발표\n"
        "- 지침은 내년부터 시행\n\n● 주요 내용\n\n- (평가) 배포 전 레드팀 평가 의무화\n\n"
        "☞ 출처: 가상 기관, 보도자료, 2024.05.02.\n"
    ),
}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = write_site(tmp_path_factory.mktemp("search"), SITE)
    build_site(root)
    return root / "_site"


def load(out: Path, name: str):
    return json.loads(gzip.decompress((out / "search" / name).read_bytes()))


def fragments(out: Path) -> list[dict]:
    manifest = json.loads((out / "search/manifest.json").read_text())
    return [load(out, f"f/{i}.json.gz") for i in range(manifest["entries"])]


def test_index_entries_are_oldest_first_and_exclude_drafts(site):
    # Oldest first: a new post takes the next id and leaves every other posting as it was.
    frags = fragments(site)
    titles = [f["t"] for f in frags]
    assert "비공개 초안 문서" not in titles
    assert not any("쿼크플럭스" in f["x"] for f in frags)
    dated = [f["d"] for f in frags if f["d"]]
    assert dated == sorted(dated)


def test_each_brief_article_is_an_entry_with_a_deep_link(site):
    frags = fragments(site)
    article = next(f for f in frags if f["t"] == "가상 기관, 새 평가 지침 발표")
    assert unquote(article["u"]) == "/ai-digest/briefs/brief-2024-05/#가상-기관-새-평가-지침-발표"
    assert "레드팀" in article["x"]


def test_wiki_entries_carry_their_headings(site):
    note = next(f for f in fragments(site) if f["t"] == "토크나이저")
    assert note["h"] == [["바이트 페어 인코딩", "바이트-페어-인코딩"]]


def test_postings_rank_a_title_match_above_a_body_match(site):
    manifest = json.loads((site / "search/manifest.json").read_text())
    frags = fragments(site)
    term = "라마"
    shard = load(site, shard_of(term, manifest["cjk_shards"], manifest["word_shards"]) + ".json.gz")
    flat = shard[term]
    ids, scores, last = [], [], 0
    for k in range(0, len(flat), 2):
        last += flat[k]
        ids.append(last)
        scores.append(flat[k + 1])
    by_title = {frags[i]["t"]: s for i, s in zip(ids, scores, strict=True)}
    assert set(by_title) == {"메타, 라마 3 공개", "메타, 라마 2 공개"}


def test_shards_are_text_the_browser_can_read_a_list_out_of(tmp_path):
    # The browser reads posting lists out of a shard's text (it does not parse the whole
    # shard): keys sorted, never a quote or a backslash in one, values flat lists of integers.
    from digestgen.search.index import build_postings

    fields = [('say "hi" \\ path', "c:\\dir 태그", "", 'print("q") # \\n 🚀',
               'x"y\\z 세이프텐서 "인용" 12 3.5'),
              ("transformer transformers tr", "", "", "", "4 40 400 a b")]
    files, _ = build_postings(fields)
    for name, data in files.items():
        text = gzip.decompress(data).decode("utf-8")
        shard = json.loads(text)
        assert list(shard) == sorted(shard), name
        for term, flat in shard.items():
            assert '"' not in term and "\\" not in term, term
            assert flat and all(type(v) is int for v in flat), term
            assert f'"{term}":{json.dumps(flat, separators=(",", ":"))}' in text


def test_a_deep_match_points_to_the_chunk_that_holds_it(site):
    # The posting notes the chunk of the text where the term first occurs; that chunk has a
    # result file of its own, and a query fetches it instead of the whole text.
    manifest = json.loads((site / "search/manifest.json").read_text())
    doc_id = next(i for i, f in enumerate(fragments(site)) if f["t"] == "아주 긴 관측 기록")
    term = "탐사"
    shard = load(site, shard_of(term, manifest["cjk_shards"], manifest["word_shards"]) + ".json.gz")
    flat, at, value = shard[term], 0, None
    for k in range(0, len(flat), 2):
        at += flat[k]
        if at == doc_id:
            value = flat[k + 1]
    chunk = value % 16
    assert chunk > 0
    assert "심해탐사로봇" in load(site, f"f/{doc_id}-{chunk}.json.gz")["x"]
    assert "심해탐사로봇" not in load(site, f"f/{doc_id}.json.gz")["x"]
    assert "0번째 문단" in load(site, f"f/{doc_id}.json.gz")["x"]


def test_index_is_text_only(site):
    xss = next(f for f in fragments(site) if "주입" in f["t"])
    assert xss["t"] == "<img src=x onerror=alert(1)> 제목 주입 시험"  # stored as text…
    page = (site / "search/index.html").read_text()
    assert "onerror" not in page  # …and nothing of it is in the page's HTML


def test_builds_of_the_index_are_byte_identical(tmp_path):
    root = write_site(tmp_path / "s", SITE)
    build_site(root, output=tmp_path / "a")
    build_site(root, output=tmp_path / "b")
    for path in sorted((tmp_path / "a/search").rglob("*")):
        if path.is_file():
            other = tmp_path / "b/search" / path.relative_to(tmp_path / "a/search")
            assert path.read_bytes() == other.read_bytes(), path


# -- in the browser --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    root = tmp_path_factory.mktemp("srv")
    build_site(write_site(tmp_path_factory.mktemp("s"), SITE), output=root / "ai-digest")
    with static_server(root) as url:
        yield url


@pytest.fixture
def pg(browser):
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("dialog", lambda d: errors.append(f"dialog: {d.message}") or d.dismiss())
    yield page
    page.close()
    assert errors == []


def search(pg, served, query: str) -> list[tuple[str, str]]:
    pg.goto(served + "search/?q=" + quote(query))
    pg.wait_for_selector("#search-results[data-state=done]", state="attached", timeout=5000)
    links = pg.locator("#search-results li a.result-title")
    return [(links.nth(i).inner_text(), unquote(links.nth(i).get_attribute("href")))
            for i in range(links.count())]


@needs_chromium
def test_browser_tokenizer_matches_the_shared_cases(served, pg):
    pg.goto(served + "search/")
    pg.wait_for_function("window.digestgenSearch !== undefined")
    got = pg.evaluate("""cases => cases.map(c => ({
        index_terms: digestgenSearch.indexTerms(c.text),
        query_parts: digestgenSearch.queryParts(c.text).map(p => [p.text, p.kind, p.terms]),
        fnv1a: digestgenSearch.fnv1a(c.text),
        shards: Object.fromEntries(Object.keys(c.shards).map(t => [t, digestgenSearch.shardOf(t, 64, 16)])),
    }))""", CASES)
    for case, result in zip(CASES, got, strict=True):
        expected = {k: case[k] for k in ("index_terms", "query_parts", "fnv1a", "shards")}
        assert result == expected, case["text"]


@needs_chromium
def test_browser_reads_posting_lists_out_of_shard_text(served, pg):
    # Shard.get and Shard.prefixed, which read lists out of the text, agree with a full parse
    # of every shard, for every term and every prefix of one.
    pg.goto(served + "search/")
    pg.wait_for_function("window.digestgenSearch !== undefined")
    problems = pg.evaluate("""async () => {
        const api = digestgenSearch;
        const idx = new api.Index(document.getElementById("search-input").dataset.manifest);
        const m = await idx.ready();
        const names = [];
        for (let k = 0; k < m.cjk_shards; k++) names.push("h" + k);
        for (let k = 0; k < m.word_shards; k++) names.push("w" + k);
        const bad = [];
        let terms = 0;
        for (const name of names) {
            const url = idx.base + name + ".json.gz?v=" + m.hash;
            const text = await idx.load(url, true, true);
            const whole = JSON.parse(text);
            const shard = new api.Shard(text);
            for (const term of Object.keys(whole)) {
                terms++;
                if (JSON.stringify(shard.get(term)) !== JSON.stringify(whole[term])) bad.push(["get", term]);
                for (let n = 1; n <= term.length; n++) {
                    const prefix = term.slice(0, n);
                    const want = Object.keys(whole).filter(t => t.startsWith(prefix)).sort()
                        .map(t => [t, whole[t]]);
                    const got = shard.prefixed(prefix).sort((a, b) => a[0] < b[0] ? -1 : 1);
                    if (JSON.stringify(got) !== JSON.stringify(want)) bad.push(["prefixed", prefix]);
                }
            }
            if (shard.get("없는낱말") !== null || shard.prefixed("zzzq").length) bad.push(["missing", name]);
        }
        return terms > 20 ? bad : [["too few terms", terms]];
    }""")
    assert problems == []


@needs_chromium
@pytest.mark.parametrize(("query", "expected"), [
    ("텐서", "허깅페이스, 세이프텐서를 기본 형식으로"),  # inside a compound
    ("페이스", "허깅페이스, 세이프텐서를 기본 형식으로"),  # inside a compound, not a prefix
    ("허깅페이스의", "허깅페이스, 세이프텐서를 기본 형식으로"),  # a particle the page lacks
    ("transformer", "허깅페이스, 세이프텐서를 기본 형식으로"),  # English, by prefix
    ("메타 LLM", "메타, 라마 3 공개"),  # mixed; the newer of two equal matches first
    ("레드팀", "가상 기관, 새 평가 지침 발표"),  # a brief's article
])
def test_queries_find_the_right_document_first(served, pg, query, expected):
    results = search(pg, served, query)
    assert results and results[0][0].startswith(expected), results


@needs_chromium
def test_words_only_in_code_blocks_are_found_below_prose(served, pg):
    results = [t for t, _ in search(pg, served, "@Transactional")]
    assert results[:2] == ["스프링 트랜잭션 경계", "스프링 서비스 예제"]  # prose first, code second
    assert [t for t, _ in search(pg, served, "코드속주석낱말")] == ["스프링 서비스 예제"]
    assert [t for t, _ in search(pg, served, "saveAll")] == ["스프링 서비스 예제"]
    snippet = pg.locator("#search-results li .result-snippet").first
    assert "saveall" in [m.lower() for m in snippet.locator("mark").all_inner_texts()]


@needs_chromium
def test_text_inside_raw_html_blocks_and_alt_text_is_found(served, pg):
    assert [t for t, _ in search(pg, served, "블록속낱말")] == ["원시 HTML 블록이 있는 글"]
    assert [t for t, _ in search(pg, served, "대체글낱말")] == ["원시 HTML 블록이 있는 글"]


@needs_chromium
def test_emoji_are_searchable_and_highlighted(served, pg):
    assert [t for t, _ in search(pg, served, "🦜")] == ["원시 HTML 블록이 있는 글"]
    marks = pg.locator("#search-results li .result-snippet mark").all_inner_texts()
    assert "🦜" in marks
    assert search(pg, served, "🐙") == []


@needs_chromium
def test_snippet_shows_a_match_deep_in_a_long_document(served, pg):
    results = search(pg, served, "심해탐사로봇")
    assert results[0][0] == "아주 긴 관측 기록"
    snippet = pg.locator("#search-results li .result-snippet").first
    assert snippet.locator("mark").all_inner_texts() == ["심해탐사로봇"]


@needs_chromium
def test_a_long_query_is_searched_whole_but_kept_short_in_the_url(served, pg):
    # 2,000 characters typed: the address bar keeps the first 200 or fewer (a longer URL is
    # refused by servers when the page is reloaded or shared); the search runs on all of it.
    query = "라마 " * 660 + "페어 인코딩"
    assert len(query) >= 1980
    pg.goto(served + "search/")
    pg.wait_for_function("window.digestgenSearch && window.digestgenSearch.ready")
    pg.fill("#search-input", query)
    pg.wait_for_selector("#search-results[data-state=done]", state="attached")
    pg.wait_for_function("location.search.length > 0")
    kept = parse_qs(urlsplit(pg.url).query)["q"][0]
    assert len(kept) <= 200 and query.startswith(kept) and "인코딩" not in kept
    assert len(pg.url.encode()) < 2100
    titles = [pg.locator("#search-results li a.result-title").nth(i).inner_text()
              for i in range(pg.locator("#search-results li").count())]
    assert any(t.startswith("토크나이저") for t in titles)  # found by the words past the cut
    assert pg.input_value("#search-input") == query  # what the reader typed stays in the box
    assert len(pg.inner_text("#search-status")) < 200  # the status line repeats it cut short
    pg.reload()  # the kept URL loads (and searches what it holds)
    pg.wait_for_selector("#search-results[data-state=done]", state="attached")
    assert pg.input_value("#search-input") == kept


@needs_chromium
def test_header_box_cannot_make_a_url_servers_refuse(served, pg):
    pg.goto(served + "posts/llama/")
    assert pg.get_attribute("header form.site-search input[name=q]", "maxlength") == "200"


@needs_chromium
def test_one_syllable_query(served, pg):
    titles = [t for t, _ in search(pg, served, "텐")]
    assert any(t.startswith("허깅페이스, 세이프텐서를") for t in titles)


@needs_chromium
def test_no_results(served, pg):
    assert search(pg, served, "존재하지않는낱말쿼크") == []
    assert "검색 결과가 없습니다" in pg.inner_text("#search-status")


@needs_chromium
def test_matches_are_highlighted_in_title_and_snippet(served, pg):
    search(pg, served, "세이프텐서")
    first = pg.locator("#search-results li").first
    assert "세이프텐서" in first.locator("a.result-title mark").all_inner_texts()
    assert first.locator(".result-snippet").count() == 1


@needs_chromium
def test_result_shows_section_and_the_date_as_pages_show_it(served, pg):
    search(pg, served, "세이프텐서")
    meta = pg.locator("#search-results li").first.locator(".result-meta")
    assert meta.locator("time").get_attribute("datetime") == "2024-05-01"
    assert meta.inner_text() == "포스트 · 2024년 5월 1일"
    pg.goto(served + "posts/safetensors/")
    assert pg.locator("main time").first.inner_text() == "2024년 5월 1일"


@needs_chromium
def test_article_results_link_to_their_anchor_and_wiki_results_to_a_heading(served, pg):
    results = dict(search(pg, served, "레드팀"))
    assert results["가상 기관, 새 평가 지침 발표"].endswith(
        "/briefs/brief-2024-05/#가상-기관-새-평가-지침-발표")
    results = search(pg, served, "페어 인코딩")
    assert results[0][1].endswith("/wiki/tokenizer/#바이트-페어-인코딩")
    assert "바이트 페어 인코딩" in results[0][0]


@needs_chromium
def test_results_are_text_never_html(served, pg):
    results = search(pg, served, "주입 시험")
    assert results[0][0].startswith("<img src=x onerror=alert(1)>")
    assert pg.locator("#search-results img").count() == 0


@needs_chromium
def test_typing_updates_results_and_the_url(served, pg):
    pg.goto(served + "search/")
    pg.wait_for_function("window.digestgenSearch && window.digestgenSearch.ready")
    assert pg.evaluate("document.activeElement.id") == "search-input"
    pg.keyboard.type("라마")
    pg.wait_for_function("document.querySelectorAll('#search-results li').length > 0")
    assert "q=" in pg.url and unquote(pg.url.split("q=")[1]) == "라마"
    pg.keyboard.press("ArrowDown")
    assert pg.evaluate("document.activeElement.className") == "result-title"
    pg.keyboard.press("ArrowUp")
    assert pg.evaluate("document.activeElement.id") == "search-input"


@needs_chromium
def test_header_box_on_every_page_submits_to_the_search_page(served, pg):
    pg.goto(served + "posts/llama/")
    pg.fill("header form.site-search input[name=q]", "라마")
    pg.press("header form.site-search input[name=q]", "Enter")
    pg.wait_for_selector("#search-results[data-state=done]")
    assert pg.input_value("#search-input") == "라마"
    assert pg.locator("#search-results li").count() == 2


@needs_chromium
def test_without_javascript_the_page_says_so(served, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(served + "search/?q=라마")
    assert "JavaScript" in page.inner_text("main")
    context.close()
