"""Text helpers for the library: safe Markdown, reading level, and search terms.

Markdown is rendered and then cleaned with nh3 (an allow-list), so raw HTML, ``javascript:``
links, event attributes and ``data:`` URLs never reach a page. Reading level is computed here
rather than with textstat, whose dependencies (nltk, pyphen) are heavy and partly copyleft.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import markdown as markdown_lib
import nh3
import snowballstemmer

# --- Safe Markdown --------------------------------------------------------------------------

ALLOWED_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "code",
    "em",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "li",
    "ol",
    "p",
    "pre",
    "strong",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"scope"}}
ALLOWED_SCHEMES = {"http", "https", "mailto"}


def render_markdown(text: str) -> str:
    """Markdown to HTML that is safe to mark safe in a template."""
    html = markdown_lib.markdown(text or "", extensions=["tables", "sane_lists"])
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


def plain_text(text: str) -> str:
    """Markdown (or anything) as plain text, for feeds, emails and summaries."""
    html = markdown_lib.markdown(text or "")
    cleaned = nh3.clean(html, tags=set())
    # nh3 escapes what it keeps; undo that, since callers escape for their own format.
    cleaned = cleaned.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')
    cleaned = cleaned.replace("&#39;", "'").replace("&amp;", "&")
    return re.sub(r"\n{3,}", "\n\n", cleaned).strip()


# --- Reading level --------------------------------------------------------------------------

_SENTENCE_END = re.compile(r"[.!?…]+(?=\s|$)")
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?", re.UNICODE)
_EN_VOWELS = "aeiouy"
_ES_STRONG = set("aeoáéíóú")
_ES_VOWELS = set("aeiouáéíóúü")


def _syllables_en(word: str) -> int:
    word = word.lower().strip("'’")
    groups = re.findall(r"[aeiouy]+", word)
    count = len(groups)
    if word.endswith("e") and not word.endswith(("le", "ee", "ye")) and count > 1:
        count -= 1
    if word.endswith("ed") and not word.endswith(("ted", "ded")) and count > 1:
        count -= 1
    return max(1, count)


def _syllables_es(word: str) -> int:
    """Vowel groups, where two strong vowels side by side (a hiatus) count twice."""
    word = word.lower()
    count, previous = 0, ""
    for char in word:
        if char in _ES_VOWELS:
            if not previous or (previous in _ES_STRONG and char in _ES_STRONG):
                count += 1
            previous = char
        else:
            previous = ""
    return max(1, count)


def _grade_from_ease(ease: float) -> float:
    """Approximate school grade for a Flesch-style ease score (Flesch's own table)."""
    bands = [(90, 5), (80, 6), (70, 7), (60, 8.5), (50, 11), (30, 14)]
    for floor, grade in bands:
        if ease >= floor:
            return float(grade)
    return 17.0


def reading_level(text: str, language: str) -> tuple[float, float]:
    """(ease 0–100, school grade) for English (Flesch / Flesch–Kincaid) or Spanish
    (Fernández-Huerta, with the grade from Flesch's table)."""
    words = _WORD.findall(plain_text(text))
    if not words:
        return 0.0, 0.0
    sentences = max(1, len(_SENTENCE_END.findall(text)))
    words_per_sentence = len(words) / sentences
    if language.startswith("es"):
        syllables = sum(_syllables_es(word) for word in words) / len(words)
        ease = 206.84 - 60 * syllables - 1.02 * words_per_sentence
        grade = _grade_from_ease(ease)
    else:
        syllables = sum(_syllables_en(word) for word in words) / len(words)
        ease = 206.835 - 1.015 * words_per_sentence - 84.6 * syllables
        grade = 0.39 * words_per_sentence + 11.8 * syllables - 15.59
    ease = max(0.0, min(100.0, ease))
    grade = max(1.0, min(18.0, grade))
    return round(ease, 1), round(grade, 1)


# --- Search terms ---------------------------------------------------------------------------

STOPWORDS = {
    "en": {
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "but",
        "by",
        "for",
        "from",
        "has",
        "have",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "my",
        "no",
        "not",
        "of",
        "on",
        "or",
        "our",
        "so",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "to",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "who",
        "why",
        "will",
        "with",
        "you",
        "your",
    },
    "es": {
        "a",
        "al",
        "como",
        "con",
        "de",
        "del",
        "el",
        "ella",
        "ellas",
        "ellos",
        "en",
        "entre",
        "es",
        "esa",
        "ese",
        "esta",
        "este",
        "hay",
        "la",
        "las",
        "le",
        "les",
        "lo",
        "los",
        "me",
        "mi",
        "mis",
        "muy",
        "ni",
        "no",
        "nos",
        "o",
        "para",
        "pero",
        "por",
        "que",
        "qué",
        "se",
        "sin",
        "sobre",
        "su",
        "sus",
        "te",
        "tu",
        "tus",
        "un",
        "una",
        "uno",
        "unos",
        "unas",
        "y",
        "ya",
        "yo",
    },
}
_ALL_STOPWORDS = STOPWORDS["en"] | STOPWORDS["es"]
_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
_URL = re.compile(r"https?://\S+|<[^>]+>")
_STEMMERS = {"en": "english", "es": "spanish"}


def strip_accents(value: str) -> str:
    decomposed = unicodedata.normalize("NFKD", value)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


@lru_cache(maxsize=200_000)
def stem(word: str, language: str) -> str:
    """One lower-case word, stemmed in its language, without accents."""
    stemmer = _stemmer(_STEMMERS.get(language[:2], "english"))
    return strip_accents(stemmer.stemWord(word))


@lru_cache(maxsize=4)
def _stemmer(name: str):
    return snowballstemmer.stemmer(name)


def index_terms(text: str, language: str) -> str:
    """Text as space-separated stems, as stored in the SQLite full-text index."""
    stopwords = STOPWORDS.get(language[:2], STOPWORDS["en"])
    tokens = _TOKEN.findall(_URL.sub(" ", text or "").lower())
    return " ".join(stem(token, language) for token in tokens if token not in stopwords)


def query_terms(query: str, language: str = "") -> list[set[str]]:
    """For each meaningful word of a query, the stems it may have in the index.

    The query's language is unknown unless the searcher chose one, so each word is stemmed
    both as English and as Spanish: "conversación" and "conversations" both become
    "convers". Stop words are dropped unless the query has nothing else.
    """
    tokens = _TOKEN.findall((query or "").lower())[:12]
    meaningful = [token for token in tokens if token not in _ALL_STOPWORDS] or tokens
    languages = [language[:2]] if language[:2] in _STEMMERS else list(_STEMMERS)
    return [{stem(token, lang) for lang in languages} for token in meaningful]


def tag(kind: str, value: str) -> str:
    """A filter value as one index token: ("aud", "community_workers") → "kaudcommunityworkers".

    Filters are words in the index's ``tags`` column, so one full-text lookup both matches
    and filters (and counts) without touching the resource table.
    """
    return "k" + kind + re.sub(r"[^0-9a-z]", "", strip_accents(value.lower()))


def resource_tags(*, status: str, language: str, type: str, audiences=(), topics=()) -> str:
    """The filter tokens of one resource, as stored in ``Resource.search_tags``."""
    tokens = [tag("st", status), tag("lang", language), tag("type", type)]
    tokens += [tag("aud", code) for code in sorted(audiences)]
    tokens += [tag("topic", slug) for slug in sorted(topics)]
    return " ".join(tokens)
