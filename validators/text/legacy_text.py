"""Vietnamese typed with legacy 8-bit font encodings (TCVN3/ABC and VNI): detect it and convert it to Unicode.

Some units still type with the pre-Unicode fonts. Those fonts draw Vietnamese letters at the positions of
Windows-1252 characters, so an .xlsx stores the Unicode code points of those Western characters:

    Unicode          "Sáng kiến"     "Công đoàn cơ sở"
    TCVN3 (.VnTime)  "S¸ng kiÕn"     "C«ng ®oµn c¬ së"
    VNI (VNI-Times)  "Saùng kieán"   "Coâng ñoaøn cô sôû"

Every byte the two encodings use lies in 0xA1-0xFE, where Windows-1252 and Latin-1 agree, so the text read
from an .xlsx (or from an .xls through code page 1252) holds exactly the characters U+00A1-U+00FE below.

TCVN3 (TCVN 5712:1993 "VN3", the ABC font package) is one byte per letter. It has room for every lowercase
letter but only seven capitals (Ă Â Ê Ô Ơ Ư Đ): a capital with a tone typed in a lowercase font such as
.VnTime is stored as the lowercase letter and cannot be told apart from it. For headings the ABC package
ships uppercase fonts (.VnTimeH, .VnArialH ...) that draw a capital at every position, lowercase ASCII
included; "tcvn3-upper" decodes like "tcvn3" and then upper-cases everything, which is what the reader saw.
The full VN1/VN2 tables of the standard (capitals in the C0 and 0x80-0xA0 ranges) are not used by the ABC
fonts and are not supported.

VNI-Windows writes a toned vowel as its base letter followed by one mark byte ("a" + "ù" = "á",
"a" + "â" = "â", "a" + "á" = "ấ"), and uses single bytes for đ, ơ, ư and the toned i's.

Detection is cheap for the common case (ASCII, or Unicode Vietnamese that has letters such as ạ ơ ư đ) and
conservative for the rest: a word counts as evidence only when it is not a valid Vietnamese syllable as it
stands and becomes one once decoded, and a whole text needs several such words. See ``detect_legacy``.

Run ``fix_legacy`` on the raw cell value, before ``normalize.clean_text``: that strips U+00AD (soft hyphen),
which in TCVN3 is the letter "ư".
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Callable, Iterable

TCVN3 = "tcvn3"
TCVN3_UPPER = "tcvn3-upper"
VNI = "vni"
ENCODINGS = (TCVN3, TCVN3_UPPER, VNI)

# Combining tone marks in the order the tables below list them.
_GRAVE, _ACUTE, _HOOK, _TILDE, _DOT = "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"
_TONES = ("", _GRAVE, _ACUTE, _HOOK, _TILDE, _DOT)  # ngang, huyền, sắc, hỏi, ngã, nặng


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


# --- TCVN3 ---------------------------------------------------------------------------------------------------
# One row per vowel: the legacy character for the letter with no tone, huyền, sắc, hỏi, ngã, nặng.
# An ASCII entry means the letter is plain ASCII in both encodings. "\xad" (soft hyphen) really is "ư".
_TCVN3_ROWS = {
    "a": "a\xb5\xb8\xb6\xb7\xb9",  # a µ ¸ ¶ · ¹
    "ă": "\xa8\xbb\xbe\xbc\xbd\xc6",  # ¨ » ¾ ¼ ½ Æ
    "â": "\xa9\xc7\xca\xc8\xc9\xcb",  # © Ç Ê È É Ë
    "e": "e\xcc\xd0\xce\xcf\xd1",  # e Ì Ð Î Ï Ñ
    "ê": "\xaa\xd2\xd5\xd3\xd4\xd6",  # ª Ò Õ Ó Ô Ö
    "i": "i\xd7\xdd\xd8\xdc\xde",  # i × Ý Ø Ü Þ
    "o": "o\xdf\xe3\xe1\xe2\xe4",  # o ß ã á â ä
    "ô": "\xab\xe5\xe8\xe6\xe7\xe9",  # « å è æ ç é
    "ơ": "\xac\xea\xed\xeb\xec\xee",  # ¬ ê í ë ì î
    "u": "u\xef\xf3\xf1\xf2\xf4",  # u ï ó ñ ò ô
    "ư": "\xad\xf5\xf8\xf6\xf7\xf9",  # (soft hyphen) õ ø ö ÷ ù
    "y": "y\xfa\xfd\xfb\xfc\xfe",  # y ú ý û ü þ
}
# The only letters outside the vowel rows: đ, and the seven capitals the lowercase fonts have.
_TCVN3_OTHERS = {"đ": "\xae", "Ă": "\xa1", "Â": "\xa2", "Ê": "\xa3", "Ô": "\xa4", "Ơ": "\xa5", "Ư": "\xa6", "Đ": "\xa7"}


def _build_tcvn3() -> tuple[dict[str, str], dict[str, str]]:
    pairs = [(_nfc(base + tone), legacy) for base, row in _TCVN3_ROWS.items() for tone, legacy in zip(_TONES, row)]
    pairs += _TCVN3_OTHERS.items()
    # "ý" is the one letter TCVN3 stores at its own Latin-1 position (0xFD): no decoding needed.
    decode = {legacy: letter for letter, legacy in pairs if legacy != letter}
    encode = {letter: legacy for letter, legacy in pairs if not letter.isascii()}
    # Capitals the encoding lacks are written as their lowercase letter, as the ABC keyboard drivers did.
    for letter, legacy in pairs:
        if not letter.isascii():
            encode.setdefault(letter.upper(), legacy)
    encode = {letter: legacy for letter, legacy in encode.items() if letter != legacy}
    return decode, encode


TCVN3_TO_UNICODE, UNICODE_TO_TCVN3 = _build_tcvn3()
_TCVN3_DECODE_TABLE = str.maketrans(TCVN3_TO_UNICODE)
_TCVN3_ENCODE_TABLE = str.maketrans(UNICODE_TO_TCVN3)

# --- VNI -----------------------------------------------------------------------------------------------------
# Mark bytes following a base letter, indexed like _TONES (ngang, huyền, sắc, hỏi, ngã, nặng).
_VNI_TONE = ("", "\xf8", "\xf9", "\xfb", "\xf5", "\xef")  # - ø ù û õ ï
_VNI_CIRCUMFLEX = ("\xe2", "\xe0", "\xe1", "\xe5", "\xe3", "\xe4")  # â à á å ã ä   (â ê ô + tone)
_VNI_BREVE = ("\xea", "\xe8", "\xe9", "\xfa", "\xfc", "\xeb")  # ê è é ú ü ë   (ă + tone)
# Single bytes: i with a tone, ỵ, and ơ ư đ (which then take the ordinary tone marks).
_VNI_I = ("i", "\xec", "\xed", "\xe6", "\xf3", "\xf2")  # i ì í æ ó ò
_VNI_Y_DOT = "\xee"  # î = ỵ
_VNI_O_HORN, _VNI_U_HORN, _VNI_D_BAR = "\xf4", "\xf6", "\xf1"  # ô = ơ, ö = ư, ñ = đ

_CIRCUMFLEX, _BREVE, _HORN = "\u0302", "\u0306", "\u031b"
_BASES_AND_MODIFIERS = {"a": ("", _CIRCUMFLEX, _BREVE), "e": ("", _CIRCUMFLEX), "i": ("",),
                        "o": ("", _CIRCUMFLEX, _HORN), "u": ("", _HORN), "y": ("",)}


def _vni_lower(base: str, modifier: str, tone_index: int) -> str:
    if base == "i":
        return _VNI_I[tone_index]
    if base == "y" and _TONES[tone_index] == _DOT:
        return _VNI_Y_DOT
    if modifier == _CIRCUMFLEX:
        return base + _VNI_CIRCUMFLEX[tone_index]
    if modifier == _BREVE:
        return base + _VNI_BREVE[tone_index]
    if modifier == _HORN:
        return (_VNI_O_HORN if base == "o" else _VNI_U_HORN) + _VNI_TONE[tone_index]
    return base + _VNI_TONE[tone_index]


def _build_vni() -> tuple[dict[str, str], dict[str, str]]:
    encode: dict[str, str] = {}
    for base, modifiers in _BASES_AND_MODIFIERS.items():
        for modifier in modifiers:
            for index, tone in enumerate(_TONES):
                letter = _nfc(base + modifier + tone)
                legacy = _vni_lower(base, modifier, index)
                if legacy != letter:
                    encode[letter] = legacy
                    encode[letter.upper()] = legacy.upper()
    encode["đ"], encode["Đ"] = _VNI_D_BAR, _VNI_D_BAR.upper()
    decode = {legacy: letter for letter, legacy in encode.items()}
    # VNI files are written by keyboard drivers that put a capital base with a capital mark, but a mark of
    # the other case after the base is unambiguous too (the mark and base-letter sets do not overlap): the
    # base letter decides the case.
    for legacy, letter in list(decode.items()):
        if len(legacy) == 2:
            decode.setdefault(legacy[0] + legacy[1].swapcase(), letter)
    return decode, encode


VNI_TO_UNICODE, UNICODE_TO_VNI = _build_vni()
_VNI_ENCODE_TABLE = str.maketrans(UNICODE_TO_VNI)
_VNI_MARKS = "".join(sorted({k[1] for k in VNI_TO_UNICODE if len(k) == 2}))
_VNI_SINGLES = "".join(sorted(k for k in VNI_TO_UNICODE if len(k) == 1))
_VNI_BASES = "".join(sorted({k[0] for k in VNI_TO_UNICODE if len(k) == 2}))
# Two-character sequences first: at "ô" + "ù" the pair (ớ) must win over the single "ô" (ơ).
_VNI_RE = re.compile(f"[{re.escape(_VNI_BASES)}][{re.escape(_VNI_MARKS)}]|[{re.escape(_VNI_SINGLES)}]")


def _vni_replace(match: re.Match[str]) -> str:
    seq = match.group()
    letter = VNI_TO_UNICODE.get(seq)
    if letter is None:  # a base followed by a mark it cannot take ("u" + "â"): leave the mark as it is
        letter = VNI_TO_UNICODE.get(seq[0], seq[0]) + seq[1]
    return letter


# --- conversion ----------------------------------------------------------------------------------------------
def to_unicode(text: str, encoding: str) -> str:
    """Decode text typed in a legacy encoding ("tcvn3", "tcvn3-upper" or "vni") to Unicode NFC."""
    if encoding == TCVN3:
        out = text.translate(_TCVN3_DECODE_TABLE)
    elif encoding == TCVN3_UPPER:
        out = text.translate(_TCVN3_DECODE_TABLE).upper()
    elif encoding == VNI:
        out = _VNI_RE.sub(_vni_replace, text)
    else:
        raise ValueError(f"unknown legacy encoding {encoding!r}; expected one of {ENCODINGS}")
    return _nfc(out)


def from_unicode(text: str, encoding: str) -> str:
    """Encode Unicode text the way a legacy keyboard driver would have stored it (used by the tests).

    TCVN3 is lossy for capitals with a tone: they are written as the lowercase letter. "tcvn3-upper" writes
    the same characters as "tcvn3" (the uppercase font draws every one of them as a capital).
    """
    text = _nfc(text)
    if encoding in (TCVN3, TCVN3_UPPER):
        return text.translate(_TCVN3_ENCODE_TABLE)
    if encoding == VNI:
        return text.translate(_VNI_ENCODE_TABLE)
    raise ValueError(f"unknown legacy encoding {encoding!r}; expected one of {ENCODINGS}")


# --- Vietnamese syllables ------------------------------------------------------------------------------------
# A word is judged by whether it is a well-formed Vietnamese syllable: onset + rhyme + at most one tone.
# Genuine Unicode Vietnamese is made of such syllables; legacy text read as Unicode almost never is
# ("C«ng", "Coâng"), and becomes so once decoded. The grammar is a little permissive (it accepts some
# syllables nobody writes) but must never reject a real one: a rejected real word could count as evidence.
_ONSETS = ("ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr",
           "b", "c", "d", "đ", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x", "")
_FINALS = ("ng", "nh", "ch", "c", "m", "n", "p", "t", "k", "")  # two-letter finals first
_STOP_FINALS = frozenset({"c", "ch", "p", "t", "k"})  # they only take the sắc or nặng tone
# Vowel nucleus (with medial o/u) -> the finals it takes ("" = open syllable). "k" only appears in
# ethnic-minority place names (Đắk Lắk, Pắk).
_RHYMES: dict[str, frozenset[str]] = {key: frozenset(value.split(",")) for key, value in {
    "a": ",c,ch,m,n,ng,nh,p,t,k", "ă": "c,m,n,ng,p,t,k", "â": "c,m,n,ng,p,t,k",
    "e": ",c,m,n,ng,p,t", "ê": ",ch,m,n,nh,p,t", "i": ",ch,m,n,nh,p,t",
    "o": ",c,m,n,ng,p,t,k", "ô": ",c,m,n,ng,p,t,k", "ơ": ",m,n,p,t",
    "u": ",c,m,n,ng,p,t,k", "ư": ",c,m,n,ng,t", "y": ",ch,n,nh,p,t",
    "oa": ",c,ch,m,n,ng,nh,p,t", "oă": "c,m,n,ng,p,t", "oe": ",m,n,t", "oo": "c,ng",
    "uâ": "n,ng,t", "uê": ",ch,n,nh", "uy": ",ch,n,nh,p,t", "uơ": "", "uô": "c,m,n,ng,t",
    "ươ": "c,m,n,ng,p,t", "iê": "c,m,n,ng,p,t", "yê": "m,n,ng,t", "uyê": "n,t",
    "ai": "", "ao": "", "au": "", "ay": "", "âu": "", "ây": "", "eo": "", "êu": "", "ia": "", "iu": "",
    "oi": "", "ôi": "", "ơi": "", "ua": "", "ui": "", "ưa": "", "ưi": "", "ưu": "",
    "iêu": "", "yêu": "", "oai": "", "oay": "", "oao": "", "oeo": "", "uây": "", "uôi": "", "ươi": "",
    "ươu": "", "uya": "", "uyu": "",
}.items()}
_VIETNAMESE_LETTERS = frozenset("abcdeghiklmnopqrstuvxyăâêôơưđ")
_TONE_MARKS = frozenset(_TONES[1:])
_FRONT_VOWELS = "ieêy"


def _spelling_ok(onset: str, nucleus: str, final: str) -> bool:
    """Vietnamese spelling rules: gh/ngh before front vowels, c/g/ng elsewhere, qu before no other u/o.

    k is not restricted to front vowels: place names keep it before others (Bắc Kạn, Kon Tum)."""
    first = nucleus[0]
    if onset in ("gh", "ngh"):
        return first in "ieê"
    if onset in ("c", "ng"):
        return first not in _FRONT_VOWELS
    if onset == "g":  # "gì", "gìn" spell the gi- onset with one i
        return first not in "eêy"
    if onset == "qu":
        return first not in "uưo"
    if nucleus == "y" and final:  # "quýt", "quỳnh"; elsewhere a final after y needs the medial u (uynh)
        return False
    return True


@lru_cache(maxsize=16384)
def is_vietnamese_syllable(word: str) -> bool:
    """True when ``word`` (any case, NFC or not) is a well-formed Vietnamese syllable such as "người"."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    tones = [ch for ch in decomposed if ch in _TONE_MARKS]
    if len(tones) > 1:
        return False
    tone = tones[0] if tones else ""
    bare = _nfc("".join(ch for ch in decomposed if ch not in _TONE_MARKS))
    if not bare or not _VIETNAMESE_LETTERS.issuperset(bare):
        return False
    for onset in _ONSETS:
        if not bare.startswith(onset):
            continue
        rest = bare[len(onset):]
        for final in _FINALS:
            if final and not rest.endswith(final):
                continue
            nucleus = rest[: len(rest) - len(final)]
            if final not in _RHYMES.get(nucleus, ()):
                continue
            if final in _STOP_FINALS and tone not in (_ACUTE, _DOT):
                continue
            if _spelling_ok(onset, nucleus, final):
                return True
    return False


