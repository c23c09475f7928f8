"""Realistic Korean developer-blog text, written from our own word lists (nothing copied).

bench/corpus.py's generated posts have a vocabulary of a few hundred words, all posts alike in
length and make-up: an index of them compresses and shards unlike one of real text. Real blogs
differ in exactly what a search index's size depends on: a vocabulary of tens of thousands of
forms (Korean inflects: 사용하다 is 사용합니다, 사용해서, 사용하려면…; nouns take particles and
compound), a long tail of rare words (product names, transliterations), posts from a few hundred
characters to tens of thousands, code blocks with their own identifiers, tables, lists, raw HTML,
the odd emoji. This module writes such posts: topics with their own words, Zipf-distributed word
choice, inflected verbs, particles chosen by the final consonant, pseudo-proper nouns for the
long tail, lognormal post lengths.

    write_realistic(n, out)  ->  out/digestgen/site.yaml, out/digestgen/content/posts/*.md
"""

from __future__ import annotations

import math
import random
from datetime import datetime, timedelta
from pathlib import Path

# -- words -------------------------------------------------------------------------------------


def _words(text: str) -> list[str]:
    return text.split()


GENERAL_NOUNS = _words("""
문제 방법 경우 결과 과정 이유 부분 시간 사용자 서버 코드 기능 설정 환경 버전 성능 속도 메모리 오류
예외 테스트 문서 구조 개념 원리 예제 설명 질문 답변 생각 경험 프로젝트 회사 팀원 요구사항 설계 구현
리팩터링 유지보수 가독성 변수 함수 클래스 객체 인스턴스 메서드 인터페이스 모듈 패키지 라이브러리
프레임워크 도구 명령어 옵션 파일 디렉터리 경로 로그 출력 입력 값 타입 배열 목록 항목 순서 조건 반복
비용 효율 품질 안정성 확장성 보안 권한 인증 사용량 트래픽 요청 응답 지연 처리량 병목 원인 해결책
대안 장점 단점 차이 비교 기준 선택 결정 상황 상태 단계 흐름 규칙 정책 표준 관례 습관 실수 교훈 회고
내용 정리 요약 참고 자료 링크 출처 공식문서 블로그 글 독자 댓글 피드백 다음 이전 처음 마지막 중간
방식 형태 형식 규모 크기 길이 개수 비율 횟수 주기 기간 일정 마감 배포일 운영 장애 점검 대응 복구
""")

