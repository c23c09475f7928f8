"""Make a deterministic Korean AI-digest corpus for benchmarks.

    python bench/corpus.py N DIR
    python bench/corpus.py --stats BUILT_SITE   (text per page and vocabulary, as JSON)

writes N posts (about 4 KB of Markdown each: headings, lists, a table, a code block, 1–3 tags,
a category) twice, in digestgen's layout (DIR/digestgen) and in Hugo's (DIR/hugo, with minimal
layouts that render the same pages, lists, tags and RSS), plus DIR/queries.json: search queries
by class, each with the posts that must come back. Query targets are planted in a few posts
each and never occur in the filler text, so the relevance judgments are exact.

The filler's vocabulary is a few hundred words, which suits build timings but not the size of
a search index: `write_realistic` (bench/realistic.py) writes long-form blog text with a real
blog's vocabulary, and `real_queries` draws queries, with their relevant posts, from the text of
any built site, a real blog's included.
"""

from __future__ import annotations

import json
import random
import re
import sys
import textwrap
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

COMPANIES = ["오픈AI", "구글", "메타", "앤트로픽", "마이크로소프트", "네이버", "카카오", "삼성전자",
             "엔비디아", "애플", "아마존", "업스테이지", "미스트랄", "딥마인드", "알리바바"]
TOPICS = ["언어 모델", "이미지 생성", "음성 인식", "반도체", "데이터센터", "규제", "저작권", "교육",
          "의료 영상", "로봇 공학", "검색 서비스", "코딩 도구", "번역", "추천 시스템", "자율주행"]
ACTIONS = ["공개했다", "발표했다", "출시했다", "도입했다", "확대했다", "시험하고 있다", "준비 중이다",
           "검토하고 있다", "투자했다", "협력하기로 했다"]
DETAILS = ["성능을 크게 끌어올렸다는 평가를 받았다", "비용을 절반 가까이 줄였다고 밝혔다",
           "개발자 커뮤니티의 관심을 모았다", "규제 당국의 검토를 받고 있다",
           "사용자 개인정보 보호 방안을 함께 내놓았다", "경쟁사와의 격차를 줄였다",
           "학계와 산업계의 평가가 엇갈렸다", "후속 연구 계획도 공개했다"]
ENGLISH = ["benchmark", "inference", "fine-tuning", "open-source", "GPU", "agent", "context window",
           "latency", "token", "dataset", "evaluation", "alignment"]
TAGS = ["LLM", "오픈소스", "규제", "반도체", "에이전트", "멀티모달", "보안", "교육", "연구", "투자",
        "클라우드", "로보틱스"]
CATEGORIES = ["AI 뉴스", "정책", "산업", "연구", "주간 모음"]

# Query targets: planted in a few posts each, absent from the filler above.
TARGETS = {
    "safetensors": "허깅페이스가 세이프텐서를 기본 형식으로 정하면서 모델 배포가 한결 안전해졌다.",
    "huggingface": "허깅페이스에서 내려받은 모델 카드를 허깅페이스를 통해 다시 공유하는 흐름이 생겼다.",
    "orchestration": "멀티에이전트오케스트레이션은 여러 에이전트에게 일을 나눠 맡기는 설계를 말한다.",
    "neuromorphic": "뉴로모픽칩이 전력 효율 면에서 주목받으며 뉴로모픽칩의 시제품도 나왔다.",
    "penguin": "전시장에서는 펭귄로봇이 관람객을 안내해 눈길을 끌었다.",
    "mixtral": "Mixtral 계열 모델은 전문가 혼합 구조의 라우팅 방식으로 추론 비용을 낮췄다.",
    "routing": "요청을 알맞은 모델로 보내는 라우팅 계층이 서비스 품질을 좌우한다.",
    "safetensors_en": "The safetensors format stores only tensor values, so loading runs no code.",
}
# Which posts carry which targets: post index → target keys (5 posts per query class).
QUERIES = [
    # class, query, the targets whose posts must all come back
    ("mid-compound", "텐서", ["safetensors"]),
    ("mid-compound", "오케스트레이션", ["orchestration"]),
    ("mid-compound", "모픽", ["neuromorphic"]),
    ("particle", "허깅페이스의", ["huggingface", "safetensors"]),
    ("particle", "뉴로모픽칩은", ["neuromorphic"]),
    ("english", "safetensor", ["safetensors_en"]),
    ("english", "mixtral", ["mixtral"]),
    ("mixed", "mixtral 라우팅", ["mixtral"]),
    ("one-syllable", "펭", ["penguin"]),
]
PER_TARGET = 5