# --- detection -----------------------------------------------------------------------------------------------
# Thresholds of the statistical detection (see detect_legacy).
MIN_DISTINCT_EVIDENCE = 2  # different words that only make sense decoded
MIN_EVIDENCE_RATIO = 0.5  # share of the words with non-ASCII letters that are evidence
MAX_COUNTER_RATIO = 0.25  # valid words the decoding would break, relative to the evidence
DOMINANCE = 2.0  # when both encodings qualify, the winner needs this many times the other's evidence

# Every non-ASCII character either legacy encoding uses: a text with none of them cannot be legacy.
_SUSPECT_CHARS = frozenset(TCVN3_TO_UNICODE) | frozenset(k for key in VNI_TO_UNICODE for k in key if not k.isascii())
_SUSPECT_RE = re.compile("[" + re.escape("".join(sorted(_SUSPECT_CHARS))) + "]")
# Letters (and combining marks) of Unicode Vietnamese that no legacy text read as Latin-1 can contain: a text
# with any of them is Unicode already, or a mix we must not touch.
_UNICODE_VIETNAMESE_RE = re.compile("[\u0102\u0103\u0110\u0111\u0128\u0129\u0168\u0169\u01a0\u01a1\u01af\u01b0"
                                    "\u1ea0-\u1ef9\u0300-\u036f]")