TOPICS = {
    "backend": {
        "tags": ["Spring", "Java", "JPA", "백엔드", "트랜잭션", "Kafka"],
        "nouns": _words("""스프링 트랜잭션 엔티티 리포지토리 컨트롤러 서비스계층 의존성 주입 애너테이션 영속성
            컨텍스트 지연로딩 즉시로딩 커넥션 커넥션풀 쿼리 인덱스 데드락 격리수준 롤백 커밋 배치
            스케줄러 캐시 레디스 카프카 메시지 메시지큐 컨슈머 프로듀서 파티션 오프셋 직렬화 역직렬화
            엔드포인트 페이징 정렬조건 연관관계 프록시 더티체킹 플러시 낙관적락 비관적락 멱등성 재시도
            타임아웃 서킷브레이커 게이트웨이 마이크로서비스 모놀리스 도메인 애그리거트 이벤트소싱"""),
        "english": _words("""Spring JPA Hibernate Kafka Redis MySQL PostgreSQL JDBC HikariCP Gradle Maven
            Lombok QueryDSL Jackson Tomcat Netty WebFlux Actuator Resilience4j Flyway Liquibase
            transaction propagation isolation rollback persistence repository controller"""),
        "ids": _words("""orderService OrderRepository findByUserId saveAll EntityManager flush persist merge
            LazyInitializationException TransactionTemplate PlatformTransactionManager readOnly
            KafkaTemplate ConsumerRecord RedisTemplate getConnection HikariDataSource maximumPoolSize
            OrderStatus PaymentClient retryTemplate CircuitBreaker JpaRepository PageRequest"""),
        "annotations": _words("""@Transactional @Autowired @Service @Repository @RestController @Entity
            @Id @GeneratedValue @OneToMany @ManyToOne @Query @Async @Scheduled @Cacheable
            @KafkaListener @Value @Bean @Configuration"""),
        "lang": "java",
    },
    "frontend": {
        "tags": ["React", "JavaScript", "TypeScript", "프론트엔드", "CSS", "Next.js"],
        "nouns": _words("""컴포넌트 상태관리 렌더링 리렌더링 훅 이펙트 라우터 번들러 트리쉐이킹 하이드레이션
            서버컴포넌트 접근성 반응형 레이아웃 애니메이션 이벤트핸들러 폼 유효성검사 스타일 테마 다크모드
            메모이제이션 가상돔 속성 자식요소 전역상태 비동기 프로미스 웹소켓 브라우저 개발자도구
            번들크기 코드분할 지연로딩 이미지최적화 폰트 스크롤 무한스크롤 모달 툴팁 드롭다운"""),
        "english": _words("""React Next.js TypeScript Vite webpack ESLint Prettier Tailwind Redux Zustand
            Recoil SWR Storybook Jest Playwright Cypress hydration component props state hook
            render bundle"""),
        "ids": _words("""useState useEffect useMemo useCallback useRef handleSubmit fetchUser setLoading
            isLoading onChange onClick className children queryClient useQuery createSlice
            dispatch getServerSideProps generateStaticParams IntersectionObserver
            requestAnimationFrame addEventListener"""),
        "annotations": [],
        "lang": "javascript",
    },
    "ml": {
        "tags": ["머신러닝", "딥러닝", "NLP", "PyTorch", "LLM", "논문리뷰"],
        "nouns": _words("""모델 학습 추론 임베딩 토크나이저 어텐션 트랜스포머 파인튜닝 데이터셋 손실함수
            옵티마이저 학습률 배치크기 과적합 정규화 드롭아웃 평가지표 정확도 재현율 정밀도 가중치
            기울기 역전파 활성화함수 은닉층 인코더 디코더 사전학습 전이학습 하이퍼파라미터 검증셋
            어휘집합 형태소분석 품사태깅 개체명인식 감성분석 요약 번역 생성모델 확률분포 샘플링
            양자화 증류 프롬프트 컨텍스트길이 환각 정렬 강화학습 보상모델"""),
        "english": _words("""PyTorch TensorFlow HuggingFace BERT GPT LoRA vLLM tokenizer checkpoint
            transformer attention embedding softmax dropout gradient optimizer AdamW cosine
            warmup perplexity BLEU ROUGE F1 CUDA GPU inference quantization"""),
        "ids": _words("""train_loader optimizer model input_ids attention_mask num_epochs learning_rate
            batch_size loss_fn hidden_size vocab_size max_length tokenizer_config eval_steps
            labels logits scheduler grad_norm seed_everything DataCollator AutoModel"""),
        "annotations": [],
        "lang": "python",
    },
    "devops": {
        "tags": ["Kubernetes", "Docker", "DevOps", "AWS", "모니터링", "CI/CD"],
        "nouns": _words("""쿠버네티스 컨테이너 도커 파드 디플로이먼트 서비스메시 인그레스 로드밸런서
            오토스케일링 모니터링 알림 메트릭 트레이싱 테라폼 파이프라인 롤링업데이트 카나리배포
            블루그린 헬스체크 시크릿 컨피그맵 네임스페이스 노드 클러스터 볼륨 스토리지 레지스트리
            이미지 빌드캐시 러너 워크플로 아티팩트 인프라 코드형인프라 가용영역 리전 방화벽 보안그룹"""),
        "english": _words("""Kubernetes Docker Helm Terraform Prometheus Grafana ArgoCD Jenkins nginx
            AWS EKS EC2 S3 IAM CloudWatch GitHub Actions Loki Istio Envoy containerd"""),
        "ids": _words("""kubectl replicas containerPort livenessProbe readinessProbe imagePullPolicy
            resources limits requests nodeSelector serviceAccountName terraform_state
            aws_instance helm_release scrape_interval alertmanager runs-on"""),
        "annotations": [],
        "lang": "yaml",
    },
    "algorithm": {
        "tags": ["알고리즘", "자료구조", "코딩테스트", "Python"],
        "nouns": _words("""정렬 탐색 그래프 트리 힙 해시 동적계획법 분할정복 그리디 최단경로 시간복잡도
            공간복잡도 재귀 스택 큐 연결리스트 이진탐색 너비우선탐색 깊이우선탐색 위상정렬 유니온파인드
            세그먼트트리 투포인터 슬라이딩윈도우 비트마스크 백트래킹 메모이제이션 점화식 부분문제
            최소신장트리 다익스트라 플로이드 간선 정점 가중치 인접리스트 인접행렬"""),
        "english": _words("""Python heapq deque bisect itertools BFS DFS DP LIS LCS Dijkstra Kruskal
            Prim quicksort mergesort heapsort"""),
        "ids": _words("""visited dist graph adj heappush heappop dfs bfs memo dp_table find_parent
            union_set left right mid answer n_nodes edges queue"""),
        "annotations": [],
        "lang": "python",
    },
    "data": {
        "tags": ["SQL", "데이터엔지니어링", "데이터베이스", "Spark"],
        "nouns": _words("""데이터베이스 테이블 조인 서브쿼리 집계 윈도우함수 실행계획 파티셔닝 샤딩 복제
            정합성 트랜잭션로그 데이터웨어하우스 데이터레이크 스키마 마이그레이션 정규화 비정규화
            적재 추출 변환 배치작업 스트리밍 지표 대시보드 리포트 코호트 리텐션 퍼널 이벤트로그"""),
        "english": _words("""SQL Spark Airflow BigQuery Snowflake dbt Parquet Hive Presto Trino pandas
            Kafka ETL ELT OLAP OLTP"""),
        "ids": _words("""user_id created_at event_name order_amount daily_active_users GROUP BY
            PARTITION BY ROW_NUMBER COALESCE spark_session read_parquet dag_id"""),
        "annotations": [],
        "lang": "sql",
    },
    "essay": {
        "tags": ["회고", "일상", "커리어", "독서"],
        "nouns": _words("""회고 이직 면접 팀 동료 성장 스터디 컨퍼런스 발표 여행 카페 독서 습관 운동 주말
            목표 계획 한해 상반기 하반기 동기부여 번아웃 휴식 산책 글쓰기 리더 멘토 온보딩 연봉 협상
            재택근무 출근 점심 커피 책상 노트북 키보드 모니터 도서관 서점 사이드프로젝트 오픈소스"""),
        "english": _words("""OKR KPI 1on1 retrospective remote onboarding"""),
        "ids": [],
        "annotations": [],
        "lang": "",
    },
}

