"""Characters and closed word classes, defined once for the whole project.

Quotation marks, space characters and pronouns: the structure reader, the language
rules, the speaker resolution and the rendering all read them from here.
"""

# Quotation marks. Curly and guillemet marks say which side they stand on; the
# straight mark does not, and the rules decide from its neighbours.
QUOTE_OPEN = "“«„"
QUOTE_CLOSE = "”»"
QUOTE_STRAIGHT = '"'
# Marks that can open a quotation or a quoted title at the start of a paragraph.
QUOTE_OPENERS = "\"“‘'«"
# Any mark that may stand just before or just after a quotation's words, single marks
# and the German low-high pair („…“) included: the reader's underline takes them in.
MARKS_BEFORE_QUOTE = QUOTE_OPEN + QUOTE_STRAIGHT + "‘"
MARKS_AFTER_QUOTE = QUOTE_CLOSE + QUOTE_STRAIGHT + "’“"

# Characters that are spaces to a reader: non-breaking, figure, thin, hair, narrow
# non-breaking and ideographic spaces, and tabs. The structure reader makes them
# plain spaces.
VISIBLE_SPACES = "\u00a0\u2007\u2009\u200a\u202f\u3000\t"
# Characters a reader does not see: zero-width spaces and joiners, word joiner,
# byte-order mark, soft hyphen. The structure reader drops them.
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
# What spaCy sees: every one of them a plain space, one for one (offsets never move).
SPACES_TO_PLAIN = str.maketrans(dict.fromkeys(VISIBLE_SPACES + INVISIBLE, " "))

# Pronouns that can be the subject of a cue verb: a speaker to resolve.
SPEAKER_PRONOUNS = frozenset(["he", "she", "they", "i", "we"])
# Personal pronouns in any case: never a name, never an alias.
PERSONAL_PRONOUNS = frozenset(
    ["i", "me", "you", "he", "him", "she", "her", "it", "we", "us", "they", "them"]
)