# A word as legacy text sees it: ASCII letters plus every Latin-1 character the tables use.
_WORD_RE = re.compile("[A-Za-z" + re.escape("".join(sorted(c for c in _SUSPECT_CHARS | set(
    map(chr, range(0xC0, 0x100)))))) + "]+")
# TCVN3 characters that are symbols, not letters, in any other language (¸ µ ® « ...): one of them inside a
# word is strong evidence on its own.
_TCVN3_SYMBOLS = frozenset(c for c in TCVN3_TO_UNICODE if not c.isalpha()) | {"\xb5", "\xaa"}  # µ ª
_TCVN3_SYMBOL_IN_WORD_RE = re.compile("[A-Za-z][" + re.escape("".join(sorted(_TCVN3_SYMBOLS))) + "]")
_STATISTICAL = (TCVN3, VNI)


def encoding_from_font(font_name: str | None) -> str | None:
    """The legacy encoding a font implies: ".VnTime" -> "tcvn3", ".VnTimeH" -> "tcvn3-upper", "VNI-Times" -> "vni"."""
    if not font_name:
        return None
    name = font_name.strip()
    if re.match(r"VNI[-_ ]", name, re.IGNORECASE):
        return VNI
    if name[:3].lower() == ".vn":
        # The ABC package names its all-capitals fonts with a trailing capital H (.VnTimeH, .VnArial NarrowH).
        return TCVN3_UPPER if name.endswith("H") else TCVN3
    return None