# 하다 verbs (stem without 하다) and their endings; other verbs with their forms written out.
HADA = _words("""사용 설정 확인 구현 적용 처리 발생 해결 개선 비교 정리 설명 생각 추가 삭제 수정 변경 실행
호출 반환 저장 조회 검색 분석 측정 배포 테스트 검증 요청 응답 연결 전송 수신 생성 초기화 등록 작성
공부 정의 지원 제공 고민 시도 선택 유지 관리 운영 기록 공유 소개 참고 주의 활용 도입 분리 통합 제거
검토 판단 예측 계산 추정 학습 훈련 평가 배치 조정 최적화 병합 분할 정렬 탐색 변환 인코딩 디코딩 압축
해제 전환 이동 복사 참조 접근 차단 허용 거부 승인 감지 추적 수집 집계 필터링 매핑 파싱 렌더링 캐싱
로딩 빌드 컴파일 설치 업데이트 업그레이드 다운로드 업로드 동기화 대기 종료 시작 중단 재시작 예약 반영
기억 이해 파악 증명 유도 가정 관찰 실험 재현 보고 문서화 리뷰 합류 퇴사 입사 이사 여행 운동 독서 정착
결심 후회 만족 실망 기대 걱정 안심 발표 준비 연습 반복 기여 제안 요약 번역 인용 강조 생략 대체 보완""")
HADA_ENDINGS = _words("""합니다 했습니다 해야 합니다 할 수 있습니다 하면 하고 해서 하는 한 할 하지만 했다 한다
하기 하려면 했는데 하게 됩니다 해 보면 해도 했던 하는데 할지 하자 했고 되어 됩니다 된 되는 되지 않습니다
하거나 하더라도 하니까 하므로 하며 하면서 하였다 하였습니다 해야만 할까 할까요 합시다 해주세요 해줘야
했었다 하던 하던데 해버렸다 해두면 해놓은 하기로 하기도 하기는 하자면 하였고 하였으나 해서는 해본 해봤다
할수록 하기에 하느라 했더니 하다가 하지 않고 했을 때 하는 것이 되었다 되었습니다 될 되면 되고""")
OTHER_VERBS = _words("""보다 봅니다 봤습니다 보면 봐야 보는 본 만들다 만듭니다 만들었습니다 만들면 만든 만드는
쓰다 씁니다 썼습니다 쓰면 쓰는 쓴 찾다 찾습니다 찾았습니다 찾으면 찾는 찾은 바꾸다 바꿉니다 바꿨습니다
바꾸면 바꾼 나누다 나눕니다 나눴습니다 나누면 줄이다 줄입니다 줄였습니다 줄이면 늘리다 늘립니다 늘렸습니다
넣다 넣습니다 넣었습니다 넣으면 빼다 뺍니다 뺐습니다 알다 압니다 알았습니다 알면 아는 모르다 모릅니다
몰랐습니다 걸리다 걸립니다 걸렸습니다 느리다 느립니다 느려졌습니다 빠르다 빠릅니다 빨라졌습니다 많다
많습니다 많았습니다 적다 적습니다 없다 없습니다 없었습니다 있다 있습니다 있었습니다 있는 없는 같다
같습니다 같은 다르다 다릅니다 다른 쉽다 쉽습니다 어렵다 어렵습니다 어려웠습니다 중요합니다 필요합니다
간단합니다 복잡합니다 편리합니다 충분합니다 부족합니다 가능합니다 불가능합니다 적절합니다""")
ADVERBS = _words("""먼저 그리고 하지만 그래서 또한 특히 결국 실제로 보통 대부분 가끔 다행히 사실 물론 우선 다시
이제 아직 이미 계속 바로 훨씬 조금 매우 꽤 거의 항상 자주 처음에는 나중에 덕분에 반면에 예를 들어
정리하면 요약하면 한편 따라서 게다가 무엇보다""")
# Particles as written after a vowel and after a consonant.
PARTICLES = {
    "topic": ("는", "은"), "subj": ("가", "이"), "obj": ("를", "을"), "with": ("와", "과"),
    "by": ("로", "으로"), "of": ("의", "의"), "loc": ("에서", "에서"), "to": ("에", "에"),
    "also": ("도", "도"), "only": ("만", "만"), "called": ("라는", "이라는"),
}
SYLLABLES = _words("""가 나 다 라 마 바 사 아 자 차 카 타 파 하 고 노 도 로 모 보 소 오 조 코 토 포 호 구 누
두 루 무 부 수 우 주 쿠 투 푸 후 기 니 디 리 미 비 시 이 지 키 티 피 히 게 네 데 레 메 베 세 에 제 케
테 페 헤 간 난 단 란 만 반 산 안 잔 칸 탄 판 한 건 던 런 먼 번 선 언 전 컨 턴 펀 헌 곤 논 돈 론 몬 본
손 온 존 콘 톤 폰 혼 링 밍 빙 싱 잉 징 킹 팅 핑 렉 벡 섹 엑 젝 텍 스 즈 츠 크 트 프 드 브 그 르 므""")
ENGLISH = _words("""benchmark latency throughput cache index schema query migration rollback deploy release
build test coverage mock stub fixture logging metric trace span alert dashboard incident postmortem
refactor legacy monolith service client server request response header payload token session cookie
auth permission role policy secret config environment variable runtime compiler interpreter memory
thread process lock mutex semaphore deadlock race async await callback promise future stream buffer
queue topic partition offset consumer producer broker cluster node replica shard leader follower
consensus quorum snapshot checkpoint recovery backup restore storage volume bucket object blob file
directory path permission owner group user admin root shell script cron job worker scheduler pipeline
artifact registry image container pod namespace label selector ingress gateway proxy load balancer
rate limit retry backoff timeout circuit breaker fallback idempotent transaction isolation consistency
availability partition tolerance latency percentile histogram sampling profiling flamegraph heap stack
garbage collector allocation leak pointer reference value mutable immutable functional object oriented
pattern singleton factory builder adapter decorator observer strategy command repository specification
domain entity aggregate event sourcing projection saga orchestration choreography contract interface
abstraction encapsulation inheritance polymorphism composition dependency injection inversion
coupling cohesion modularity readability maintainability scalability reliability observability""")
EMOJI = _words("🚀 ✅ ❌ 🔥 💡 📌 🎉 🤔 😅 👍 ⚠️ 🐛 📝 🙏 💻 ☕ 🌙 📈 🛠️ 🧪")
CODE_WORDS = _words("""data result items value key count total index name path config options params args
response request error message status user order item list map set entry node tree graph queue
buffer size limit offset page cursor token session client server handler callback context state""")