def _plan(n: int, rng: random.Random) -> dict[int, list[str]]:
    if n < 60:
        raise SystemExit("corpus.py: N must be at least 60 (query targets need room)")
    posts = rng.sample(range(n), PER_TARGET * len(TARGETS))
    plan: dict[int, list[str]] = {}
    for k, key in enumerate(TARGETS):
        for i in posts[k * PER_TARGET : (k + 1) * PER_TARGET]:
            plan.setdefault(i, []).append(key)
    return plan


def _subject(name: str) -> str:
    """The subject particle a Korean name takes: 이 after a final consonant, else 가."""
    last = ord(name[-1]) - 0xAC00
    return name + ("이" if 0 <= last < 11172 and last % 28 else "가")


def _sentence(rng: random.Random) -> str:
    return (f"{_subject(rng.choice(COMPANIES))} {rng.choice(TOPICS)} 분야에서 새 "
            f"{rng.choice(ENGLISH)} 관련 기능을 {rng.choice(ACTIONS)}. 이번 발표는 "
            f"{rng.choice(DETAILS)}.")


def _paragraph(rng: random.Random, sentences: int) -> str:
    return " ".join(_sentence(rng) for _ in range(sentences))


def post(i: int, rng: random.Random, planted: list[str], n: int) -> tuple[str, dict]:
    """One post's Markdown body and its frontmatter values."""
    company, topic = rng.choice(COMPANIES), rng.choice(TOPICS)
    title = f"{company}, {topic} 소식 정리 #{i}"
    tags = rng.sample(TAGS, rng.randint(1, 3))
    category = rng.choice(CATEGORIES)
    # Spread evenly over 2012–2025: always in the past, so every tool builds every post (Hugo
    # skips future-dated ones by default).
    when = START + timedelta(minutes=i * SPAN_MINUTES // n)
    meta = {"title": title, "date": when.strftime("%Y-%m-%d %H:%M:00"),
            "tags": tags, "category": category, "slug": f"post-{i:05d}"}
    extra = [TARGETS[key] for key in planted]
    sections = []
    for s in range(3):
        bullets = "\n".join(f"- **{rng.choice(TOPICS)}**: {_sentence(rng)}" for _ in range(3))
        body = _paragraph(rng, 3)
        if extra and s == 1:
            body = f"{body} {' '.join(extra)}"
        sections.append(f"## {rng.choice(TOPICS)} 동향 {s + 1}\n\n{body}\n\n{bullets}\n")
    table = "| 회사 | 분야 | 비고 |\n|---|---|---|\n" + "\n".join(
        f"| {rng.choice(COMPANIES)} | {rng.choice(TOPICS)} | {rng.choice(ENGLISH)} |"
        for _ in range(3))
    code = textwrap.dedent(f"""\
        ```python
        def score_{i}(tokens: list[str]) -> float:
            # {rng.choice(ENGLISH)} 평가용 간단한 예제
            return sum(len(t) for t in tokens) / max(len(tokens), 1)
        ```""")
    body = f"{_paragraph(rng, 4)}\n\n" + "\n".join(sections) + f"\n{table}\n\n{code}\n"
    return body, meta


START = datetime(2012, 1, 1)
SPAN_MINUTES = int((datetime(2025, 6, 30) - START).total_seconds() // 60)


def _frontmatter(meta: dict, category_key: str) -> str:
    tags = "\n".join(f"  - {t}" for t in meta["tags"])
    return (f"---\ntitle: \"{meta['title']}\"\ndate: {meta['date']}\nslug: {meta['slug']}\n"
            f"tags:\n{tags}\n{category_key}:\n  - {meta['category']}\n---\n\n")


HUGO_CONFIG = """\
baseURL = "https://example.github.io/bench/"
languageCode = "ko"
title = "벤치마크 다이제스트"
defaultContentLanguage = "ko"
hasCJKLanguage = true
paginate = 10
[taxonomies]
  tag = "tags"
  category = "categories"
[markup.highlight]
  noClasses = false
"""

HUGO_LAYOUTS = {
    "_default/baseof.html": """<!doctype html><html lang="ko"><head><meta charset="utf-8">
<title>{{ .Title }} | {{ .Site.Title }}</title>
{{ range .AlternativeOutputFormats }}<link rel="{{ .Rel }}" type="{{ .MediaType.Type }}" href="{{ .Permalink }}">{{ end }}
</head><body><header><a href="{{ "/" | relURL }}">{{ .Site.Title }}</a></header>
<main>{{ block "main" . }}{{ end }}</main></body></html>
""",
    "_default/single.html": """{{ define "main" }}<article><h1>{{ .Title }}</h1>
<time datetime="{{ .Date.Format "2006-01-02T15:04:05-07:00" }}">{{ .Date.Format "2006-01-02" }}</time>
<p>{{ .ReadingTime }}분</p>{{ .Content }}
<ul>{{ range .Params.tags }}<li><a href="{{ "tags/" | relURL }}{{ . | urlize }}/">{{ . }}</a></li>{{ end }}</ul>
{{ with .PrevInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}
{{ with .NextInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}
</article>{{ end }}
""",
    "_default/list.html": """{{ define "main" }}<h1>{{ .Title }}</h1><ul>
{{ range .Paginator.Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Date.Format "2006-01-02" }}<p>{{ .Summary }}</p></li>{{ end }}
</ul>{{ template "_internal/pagination.html" . }}{{ end }}
""",
    "_default/terms.html": """{{ define "main" }}<h1>{{ .Title }}</h1><ul>
{{ range .Data.Terms.Alphabetical }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> {{ .Count }}</li>{{ end }}
</ul>{{ end }}
""",
    "index.html": """{{ define "main" }}<ul>
{{ range (.Paginate (where .Site.RegularPages "Section" "posts")).Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a><p>{{ .Summary }}</p></li>{{ end }}
</ul>{{ template "_internal/pagination.html" . }}{{ end }}
""",
}


def write(n: int, out: Path) -> None:
    rng = random.Random(20241123)
    plan = _plan(n, rng)
    dg, hugo = out / "digestgen", out / "hugo"
    (dg / "content/posts").mkdir(parents=True, exist_ok=True)
    (hugo / "content/posts").mkdir(parents=True, exist_ok=True)
    (dg / "site.yaml").write_text(
        "title: 벤치마크 다이제스트\nbase_url: https://example.github.io/bench/\nlanguage: ko\n"
        "timezone: Asia/Seoul\npaginate: 10\n", encoding="utf-8")
    (hugo / "hugo.toml").write_text(HUGO_CONFIG, encoding="utf-8")
    for rel, text in HUGO_LAYOUTS.items():
        path = hugo / "layouts" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    planted_slugs: dict[str, list[str]] = {key: [] for key in TARGETS}
    for i in range(n):
        body, meta = post(i, rng, plan.get(i, []), n)
        name = f"{meta['slug']}.md"
        (dg / "content/posts" / name).write_text(_frontmatter(meta, "categories") + body,
                                                 encoding="utf-8")
        (hugo / "content/posts" / name).write_text(_frontmatter(meta, "categories") + body,
                                                   encoding="utf-8")
        for key in plan.get(i, []):
            planted_slugs[key].append(meta["slug"])
    queries = []
    for cls, query, keys in QUERIES:
        relevant = sorted(set.intersection(*(set(planted_slugs[k]) for k in keys))
                          if cls == "mixed" else {s for k in keys for s in planted_slugs[k]})
        queries.append({"class": cls, "query": query, "relevant": relevant})
    (out / "queries.json").write_text(json.dumps({"posts": n, "queries": queries},
                                                 ensure_ascii=False, indent=1), encoding="utf-8")


# -- queries judged on the text of a built site ---------------------------------------------------
#
# For real text there are no planted targets: queries are drawn from the built pages themselves,
# and a query's relevant documents are those whose text holds it (a Korean piece anywhere, a Latin
# word at the start of a word). Only queries that at most MAX_RELEVANT documents hold are kept,
# so that every relevant document fits in a top 10. The judgement reads the same HTML both
# engines index, not digestgen's model of it.

MAX_RELEVANT = 5
# Particles as written after a vowel and after a consonant.
PARTICLES = (("의", "의"), ("는", "은"), ("를", "을"), ("에서", "에서"), ("로", "으로"),
             ("와", "과"), ("도", "도"), ("만", "만"), ("까지", "까지"), ("라는", "이라는"))
_ALL_PARTICLES = sorted({x for pair in PARTICLES for x in pair}, key=len, reverse=True)


def _attach(noun: str, particle: tuple[str, str]) -> str:
    last = ord(noun[-1]) - 0xAC00
    return noun + particle[1 if 0 <= last < 11172 and last % 28 else 0]
_HANGUL_RUN = re.compile("[\uac00-\ud7a3]+")
_LATIN_WORD = re.compile("(?<![a-z0-9_])[a-z][a-z0-9]{3,}(?![a-z0-9])")
_CODE_NAME = re.compile("@?[A-Za-z_][A-Za-z0-9_]{5,}")


@dataclass(frozen=True)
class PageText:
    url: str  # path under the site, as the result's URL ends
    title: str
    prose: str  # NFKC, lower-cased
    code: str


def page_texts(site: Path, glob: str = "posts/*/index.html") -> list[PageText]:
    """Title, prose and code of every document page (``<article class="doc …">``)."""
    from lxml import html as lxml_html

    out = []
    for path in sorted(site.glob(glob)):
        tree = lxml_html.parse(str(path))
        article = tree.xpath("//article[contains(concat(' ', @class, ' '), ' doc ')]")
        if not article:
            continue
        body = article[0].xpath(".//*[contains(concat(' ', @class, ' '), ' doc-body ')]")
        title = " ".join(t.strip() for t in article[0].xpath(".//h1//text()"))
        code = "\n".join(pre.text_content() for pre in (body[0].iter("pre") if body else ()))
        for pre in list(body[0].iter("pre")) if body else ():
            pre.getparent().remove(pre)
        prose = body[0].text_content() if body else ""
        url = "/" + path.parent.relative_to(site).as_posix() + "/"
        out.append(PageText(url, unicodedata.normalize("NFKC", title).lower(),
                            unicodedata.normalize("NFKC", prose).lower(), code))
    return out


def _holders(pages: list[PageText], test) -> list[str]:
    return [p.url for p in pages if test(p)]


def real_queries(pages: list[PageText], per_class: int = 8, seed: int = 7) -> list[dict]:
    """Queries of six classes drawn from ``pages``, each with the documents that hold it."""
    rng = random.Random(seed)
    whole = [f"{p.title}\n{p.prose}\n{p.code.lower()}" for p in pages]

    def holding(piece: str) -> list[str]:
        return [p.url for p, text in zip(pages, whole, strict=True) if piece in text]

    def holding_word(word: str) -> list[str]:
        pattern = re.compile("(?<![a-z0-9_])" + re.escape(word))
        return [p.url for p, text in zip(pages, whole, strict=True) if pattern.search(text)]

    runs: dict[str, int] = {}
    latin: dict[str, None] = {}
    for p in pages:
        for run in _HANGUL_RUN.findall(f"{p.title} {p.prose}"):
            runs[run] = runs.get(run, 0) + 1
        for word in _LATIN_WORD.findall(p.prose):
            latin.setdefault(word, None)
    # Nouns, roughly: runs that also occur with a particle attached (모델 and 모델을).
    nouns = sorted(r for r in runs if 2 <= len(r) <= 4
                   and any(_attach(r, x) in runs for x in PARTICLES))
    inside = {run[k:k + n] for run in runs for n in (2, 3, 4) for k in range(1, len(run) - n + 1)}
    prose_names = {m.lower() for p in pages for m in _CODE_NAME.findall(f"{p.title} {p.prose}")}
    code_names: dict[str, None] = {}
    for p in pages:
        for name in _CODE_NAME.findall(p.code):
            if name.lstrip("@").lower() not in prose_names:
                code_names.setdefault(name, None)

    def pick(cls: str, candidates, judge) -> list[dict]:
        candidates = list(candidates)
        rng.shuffle(candidates)
        out = []
        for query in candidates:
            relevant = judge(query)
            if relevant and 1 <= len(relevant) <= MAX_RELEVANT:
                out.append({"class": cls, "query": query, "relevant": sorted(relevant)})
                if len(out) == per_class:
                    break
        return out

    def with_particle(noun: str) -> str | None:
        """The noun with a particle no page attaches to it (None if every one occurs)."""
        for x in PARTICLES:
            if _attach(noun, x) not in runs:
                return _attach(noun, x)
        return None

    def particle_judge(query: str) -> list[str] | None:
        noun = next(query[: -len(x)] for x in _ALL_PARTICLES if query.endswith(x))
        return None if holding(query) else holding(noun)

    queries: list[dict] = []
    queries += pick("word", sorted(r for r in runs if 2 <= len(r) <= 6), holding)
    # A noun found inside a compound (텐서 in 세이프텐서를): what Korean readers type, and what
    # whitespace tokenizers miss.
    queries += pick("mid-compound", [n for n in nouns if n in inside], holding)
    queries += pick("particle", [q for q in map(with_particle, nouns) if q], particle_judge)
    queries += pick("english", sorted(latin), holding_word)
    queries += pick("code", sorted(code_names), lambda q: holding_word(q.lstrip("@").lower()))
    # A noun and an English word of one page: relevant are the pages with both.
    pairs = []
    for p in pages:
        ko = sorted({r for r in _HANGUL_RUN.findall(p.prose) if r in set(nouns)})
        en = sorted(set(_LATIN_WORD.findall(p.prose)))
        if ko and en:
            pairs.append(f"{rng.choice(ko)} {rng.choice(en)}")
    queries += pick("mixed", pairs, lambda q: sorted(
        set(holding(q.split()[0])) & set(holding_word(q.split()[1]))))
    return queries


def text_stats(pages: list[PageText]) -> dict:
    """What a search index's size depends on, for comparing corpora: text per page (median
    characters of prose and of code), and the distinct Hangul runs and Latin words (the
    vocabulary) overall and per page."""
    import statistics

    vocabulary: set[str] = set()
    for p in pages:
        vocabulary.update(_HANGUL_RUN.findall(p.prose))
        vocabulary.update(_LATIN_WORD.findall(p.prose))
        vocabulary.update(m.lower() for m in _CODE_NAME.findall(p.code))
    return {
        "pages": len(pages),
        "prose_chars": statistics.median(len(p.prose) for p in pages),
        "code_chars": statistics.median(len(p.code) for p in pages),
        "vocabulary": len(vocabulary),
        "vocabulary_per_page": round(len(vocabulary) / max(len(pages), 1)),
    }


def write_realistic(n: int, out: Path) -> None:
    """``n`` posts of realistic Korean developer-blog text (bench/realistic.py) under
    ``out/digestgen``; their queries come from :func:`real_queries`."""
    from realistic import write_realistic as write_posts

    write_posts(n, out)


def main(argv: list[str]) -> int:
    if len(argv) == 2 and argv[0] == "--stats":  # python bench/corpus.py --stats BUILT_SITE
        print(json.dumps(text_stats(page_texts(Path(argv[1]))), ensure_ascii=False))
        return 0
    if len(argv) != 2 or not argv[0].isdigit():
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    write(int(argv[0]), Path(argv[1]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