def _may_be_legacy(text: str) -> bool:
    """The cheap gate run on every cell: False for ASCII, for text without any legacy character, and for
    text that already has letters only Unicode Vietnamese has."""
    return (not text.isascii()
            and _SUSPECT_RE.search(text) is not None
            and _UNICODE_VIETNAMESE_RE.search(text) is None)


def _lower_then_upper(word: str) -> bool:
    """A lowercase letter followed later by a capital, as in "ẹT" (TCVN3 reading of VNI "ÑT" = "ĐT")."""
    for index, ch in enumerate(word):
        if ch.islower():
            return any(c.isupper() for c in word[index + 1:])
    return False


@lru_cache(maxsize=65536)
def _word_votes(word: str) -> tuple[tuple[bool, bool, bool], ...]:
    """For each statistical encoding: (evidence, counter-evidence, decoded word mixes case as in "ẹT")."""
    if len(word) == 1 and not word.isalpha():
        # A lone symbol ("×" in "3 × 4", "«", "§ 5") decodes to a one-letter syllable but proves nothing.
        return ((False, False, False),) * len(_STATISTICAL)
    valid_as_is = is_vietnamese_syllable(word)
    votes = []
    for encoding in _STATISTICAL:
        decoded = to_unicode(word, encoding)
        if decoded == word:
            votes.append((False, False, False))
            continue
        valid_decoded = is_vietnamese_syllable(decoded)
        votes.append((valid_decoded and not valid_as_is, valid_as_is and not valid_decoded,
                      _lower_then_upper(decoded)))
    return tuple(votes)