def _zipf(rng: random.Random, words: list[str], s: float = 1.1) -> str:
    """A word of ``words``, the first ones much more often (word use follows Zipf's law)."""
    # Inverse of the continuous power law on [1, n+1): cheap, and close enough.
    return words[_zipf_index(rng, len(words), s)]


def _final_consonant(word: str) -> bool:
    """Whether ``word``, read aloud, ends in a consonant (which picks the particle's form):
    Hangul by its last syllable, digits by their Korean names (영, 일, 삼…), Latin roughly."""
    last = ord(word[-1]) - 0xAC00
    if 0 <= last < 11172:
        return last % 28 != 0
    return word[-1] in "013678" or word[-1].lower() in "bcdgklmnpt"


def _particle(word: str, particle: str) -> str:
    after_vowel, after_consonant = PARTICLES[particle]
    return after_consonant if _final_consonant(word) else after_vowel


def _with(word: str, particle: str) -> str:
    return word + _particle(word, particle)


# Jamo for composing syllables, the common ones (as indexes into Unicode's order), most frequent
# first: initial consonants, vowels, final consonants (0: none).
_INITIALS = [11, 0, 2, 3, 9, 12, 18, 5, 6, 7, 14, 16]  # ㅇ ㄱ ㄴ ㄷ ㅅ ㅈ ㅎ ㄹ ㅁ ㅂ ㅊ ㅌ
_VOWELS = [0, 4, 8, 13, 18, 20, 1, 5]  # ㅏ ㅓ ㅗ ㅜ ㅡ ㅣ ㅐ ㅔ
_FINALS = [0, 0, 0, 4, 21, 8, 1, 16, 17]  # none (most often), ㄴ ㅇ ㄹ ㄱ ㅁ ㅂ


def _syllable(rng: random.Random) -> str:
    i = _INITIALS[_zipf_index(rng, len(_INITIALS), 0.8)]
    v = _VOWELS[_zipf_index(rng, len(_VOWELS), 0.8)]
    f = _FINALS[_zipf_index(rng, len(_FINALS), 0.6)]
    return chr(0xAC00 + (i * 21 + v) * 28 + f)


def _pseudo_name(rng: random.Random) -> str:
    """A word of the long tail: a transliterated product, a place, a person's alias, a term
    of art. Syllables composed from jamo at Korean's letter frequencies, so the bigrams of
    rare words spread as real ones do."""
    if rng.random() < 0.5:
        return "".join(rng.choice(SYLLABLES) for _ in range(rng.choice((2, 3, 3, 4))))
    return "".join(_syllable(rng) for _ in range(rng.choice((2, 2, 3, 3, 4))))


def _zipf_index(rng: random.Random, n: int, s: float) -> int:
    u = rng.random()
    if abs(s - 1.0) < 1e-9:
        k = int(math.exp(u * math.log(n + 1)))
    else:
        a = 1 - s
        k = int(((n + 1) ** a * u + (1 - u)) ** (1 / a))
    return min(max(k, 1), n) - 1


def _latin_name(rng: random.Random) -> str:
    """An English-looking rare word: an author's name, a paper's acronym, a library."""
    consonants, vowels = "bcdfghklmnprstvwz", "aeiou"
    word = "".join(rng.choice(consonants) + rng.choice(vowels) for _ in range(rng.randint(2, 4)))
    return word.capitalize() if rng.random() < 0.5 else word