def _base(encoding: str) -> str:
    return TCVN3 if encoding == TCVN3_UPPER else encoding


class _Tally:
    """Evidence gathered over one or more texts."""

    def __init__(self) -> None:
        self.words = 0  # words with non-ASCII characters
        self.evidence = dict.fromkeys(_STATISTICAL, 0)
        self.distinct: dict[str, set[str]] = {enc: set() for enc in _STATISTICAL}
        self.counter = dict.fromkeys(_STATISTICAL, 0)
        self.tcvn3_symbol_evidence = 0
        # ASCII letters after the first letter of a word: they tell an all-capitals text from Capitalised words.
        self.inner_upper = 0
        self.inner_lower = 0

    def add(self, text: str) -> None:
        words = _WORD_RE.findall(text)
        inner_upper = sum(1 for word in words for ch in word[1:] if "A" <= ch <= "Z")
        inner_lower = sum(1 for word in words for ch in word[1:] if "a" <= ch <= "z")
        self.inner_upper += inner_upper
        self.inner_lower += inner_lower
        has_lowercase = inner_lower > 0 or any("a" <= ch <= "z" for ch in text)
        for word in words:
            if word.isascii():
                continue
            self.words += 1
            for encoding, (evidence, counter, mixed_case) in zip(_STATISTICAL, _word_votes(word)):
                # In TCVN3 only an all-capitals text decodes to words like "CôNG" (the lowercase fonts have no
                # toned capitals); in a text with lowercase letters a reading such as "ẹT" is not plausible.
                if evidence and not (encoding == TCVN3 and mixed_case and has_lowercase):
                    self.evidence[encoding] += 1
                    self.distinct[encoding].add(word.lower())
                    if encoding == TCVN3 and _TCVN3_SYMBOL_IN_WORD_RE.search(word):
                        self.tcvn3_symbol_evidence += 1
                self.counter[encoding] += counter

    def _qualifies(self, encoding: str) -> bool:
        evidence = self.evidence[encoding]
        if evidence == 0 or self.counter[encoding] > MAX_COUNTER_RATIO * evidence:
            return False
        if evidence < MIN_EVIDENCE_RATIO * self.words:
            return False
        if len(self.distinct[encoding]) >= MIN_DISTINCT_EVIDENCE:
            return True
        # One word is enough only for TCVN3, only when it is every non-ASCII word there is, and only when it
        # has a symbol right after a letter ("N÷" = Nữ, "Kh¸" = Khá): no other text looks like that.
        return encoding == TCVN3 and evidence == self.words and self.tcvn3_symbol_evidence > 0

    def fits(self, encoding: str) -> bool:
        """Some word only makes sense decoded with ``encoding`` and none is broken by it."""
        base = _base(encoding)
        return self.evidence[base] > 0 and self.counter[base] == 0

    def shows(self, encoding: str) -> bool:
        """Different words (MIN_DISTINCT_EVIDENCE) only make sense decoded with ``encoding``."""
        return len(self.distinct[_base(encoding)]) >= MIN_DISTINCT_EVIDENCE

    def decide(self) -> str | None:
        qualified = [enc for enc in _STATISTICAL if self._qualifies(enc)]
        if not qualified:
            return None
        if len(qualified) == 2:
            first, second = sorted(qualified, key=lambda enc: self.evidence[enc], reverse=True)
            if self.evidence[first] < DOMINANCE * self.evidence[second]:
                return None
            qualified = [first]
        encoding = qualified[0]
        # Capitals typed with the lowercase TCVN3 font come out as "C«NG": all ASCII letters upper-case means
        # the text was meant as capitals (and was most likely shown in an uppercase .Vn...H font).
        if encoding == TCVN3 and self.inner_lower == 0 and self.inner_upper >= 2:
            return TCVN3_UPPER
        return encoding