class Writer:
    """Writes the posts of one blog: a vocabulary that stays, topics that come back."""

    def __init__(self, seed: int = 20250101):
        self.rng = random.Random(seed)
        rng = self.rng
        self.general = list(GENERAL_NOUNS)
        rng.shuffle(self.general)
        # Compounds are how Korean technical vocabulary grows: 데이터 + 전처리 → 데이터전처리.
        self.topics = {}
        for name, topic in TOPICS.items():
            nouns = list(topic["nouns"])
            rng.shuffle(nouns)
            compounds = [a + b for a, b in zip(nouns, reversed(nouns), strict=True) if a != b]
            self.topics[name] = {**topic, "nouns": nouns + compounds[: len(nouns) // 2]}
        self.english = list(ENGLISH)
        rng.shuffle(self.english)
        self.names = [_pseudo_name(rng) for _ in range(30000)]  # the blog's long tail
        self.latin = [_latin_name(rng) for _ in range(10000)]

    # -- sentences --------------------------------------------------------------------------

    def noun(self, topic: dict) -> str:
        rng = self.rng
        r = rng.random()
        if r < 0.32:
            return _zipf(rng, topic["nouns"])
        if r < 0.6:
            return _zipf(rng, self.general)
        if r < 0.68:  # ad-hoc compounds: 설정 + 파일 → 설정파일
            return _zipf(rng, self.general) + _zipf(rng, topic["nouns"])
        if r < 0.88:
            return _zipf(rng, self.names, 0.6)
        return _pseudo_name(rng)

    def verb(self) -> str:
        rng = self.rng
        if rng.random() < 0.7:
            return _zipf(rng, HADA, 1.0) + _zipf(rng, HADA_ENDINGS, 0.9)
        return _zipf(rng, OTHER_VERBS)

    def final_verb(self) -> str:
        rng = self.rng
        if rng.random() < 0.75:
            return _zipf(rng, HADA) + rng.choice(("합니다", "했습니다", "해야 합니다",
                                                   "할 수 있습니다", "했다", "한다", "됩니다"))
        return rng.choice([v for v in OTHER_VERBS if v.endswith(("니다", "다"))])

    def english_word(self, topic: dict) -> str:
        rng = self.rng
        r = rng.random()
        if r < 0.5:
            return _zipf(rng, topic["english"])
        if r < 0.85:
            return _zipf(rng, self.english)
        return _zipf(rng, self.latin, 0.7)

    def sentence(self, topic: dict) -> str:
        rng = self.rng
        n1, n2, n3 = self.noun(topic), self.noun(topic), self.noun(topic)
        en = self.english_word(topic)
        ident = rng.choice(topic["ids"] or CODE_WORDS)
        adv = rng.choice(ADVERBS)
        templates = (
            lambda: f"{_with(n1, 'topic')} {_with(n2, 'obj')} {self.final_verb()}",
            lambda: f"{adv} {_with(n1, 'subj')} {self.verb()} {_with(n2, 'obj')} {self.final_verb()}",
            lambda: f"이번 글에서는 {_with(n1, 'obj')} {self.verb()} 방법을 정리해 보겠습니다",
            lambda: f"{_with(en, 'subj')} 제공하는 {_with(n1, 'obj')} 쓰면 {_with(n2, 'topic')} "
                    f"훨씬 {self.final_verb()}",
            lambda: f"예를 들어 `{ident}`{_particle(ident, 'obj')} 호출하면 {_with(n1, 'subj')} "
                    f"{self.final_verb()}",
            lambda: f"{_with(n1, 'with')} {_with(n2, 'subj')} 어떻게 다른지 "
                    f"{_with(n3, 'loc')} 살펴봅시다",
            lambda: f"처음에는 {_with(n1, 'obj')} {self.verb()} 했는데, 알고 보니 "
                    f"{_with(n2, 'subj')} 문제였습니다",
            lambda: f"{_with(n1, 'of')} {_with(n2, 'subj')} {adv} {self.final_verb()}",
            lambda: f"{en} {_with(n1, 'by')} {_with(n2, 'obj')} {self.verb()} {self.final_verb()}",
            lambda: f"{_with(n1, 'loc')} {_with(n2, 'also')} {self.final_verb()}",
            lambda: f"{n1} {_with(n2, 'called')} 말이 {_with(n3, 'to')} 자주 {self.final_verb()}",
            lambda: f"{adv} {_with(n1, 'only')} {self.verb()} {_with(n2, 'topic')} "
                    f"{self.final_verb()}",
            lambda: f"{_with(n1, 'obj')} {rng.randint(2, 300)}{rng.choice(('ms', '%', '배', '개', '초', 'MB'))} "
                    f"정도 {self.final_verb()}",
            lambda: f"{_with(en, 'topic')} {_with(n1, 'of')} {_with(n2, 'obj')} "
                    f"{self.final_verb()}",
        )
        text = rng.choice(templates)()
        if rng.random() < 0.03:
            text += " " + rng.choice(EMOJI)
        return text + rng.choice((".", ".", ".", ".", "?", "!"))

    def paragraph(self, topic: dict) -> str:
        return " ".join(self.sentence(topic) for _ in range(self.rng.randint(3, 8)))

    # -- blocks -----------------------------------------------------------------------------

    def code(self, topic: dict) -> str:
        rng = self.rng
        lang = topic["lang"] or rng.choice(("python", "bash"))
        ids = topic["ids"] or CODE_WORDS
        name = lambda: rng.choice(ids).split(".")[0].replace(" ", "_").replace("-", "_")  # noqa: E731
        word = lambda: rng.choice(CODE_WORDS)  # noqa: E731
        comment = lambda: f"{_with(self.noun(topic), 'obj')} {self.verb()}"  # noqa: E731
        lines = []
        for _ in range(rng.randint(2, 8)):
            if lang == "java":
                ann = rng.choice(topic["annotations"]) if topic["annotations"] else ""
                lines += [f"    {ann}" if ann else "",
                          f"    public {word().capitalize()} {name()}({word().capitalize()} {word()}) {{",
                          f"        // {comment()}",
                          f"        return {name()}.{rng.choice(('get', 'find', 'save', 'apply'))}({word()});",
                          "    }"]
            elif lang == "javascript":
                lines += [f"const {name()} = {rng.choice(('async ', ''))}({word()}) => {{",
                          f"  // {comment()}",
                          f"  const {word()} = await {name()}({word()}, {{ {word()}: {rng.randint(0, 99)} }});",
                          f"  return {word()}.{rng.choice(('map', 'filter', 'reduce'))}(Boolean);",
                          "};"]
            elif lang == "sql":
                lines += [f"SELECT {name()}, COUNT(*) AS {word()}_count",
                          f"FROM {word()}s JOIN {word()}s USING ({name()})",
                          f"WHERE {name()} > {rng.randint(1, 1000)}  -- {comment()}",
                          f"GROUP BY {name()};"]
            elif lang == "yaml":
                lines += [f"{name()}:", f"  {word()}: {rng.randint(1, 512)}",
                          f"  {name()}: \"{word()}-{rng.randint(1, 9)}\"  # {comment()}"]
            elif lang == "bash":
                lines += [f"$ {rng.choice(('kubectl', 'docker', 'git', 'python', 'npm'))} "
                          f"{word()} --{name()}={rng.randint(1, 64)}"]
            else:
                lines += [f"def {name()}({word()}, {word()}={rng.randint(0, 9)}):",
                          f"    # {comment()}",
                          f"    for {word()} in {name()}({word()}):",
                          f"        {word()}.append({word()} * {rng.randint(2, 9)})",
                          f"    return {word()}"]
        body = "\n".join(line for line in lines if line)
        if lang == "java":
            body = f"public class {name().capitalize()}{word().capitalize()} {{\n{body}\n}}"
        return f"```{lang}\n{body}\n```"

    def block(self, topic: dict) -> str:
        rng = self.rng
        r = rng.random()
        if r < 0.55:
            return self.paragraph(topic)
        if r < 0.7:
            return "\n".join(f"- {self.sentence(topic)}" for _ in range(rng.randint(2, 6)))
        if r < 0.82 and (topic["lang"] or rng.random() < 0.2):
            return self.code(topic)
        if r < 0.87:
            rows = "\n".join(f"| {self.noun(topic)} | {self.english_word(topic)} | "
                             f"{rng.randint(1, 999)} |" for _ in range(rng.randint(2, 6)))
            return f"| 항목 | 이름 | 값 |\n|---|---|---|\n{rows}"
        if r < 0.91:
            return f"> {self.sentence(topic)}"
        if r < 0.94:
            return (f"![{self.noun(topic)} {self.noun(topic)}]"
                    f"(https://example.com/img/{rng.randint(1, 999)}.png)")
        if r < 0.96:
            return (f"<details>\n<summary>{self.noun(topic)} 자세히 보기</summary>\n\n"
                    f"{self.paragraph(topic)}\n\n</details>")
        return self.paragraph(topic)

    # -- posts ------------------------------------------------------------------------------

    def post(self, i: int, n: int) -> tuple[dict, str]:
        rng = self.rng
        name = rng.choice(list(self.topics))
        topic = self.topics[name]
        n1, n2 = self.noun(topic), self.noun(topic)
        en = self.english_word(topic)
        title = rng.choice((
            f"{en} {n1} 정리", f"{_with(n1, 'with')} {n2} 비교하기", f"{n1} 트러블슈팅 회고",
            f"{_with(en, 'by')} {n1} 구현하기", f"{n1}, 제대로 알고 쓰기", f"{n1} {n2} 입문",
            f"{_with(n1, 'loc')} 배운 것들", f"[{en}] {n1} 이해하기 ({rng.randint(1, 5)})",
        ))
        # Lognormal lengths: most posts a few thousand characters, a few very long.
        sections = max(1, min(40, int(rng.lognormvariate(2.3, 0.75))))
        parts = [self.paragraph(topic)]
        for _ in range(sections):
            parts.append(f"## {self.noun(topic)} {self.noun(topic)}")
            parts += [self.block(topic) for _ in range(rng.randint(1, 5))]
        if rng.random() < 0.3:  # references, as technical posts end
            parts.append("## 참고")
            parts.append("\n".join(
                f"- {_zipf(rng, self.latin, 0.7)}, {rng.choice('ABCDEFGHJKLMNPRSTW')}. "
                f"({rng.randint(1998, 2025)}). {self.english_word(topic).capitalize()} "
                f"{rng.choice(self.english)} for {rng.choice(self.english)} "
                f"{_zipf(rng, self.latin, 0.7)}." for _ in range(rng.randint(1, 6))))
        tags = rng.sample(topic["tags"], rng.randint(1, min(3, len(topic["tags"]))))
        when = START + timedelta(minutes=i * SPAN_MINUTES // max(n, 1))
        meta = {"title": title, "date": when.strftime("%Y-%m-%d %H:%M:00"), "tags": tags,
                "category": name, "slug": f"post-{i:05d}"}
        return meta, "\n\n".join(parts) + "\n"


START = datetime(2016, 1, 1)
SPAN_MINUTES = int((datetime(2025, 6, 30) - START).total_seconds() // 60)


def write_realistic(n: int, out: Path) -> None:
    """``n`` posts of one blog in digestgen's layout under ``out/digestgen``."""
    site = out / "digestgen"
    (site / "content/posts").mkdir(parents=True, exist_ok=True)
    (site / "site.yaml").write_text(
        "title: 벤치마크 블로그\nbase_url: https://example.github.io/bench/\nlanguage: ko\n"
        "timezone: Asia/Seoul\npaginate: 10\n", encoding="utf-8")
    writer = Writer()
    for i in range(n):
        meta, body = writer.post(i, n)
        tags = "\n".join(f"  - \"{t}\"" for t in meta["tags"])
        title = meta["title"].replace('"', "'")
        (site / "content/posts" / f"{meta['slug']}.md").write_text(
            f"---\ntitle: \"{title}\"\ndate: {meta['date']}\nslug: {meta['slug']}\n"
            f"tags:\n{tags}\ncategories:\n  - {meta['category']}\n---\n\n{body}",
            encoding="utf-8")