def detect_legacy(text: str, font_name: str | Callable[[], str | None] | None = None, *,
                  pooled: Callable[[], "LegacyEvidence"] | None = None) -> str | None:
    """"tcvn3", "tcvn3-upper", "vni", or None when ``text`` is not (or not surely) legacy-encoded.

    Always None for ASCII, for text with no character a legacy encoding uses, and for text holding letters
    only Unicode Vietnamese has (ạ ả ơ ư đ ... or combining marks), even in a legacy font: such a cell is
    Unicode, or a mix we must not touch.

    Each word with non-ASCII characters is evidence for an encoding when it is not a Vietnamese syllable as
    it stands but is one once decoded ("Coâng" -> "Công"), counter-evidence when the decoding breaks a valid
    syllable.

    A legacy font (``encoding_from_font``; ``font_name`` may be a function, called only for a text that
    passed the gate above) decides when the text has evidence for it, never when decoding would only break
    valid words (Unicode typed into a cell that merely has a legacy font: it shows right wherever the font
    is not installed). A text neither way ("Tó Anh" is "Tú Anh" in TCVN3, and valid as it stands) follows
    the font when the rest of the file shows that encoding (``pooled``), or when there is no file to ask.

    Without a font, an encoding is reported when it has evidence from at least MIN_DISTINCT_EVIDENCE
    different words, that evidence covers at least MIN_EVIDENCE_RATIO of the non-ASCII words, and
    counter-evidence is at most MAX_COUNTER_RATIO of it (a lone TCVN3 word such as "N÷" or "Kh¸" is enough
    when it is the only non-ASCII word, because a symbol inside a word occurs in no other text). If both
    encodings qualify the one with DOMINANCE times the other's evidence wins, else None. TCVN3 text whose
    ASCII letters are all capitals is reported as "tcvn3-upper". A text too short to decide alone
    ("Leâ Thò Mai") takes the whole file's encoding (``pooled().decide()``) when some word of it is
    evidence for that encoding and none is counter-evidence: a unit that types with a VNI keyboard types
    its names with it too.
    """
    if not isinstance(text, str) or not _may_be_legacy(text):
        return None
    tally = _Tally()
    tally.add(text)
    if pooled is not None and not any(tally.evidence.values()) and not any(map(pooled().shows, _STATISTICAL)):
        # Nothing in this text or its file looks legacy ("Lê Thanh Hùng" in a Unicode file): no font can
        # change that (see below), so it is not even looked up.
        return None
    by_font = encoding_from_font(font_name() if callable(font_name) else font_name)
    if by_font is not None:
        base = _base(by_font)
        if tally.evidence[base]:
            return by_font
        if tally.counter[base] or to_unicode(text, by_font) == text:
            return None
        return by_font if pooled is None or pooled().shows(base) else None
    found = tally.decide()
    if found is None and pooled is not None:
        whole = pooled().decide()
        if whole is not None and tally.fits(whole):
            return whole
    return found


class LegacyEvidence(_Tally):
    """The evidence of many texts (a file's cells) pooled: ``decide()`` names their one encoding."""


def legacy_evidence(texts: Iterable[str]) -> LegacyEvidence:
    """Pool the texts that may be legacy (the others are skipped)."""
    tally = LegacyEvidence()
    for text in texts:
        if isinstance(text, str) and _may_be_legacy(text):
            tally.add(text)
    return tally


def detect_legacy_many(texts: Iterable[str]) -> str | None:
    """One encoding for many texts (a column, a sheet) judged together, with the thresholds of
    ``detect_legacy`` applied to the pooled evidence: short cells ("Nöõ", "Leâ Thò Mai") that are too
    little evidence on their own count together. Texts that cannot be legacy are skipped. Apply the result
    with ``fix_legacy(text, encoding=...)``, which still leaves Unicode and ASCII cells alone."""
    return legacy_evidence(texts).decide()


def fix_legacy(text: str, font_name: str | Callable[[], str | None] | None = None, *, encoding: str | None = None,
               pooled: Callable[[], LegacyEvidence] | None = None) -> tuple[str, str | None]:
    """(Unicode NFC text, encoding) when ``text`` is legacy-encoded, else (``text`` unchanged, None).

    ``encoding`` forces the encoding (e.g. the result of ``detect_legacy_many``) for texts that pass the
    cheap gate of ``detect_legacy``; otherwise the encoding is detected from ``font_name``, the text, and
    ``pooled`` (see ``detect_legacy``).
    """
    if encoding is not None:
        if encoding not in ENCODINGS:
            raise ValueError(f"unknown legacy encoding {encoding!r}; expected one of {ENCODINGS}")
        detected = encoding if isinstance(text, str) and _may_be_legacy(text) else None
    else:
        detected = detect_legacy(text, font_name, pooled=pooled)
    if detected is None:
        return text, None
    converted = to_unicode(text, detected)
    return (converted, detected) if converted != text else (text, None)
