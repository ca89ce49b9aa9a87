"""Word lists the rules read. Data only: no logic, no article-specific strings.

Everything is lower case unless stated; lookups are by token lemma or lower-cased text.
"""

from __future__ import annotations

# Verbs that introduce speech (direct or indirect), by lemma.
SPEECH_VERBS = frozenset(
    [
        "say",
        "tell",
        "add",
        "tweet",
        "write",
        "state",
        "explain",
        "argue",
        "note",
        "ask",
        "warn",
        "claim",
        "insist",
        "urge",
        "suggest",
        "believe",
        "think",
        "contend",
        "maintain",
        "acknowledge",
        "admit",
        "announce",
        "answer",
        "assert",
        "caution",
        "charge",
        "comment",
        "complain",
        "concede",
        "conclude",
        "confirm",
        "declare",
        "deny",
        "describe",
        "emphasize",
        "emphasise",
        "estimate",
        "exclaim",
        "observe",
        "point",
        "predict",
        "promise",
        "propose",
        "reply",
        "respond",
        "recall",
        "remark",
        "report",
        "reiterate",
        "repeat",
        "reveal",
        "shout",
        "stress",
        "testify",
        "vow",
        "wonder",
        "yell",
        "joke",
        "quip",
        "laugh",
        "continue",
        "agree",
        "recommend",
        "allege",
        "boast",
        "brag",
        "chide",
        "counter",
        "criticize",
        "criticise",
        "fume",
        "grumble",
        "lament",
        "mock",
        "muse",
        "post",
        "scoff",
        "sneer",
        "snap",
        "retort",
        "rail",
        "concur",
        "add",
        "inform",
        "tout",
        "demand",
        "plead",
        "pledge",
        "decry",
        "blast",
        "slam",
        "rip",
        "hammer",
        "dismiss",
        "tease",
    ]
)

# Lemmas that count as a cue for a direct quotation placed next to them ("…," she said),
# with the verbs that tell how words were said and take no reported clause ('“…,” Lee
# barked', 'she elaborated, “…”', '“…,” opined the paper').
DIRECT_CUES = SPEECH_VERBS | frozenset(
    [
        "summarize",
        "summarise",
        "assure",
        "bark",
        "bellow",
        "boom",
        "beam",
        "elaborate",
        "gush",
        "holler",
        "interject",
        "intone",
        "marvel",
        "murmur",
        "mutter",
        "opine",
        "proclaim",
        "rant",
        "recount",
        "scream",
        "surmise",
        "whisper",
    ]
)

# Cues that take a that-clause / clause complement and make an indirect quote.
INDIRECT_CUES = frozenset(
    [
        "say",
        "tell",
        "add",
        "argue",
        "note",
        "warn",
        "claim",
        "insist",
        "suggest",
        "believe",
        "think",
        "contend",
        "maintain",
        "acknowledge",
        "admit",
        "announce",
        "assert",
        "caution",
        "charge",
        "concede",
        "conclude",
        "confirm",
        "declare",
        "deny",
        "estimate",
        "explain",
        "observe",
        "predict",
        "promise",
        "propose",
        "reply",
        "respond",
        "recall",
        "report",
        "reiterate",
        "reveal",
        "stress",
        "testify",
        "vow",
        "write",
        "tweet",
        "state",
        "agree",
        "recommend",
        "allege",
        "emphasize",
        "emphasise",
        "complain",
        "point",
    ]
)

# Modals that make a cue hypothetical ("could argue that", "would say"): what someone
# might say is nobody's speech.
HYPOTHETICAL_MODALS = frozenset(["could", "would", "might", "may", "should"])

# Cues whose object is the one addressed ("he told reporters"), not a thing said.
ADDRESSEE_CUES = frozenset(["tell", "assure", "inform", "remind", "warn", "advise"])

# Subjects of a cue that name no source: the reader ("you think"), an object-case
# pronoun left by a misparse ("daring him to say"), an unresolved relative pronoun.
NOT_REPORTING_WORDS = frozenset(["you", "me", "him", "her", "us", "them", "which", "that", "'s"])

# Pronoun subjects of a cue that speak only through what they stand for: unresolved
# ("they say …" with no group before, "it explains why …"), they name no source. A
# first person outside quotation marks that names no one ("I think …", "we believe
# …") is the writer's own view or an interview's answer whose marks are missing, and
# an unresolved "who" has no antecedent a reader can see: on polnear-train none of
# 64 such reports named its speaker (the reader saw "I"), and 25 matched no report.
ANCHORED_SUBJECTS = frozenset(["they", "it", "this", "i", "we", "who"])

# Conjunctions after which a subjectless verb continues the speaker's own acts
# ("said X, but offered no proof", "…, while avoiding the question").
CONTENT_BREAK_CONJUNCTIONS = frozenset(["but", "while", "although", "though", "and", "yet"])

# Verbs of evidence that attribute a fact to a record ("…, the footage showed").
EVIDENCE_CUES = frozenset(["show", "find", "indicate"])

# Cues whose content is object + infinitive: "urged the council to rethink …".
URGE_CUES = frozenset(
    ["urge", "ask", "call", "press", "advise", "encourage", "implore", "beg", "warn"]
)

# Cue verbs that make a claim a belief rather than plain report.
BELIEF_CUES = frozenset(
    [
        "believe",
        "think",
        "argue",
        "contend",
        "maintain",
        "insist",
        "expect",
        "predict",
        "estimate",
        "suspect",
        "say",
        "assert",
        "claim",
        "suggest",
        "conclude",
        "warn",
    ]
)
PREDICTION_CUES = frozenset(["predict", "expect", "forecast", "anticipate"])
# What someone knows, recognizes or feels ("the mayor recognizes that the repairs will
# take years"): the reporter's reading of their mind, not words they said, so never a
# quote of theirs, whatever the learned cue model scores it (PolNeAR counts beliefs).
KNOWLEDGE_VERBS = frozenset(
    [
        "recognize",
        "recognise",
        "realize",
        "realise",
        "know",
        "understand",
        "feel",
        "learn",
        "remember",
        "notice",
    ]
)
# Verbs by which a reporter gives someone else's view ("X is predicting that …", "X
# recognizes that …"): the sentence is that subject's claim, not the author's.
VIEW_CUES = (
    INDIRECT_CUES
    | BELIEF_CUES
    | EVIDENCE_CUES
    | frozenset(
        ["recognize", "recognise", "know", "understand", "fear", "hope", "forecast", "anticipate"]
    )
    # a finding reported ("the court ruled that the rules could …") is the finder's, and a
    # question put ("delegates questioned how he could …") the asker's
    | frozenset(["rule", "conclude", "decide", "determine", "report", "question", "wonder"])
)
# Subjects that are the author speaking for themself ("I think", "we must").
AUTHOR_PRONOUNS = frozenset(["i", "we"])
RECOMMENDATION_CUES = frozenset(["urge", "recommend", "propose", "advise", "call"])

# Words (lower case) that mark a prediction / recommendation inside a clause.
# ("going" alone is no marker: "keeping the talks going" predicts nothing; "is going to" is a
# phrase below.)
PREDICTION_MARKERS = frozenset(["will", "'ll", "won't", "likely", "unlikely", "probably"])
PREDICTION_PHRASES = (
    "is going to",
    "are going to",
    "am going to",
    "'s going to",
    "is likely to",
    "are likely to",
    "is expected to",
    "are expected to",
    "will be",
    "would be",
    "is set to",
    "most likely",
    "is poised to",
    "are poised to",
)
# A reporter's own forecast in news needs a hedge to count as a claim (a schedule —
# "they will meet at 6.30pm" — is not one).
HEDGE_WORDS = frozenset(
    [
        "likely",
        "unlikely",
        "expected",
        "probably",
        "possibly",
        "could",
        "may",
        "might",
        "poised",
        "expectations",
        "predicted",
        "predicting",
        "forecast",
    ]
)
RECOMMENDATION_MARKERS = frozenset(["should", "must", "ought"])
RECOMMENDATION_PHRASES = (
    "need to",
    "needs to",
    "have to",
    "has to",
    "it is time",
    "it's time",
    "it is time for",
    # a course commended ("the best approach may be to …", "it would be a good idea to …")
    "a good idea",
    "best approach",
    "best way to",
    "would be wise",
)

# Titles and honorifics stripped from the front of a name ("President Moon Jae-in").
TITLES = frozenset(
    [
        "mr",
        "mr.",
        "mrs",
        "mrs.",
        "ms",
        "ms.",
        "miss",
        "dr",
        "dr.",
        "prof",
        "prof.",
        "professor",
        "sir",
        "dame",
        "lord",
        "lady",
        "president",
        "vice",
        "vice-president",
        "prime",
        "minister",
        "secretary",
        "senator",
        "sen",
        "sen.",
        "rep",
        "rep.",
        "representative",
        "congressman",
        "congresswoman",
        "gov",
        "gov.",
        "governor",
        "mayor",
        "chairman",
        "chairwoman",
        "chair",
        "chancellor",
        "king",
        "queen",
        "prince",
        "princess",
        "pope",
        "rev",
        "rev.",
        "reverend",
        "gen",
        "gen.",
        "general",
        "col",
        "col.",
        "colonel",
        "lt",
        "lt.",
        "capt",
        "capt.",
        "captain",
        "sgt",
        "sgt.",
        "sergeant",
        "adm",
        "adm.",
        "admiral",
        "judge",
        "justice",
        "attorney",
        "ambassador",
        "commissioner",
        "director",
        "chief",
        "minister",
        "speaker",
        "leader",
        "premier",
        "emperor",
        "sheikh",
        "candidate",
        "nominee",
        "former",
        "first",
        "lady",
        "state-of",
        "the",
        "u.s.",
        "us",
        "deputy",
        "acting",
        "assistant",
        "press",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "democrat",
        "democratic",
        "republican",
        "gop",
        "sens.",
        "reps.",
        "dems",
    ]
)

# Titles that make a person prominent (heads of state etc.), for ambiguous short names.
LEADER_TITLES = frozenset(
    [
        "president",
        "leader",
        "chairman",
        "premier",
        "prime",
        "king",
        "queen",
        "chancellor",
        "emperor",
        "dictator",
    ]
)

MALE_TITLES = frozenset(["mr", "mr.", "sir", "lord", "king", "prince", "congressman", "spokesman"])
FEMALE_TITLES = frozenset(
    [
        "mrs",
        "mrs.",
        "ms",
        "ms.",
        "miss",
        "dame",
        "lady",
        "queen",
        "princess",
        "congresswoman",
        "chairwoman",
        "spokeswoman",
    ]
)


# Last words of names that are places, buildings or organisations, not people.
PLACE_SUFFIXES = frozenset(
    [
        "city",
        "town",
        "village",
        "county",
        "province",
        "state",
        "district",
        "street",
        "st.",
        "avenue",
        "ave.",
        "road",
        "square",
        "river",
        "lake",
        "mountain",
        "island",
        "islands",
        "valley",
        "bay",
        "coast",
        "beach",
        "park",
        "bridge",
        "airport",
        "station",
    ]
)
FACILITY_SUFFIXES = frozenset(
    [
        "hotel",
        "hospital",
        "palace",
        "tower",
        "center",
        "centre",
        "hall",
        "stadium",
        "arena",
        "museum",
        "church",
        "mosque",
        "temple",
        "building",
        "house",
    ]
)
ORG_SUFFIXES = frozenset(
    [
        "institute",
        "university",
        "college",
        "school",
        "academy",
        "foundation",
        "group",
        "party",
        "committee",
        "council",
        "association",
        "agency",
        "bank",
        "company",
        "corporation",
        "corp.",
        "inc.",
        "inc",
        "ltd.",
        "ltd",
        "times",
        "post",
        "journal",
        "shimbun",  # Japanese for newspaper: "the Asahi Shimbun"
        "ilbo",  # Korean for daily: "the Chosun Ilbo"
        "news",
        "network",
        "press",
        "service",
        "ministry",
        "department",
        "commission",
        "campaign",
        "fund",
        "society",
        "union",
        "organization",
        "organisation",
        "center",
        "centre",
    ]
)

LAW_SUFFIXES = frozenset(
    ["amendment", "act", "bill", "law", "treaty", "accord", "accords", "agreement", "doctrine"]
)

# Capitalised words that are never a person's name when they begin a PERSON entity.
NON_NAME_WORDS = frozenset(
    [
        "very",
        "really",
        "so",
        "too",
        "just",
        "quite",
        "totally",
        "absolutely",
        "great",
        "awesome",
        "interesting",
        "amazing",
        "tremendous",
        "incredible",
        "sad",
        "wow",
        "thank",
        "thanks",
        "happy",
        "congratulations",
        "dear",
        "photo",
        "photos",
        "watch",
        "breaking",
        "update",
        "read",
        "video",
    ]
)

# Platforms and products the small model tags as people ("Twitter", "Tweeted").
PLATFORM_NAMES = frozenset(
    [
        "twitter",
        "tweet",
        "tweets",
        "tweeted",
        "facebook",
        "instagram",
        "youtube",
        "snapchat",
        "tiktok",
        "whatsapp",
        "linkedin",
        "reddit",
        "google",
        "iphone",
        "ipad",
    ]
)

# Head nouns of nominal speakers: "the newspaper wrote" (organisations) and
# "the senator said" (people).
ORG_SPEAKER_NOUNS = frozenset(
    [
        "newspaper",
        "daily",
        "paper",
        "magazine",
        "agency",
        "network",
        "channel",
        "station",
        "outlet",
        "publication",
        "company",
        "firm",
        "campaign",
        "committee",
        "group",
        "organization",
        "organisation",
        "party",
        "government",
        "administration",
        "ministry",
        "department",
        "office",
        "court",
        "board",
        "union",
        "council",
        "commission",
        "bank",
        "center",
        "centre",
        "institute",
        "report",
        "study",
        "poll",
    ]
)
PERSON_SPEAKER_NOUNS = frozenset(
    [
        "senator",
        "congressman",
        "congresswoman",
        "governor",
        "mayor",
        "president",
        "candidate",
        "nominee",
        "official",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "aide",
        "adviser",
        "advisor",
        "analyst",
        "expert",
        "professor",
        "lawmaker",
        "leader",
        "minister",
        "secretary",
        "chairman",
        "chairwoman",
        "director",
        "chief",
        "founder",
        "activist",
        "economist",
        "strategist",
        "pollster",
        "author",
        "writer",
        "reporter",
        "journalist",
        "defector",
        "lawyer",
        "attorney",
        "judge",
        "man",
        "woman",
        "mother",
        "father",
        "source",
        "businessman",
        "businesswoman",
        "veteran",
        "voter",
        "supporter",
        "critic",
        "diplomat",
        "ambassador",
        "officer",
        "executive",
        "ceo",
        "manager",
        "watcher",
        "scholar",
        "researcher",
        "historian",
        "commentator",
        "democrat",
        "republican",
        "member",
    ]
)

# Plural nouns for people that "they" can stand for when no organisation is named
# ("experts", "U.S. national security professionals"): an unnamed group source.
GROUP_NOUNS = PERSON_SPEAKER_NOUNS | frozenset(
    [
        "professional",
        "protester",
        "resident",
        "opponent",
        "scientist",
        "investor",
        "worker",
        "fan",
        "player",
        "parent",
        "student",
        "teacher",
        "doctor",
        "campaigner",
        "observer",
        "insider",
        "conservative",
        "liberal",
        "progressive",
        "people",
        "citizen",
        "employee",
        "staff",
        "negotiator",
    ]
)

# Groups that speak as one unnamed source ("prosecutors said …", "police said …"):
# the groups above and people named by a role in some undertaking. "police" is one
# even in the singular ("the police said").
SOURCE_GROUP_NOUNS = GROUP_NOUNS | frozenset(
    [
        "police",
        "participant",
        "prosecutor",
        "friend",
        "ally",
        "organizer",
        "advocate",
        "respondent",
        "specialist",
        "associate",
        "authority",
    ]
)
COLLECTIVE_SOURCE_NOUNS = frozenset(["police"])

# Determiners of a description that names nobody in particular ("some experts",
# "another official"): the source stays unnamed, never a person named before.
INDEFINITE_DETERMINERS = frozenset(["some", "another", "several", "many", "one", "other"])

# Words after which a capitalised phrase in marks is a name, title or nickname.
NAME_INTRODUCERS = frozenset(
    [
        "name",
        "named",
        "called",
        "dubbed",
        "nicknamed",
        "titled",
        "entitled",
        "known",
        "handle",
        "alias",
        "slogan",
        "term",
        "phrase",
        "word",
        "label",
        "moniker",
        "hashtag",
        "motto",
        "headline",
        "book",
        "film",
        "song",
        "show",
    ]
)

# Patterns introducing an alias: "goes by the online name “Anh Chi”".
ALIAS_PATTERNS = (
    r"\bgoes by (?:the )?(?:\w+ )?(?:name|handle|nickname|moniker) (?:of )?",
    r"\bgo by (?:the )?(?:\w+ )?(?:name|handle|nickname|moniker) (?:of )?",
    r"\bknown (?:online |widely |popularly )?as ",
    r"\bnicknamed ",
    r"\b(?:also|often|sometimes|affectionately) called ",
    r"\bwho uses the (?:\w+ )?(?:name|handle|pseudonym) ",
    r"\bunder the (?:\w+ )?(?:name|pseudonym|handle) ",
)


# The entity labels that name who or what: the ones Summit stores as mentions. Dates,
# times, amounts and numbers (DATE, TIME, MONEY, PERCENT, QUANTITY, ORDINAL, CARDINAL)
# are left to the text.
NAME_LABELS = frozenset(
    [
        "PERSON",
        "ORG",
        "GPE",
        "NORP",
        "LOC",
        "FAC",
        "EVENT",
        "LAW",
        "PRODUCT",
        "WORK_OF_ART",
        "LANGUAGE",
    ]
)

# -- descriptions and salience (quotes.resolve) ----------------------------------------

# Nouns that bring in a source of their own: "the spokeswoman said" with no spokeswoman
# named before is someone new, never the last person named.
NEW_SOURCE_NOUNS = frozenset(
    [
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "source",
        "official",
        "aide",
        "representative",
        "insider",
        "witness",
    ]
)

# Nouns a reporter uses to re-describe the person the story is about ("the Welsh
# singer", "the jazz pioneer", "the sitcom star"), besides PERSON_SPEAKER_NOUNS.
DESCRIPTION_NOUNS = frozenset(
    [
        "actor",
        "actress",
        "star",
        "singer",
        "musician",
        "comedian",
        "director",
        "producer",
        "novelist",
        "poet",
        "artist",
        "pioneer",
        "legend",
        "player",
        "striker",
        "midfielder",
        "defender",
        "goalkeeper",
        "captain",
        "coach",
        "boss",
        "champion",
        "prop",
        "mp",
        "politician",
        "campaigner",
        "entrepreneur",
        "tycoon",
        "billionaire",
        "millionaire",
        "mogul",
        "chief",
        "head",
        "founder",
        "president",
        "premier",
        "chancellor",
    ]
)

# The gender a describing noun carries ("m"/"f"); others agree with anyone.
NOUN_GENDER = {
    "actress": "f",
    "spokeswoman": "f",
    "chairwoman": "f",
    "congresswoman": "f",
    "businesswoman": "f",
    "woman": "f",
    "mother": "f",
    "spokesman": "m",
    "chairman": "m",
    "congressman": "m",
    "businessman": "m",
    "man": "m",
    "father": "m",
}

# Prepositions whose phrase restricts a description: "a spokesman for Acme", "a
# professor at Yale", "a member of the committee".
DESCRIPTION_PREPOSITIONS = frozenset(["for", "of", "at", "from", "with", "in"])

# Documents that speak for whoever published them ("a poll by the institute found …").
DOCUMENT_NOUNS = frozenset(
    ["report", "study", "poll", "survey", "analysis", "review", "audit", "count", "tally"]
    + ["investigation", "filing", "memo", "letter", "statement", "estimate", "projection"]
)
# What "according to" may cite as its source when no one is named: a document above or
# a record ("according to state records", "according to recent polling"); the source
# is then unnamed, given by its words.
RECORD_NOUNS = DOCUMENT_NOUNS | frozenset(
    ["record", "document", "data", "result", "polling", "figure", "statistic", "return"]
)
# Prepositions that name a document's author after it ("a survey by the union").
PUBLISHER_PREPOSITIONS = frozenset(["by", "from", "of"])

# Salience of an earlier mention for a description or pronoun (quotes.resolve.salient):
# the grammatical role weighs most (a sentence's subject is what it is about) ...
SALIENCE_SUBJECT = 4.0
SALIENCE_OBJECT = 2.0
SALIENCE_OBLIQUE = 1.0
SALIENCE_POSSESSIVE = 0.5
# ... and fades with each sentence back (the reporter moves on),
SALIENCE_DECAY = 0.6
# the last speaker is still the one talking,
SALIENCE_LAST_SPEAKER = 1.5
# and the story's protagonist (the lead's subject, named often) stays in view.
SALIENCE_LEAD_SUBJECT = 1.0
SALIENCE_PER_MENTION = 0.2
SALIENCE_MENTIONS_CAP = 5
# "the Ohio senator": a place or party in a description must stand in the same
# sentence as a mention of the person it describes, at most this many characters
# before the name (or twice as many after it, in an apposition).
DESCRIPTION_REACH = 40
# How many paragraphs back a mention still counts.
SALIENCE_PARAGRAPHS = 2

# -- direct-quote attribution (quotes.marks, quotes.resolve, quotes.sieves) -------------

# 'told the paper that “…”', 'because, “…”': a quotation right after a subordinating
# word is part of the reporter's clause (a mixed quotation), a fragment, not speech of
# its own.
MIXED_QUOTE_INTRODUCERS = frozenset(["that", "because", "whether", "although", "though", "unless"])
# '“…,” she told the committee on Monday, “and …”': the most characters a cue between
# the two halves of a split quotation takes, with a speaker's long apposition ('said
# Jo Ray, director of research at the Harbour Institute in Westford, “but …”').
SPLIT_CUE_REACH = 120
# '“…” was written by …', '“…” became a slogan': a verb that makes the quotation before
# it its subject, so a thing named (a title, a phrase), not words spoken.
QUOTED_SUBJECT_VERBS = frozenset(
    ["is", "was", "are", "were", "has", "had", "have", "became", "becomes", "remains", "remained"]
)

# --- Indirect quotes (quotes/indirect.py) --------------------------------------------

# Raising verbs that make a cue under them the reporter's reading, not a report
# ("appears to acknowledge that …", "seems to think …").
HEDGE_VERBS = frozenset(["appear", "seem"])

# Dash tokens that open and close an aside ("an aggressive — some say unrealistic — plan").
DASHES = frozenset(["-", "--", "—", "–"])

# Tokens that end a sentence: a content never runs past one, even where the parser
# missed the boundary.
SENTENCE_END_TOKENS = frozenset([".", "!", "?"])

# Pronouns that, after ", but" / ", although", may open the speaker's own next act.
SPEAKER_ACT_PRONOUNS = frozenset(["he", "she", "they"])

# Verbs of refusing or keeping silent: after the content ("…, but he declined to say
# more") they tell what the speaker did, never what they said.
SPEAKER_ACT_VERBS = frozenset(["refuse", "decline", "fail", "offer", "avoid", "stop"])

# -- what is no name, and what a title names (entities.repair) ------------------------

# Abbreviations of common things, written in capitals but naming nobody: time zones,
# generic technology, offices and honours, as written. (Currencies come from ISO 4217.)
COMMON_ABBREVIATIONS = frozenset(
    [
        "GMT",
        "BST",
        "UTC",
        "EST",
        "EDT",
        "PST",
        "PDT",
        "CET",
        "CST",
        "PC",
        "PCs",
        "CD",
        "CDs",
        "DVD",
        "DVDs",
        "HD",
        "HDTV",
        "USB",
        "GPRS",
        "GPS",
        "SMS",
        "MMS",
        "FM",
        "AM",
        "LCD",
        "CPU",
        "GPU",
        "RAM",
        "ROM",
        "MP3",
        "WiFi",
        "Wi-Fi",
        "AI",
        "CGI",
        "DRM",
        "VAT",
        "GDP",
        "CEO",
        "CFO",
        "COO",
        "MP",
        "MPs",
        "MEP",
        "MEPs",
        "MSP",
        "MSPs",
        "QC",
        "OBE",
        "MBE",
        "CBE",
        "TV",
        "DJ",
        "IPO",
        "FAQ",
        "URL",
        "PDF",
        "HTML",
        "API",
        "HQ",
        "Ethernet",
        "Firewire",
        "FireWire",
        "Digital Rights Management",
    ]
)

# Nouns that say the name next to them is a work: "the film X", "the X album".
WORK_NOUNS = frozenset(
    [
        "film",
        "films",
        "movie",
        "movies",
        "documentary",
        "album",
        "albums",
        "song",
        "songs",
        "single",
        "book",
        "books",
        "novel",
        "novels",
        "memoir",
        "play",
        "musical",
        "opera",
        "show",
        "shows",
        "series",
        "sitcom",
        "drama",
        "soap",
        "programme",
        "program",
        "comedy",
        "thriller",
        "painting",
        "sculpture",
        "poem",
        "blockbuster",
        "biopic",
        "sequel",
    ]
)
# ... a product: "the X console", "its X software".
PRODUCT_NOUNS = frozenset(
    [
        "console",
        "consoles",
        "computer",
        "computers",
        "laptop",
        "laptops",
        "phone",
        "phones",
        "handset",
        "handsets",
        "smartphone",
        "tablet",
        "software",
        "app",
        "apps",
        "browser",
        "chip",
        "chips",
        "processor",
        "processors",
        "device",
        "devices",
        "codename",
        "format",
        "formats",
    ]
)
# Nouns that, right before a name, say it is an organisation's: "the charity Hope
# Trust", "broadcaster Skylark", "analysts Tallis Data"; "newspaper" and "magazine" say
# so after it too ("the Harbour Post newspaper").
ORG_KIND_NOUNS = frozenset(
    [
        "company",
        "firm",
        "charity",
        "broadcaster",
        "retailer",
        "bank",
        "insurer",
        "airline",
        "studio",
        "publisher",
        "newspaper",
        "magazine",
        "website",
        "consultancy",
        "analysts",
        "carmaker",
        "manufacturer",
        "watchdog",
        "regulator",
        "supermarket",
        "brewer",
    ]
)
ORG_KIND_NOUNS_AFTER = frozenset(["newspaper", "magazine"])
# Lower-case nouns after a name that make it a natural place: "the Arrow field", "the
# Tallis basin".
PLACE_FEATURE_NOUNS = frozenset(
    [
        "field",
        "fields",
        "oilfield",
        "oilfields",
        "river",
        "valley",
        "basin",
        "desert",
        "glacier",
        "peninsula",
        "mountains",
    ]
)
# Nouns a name is "called" or "dubbed" after: "a technology called Zephyr".
CALLED_PRODUCT_NOUNS = PRODUCT_NOUNS | frozenset(["technology", "system", "service"])
# Words around a constituency's or a ward's name: "the constituency of X", "X ward".
CONSTITUENCY_BEFORE = ("constituency of", "MP for", "MSP for", "AM for")
CONSTITUENCY_AFTER = frozenset(["constituency", "ward", "by-election"])
# ... an event: "the X ceremony", "the X championship".
EVENT_NOUNS = frozenset(
    [
        "ceremony",
        "ceremonies",
        "awards",
        "festival",
        "tournament",
        "championship",
        "championships",
        "cup",
        "games",
        "olympics",
        "conference",
        "exhibition",
        "fair",
        "expo",
    ]
)
# Last words of names of events: "the Harbour Games", "the Spring Awards".
EVENT_SUFFIXES = frozenset(
    [
        "premiership",
        "olympics",
        "games",
        "championship",
        "championships",
        "cup",
        "festival",
        "awards",
        "prize",
        "tournament",
        "marathon",
        "expo",
        "show",
    ]
)
# Last words of a firm's name that follows its founder's: "Perry Capital".
BUSINESS_WORDS = frozenset(
    [
        "research",
        "capital",
        "broadcasting",
        "partners",
        "holdings",
        "media",
        "entertainment",
        "energy",
        "systems",
        "airlines",
        "motors",
        "communications",
        "technologies",
        "ventures",
        "studios",
        "records",
        "productions",
        "consulting",
        "securities",
        "investments",
        "insurance",
        "associates",
        "industries",
        "enterprises",
        "international",
        "global",
    ]
)
# Capitalised words after which a name is part of an office, not an organisation:
# "National Security Adviser", "Secretary of State".
OFFICE_WORDS = frozenset(
    [
        "adviser",
        "advisor",
        "secretary",
        "minister",
        "director",
        "spokesman",
        "spokeswoman",
        "correspondent",
        "editor",
        "envoy",
        "ambassador",
        "chairman",
        "chairwoman",
        "commissioner",
    ]
)

# --- Key claims (claims.py) ----------------------------------------------------------

# Cue verbs that report a view ("X believes/argues that …"): what they report is a belief.
# A plain speech verb ("said", "told") reports a fact as often as a view, so it makes no
# belief by itself (its content must predict, recommend or assess).
VIEW_BELIEF_CUES = BELIEF_CUES - frozenset(["say"])
# Evaluative language: words by which a writer judges rather than reports ("X is a
# mistake", "the real problem is …", "dated thinking", "has improved greatly"). In an
# opinion piece's own voice, or in what a source is reported to have said, a clause with
# one is an assessment.
EVALUATIVE_WORDS = frozenset(
    [
        # judgements of a thing
        "mistake",
        "blunder",
        "folly",
        "fiasco",
        "disgrace",
        "nonsense",
        "hypocrisy",
        "reluctance",
        "wrong",
        "mistaken",
        "misguided",
        "misplaced",
        "flawed",
        "dated",
        "outdated",
        "outmoded",
        "naive",
        "reckless",
        "foolish",
        "absurd",
        "ridiculous",
        "improper",
        "inappropriate",
        "irresponsible",
        "unrealistic",
        "unrealistically",
        "unwise",
        "wise",
        "sensible",
        "shortsighted",
        "short-sighted",
        "crucial",
        "essential",
        "vital",
        "indispensable",
        "important",
        "unacceptable",
        "untenable",
        "unfair",
        "unjust",
        "disastrous",
        "deplorable",
        "shameful",
        "troubling",
        "worrying",
        "alarming",
        "encouraging",
        "remarkable",
        "impressive",
        "misleading",
        "unique",
        "crazy",
        "better",
        "worse",
        "best",
        "worst",
        "considerable",
        "greatly",
        # how someone acted, judged ("rightly refused"); a stance adverb alone ("so
        # obviously they left", "sadly, it rained") judges nothing a reader could weigh
        "rightly",
        "wrongly",
        # verbs that judge what someone does
        "ignore",
        "overlook",
        "misread",
        "underestimate",
        "overestimate",
        "exaggerate",
        "deserve",
    ]
)
COMPARATIVES = frozenset(["better", "worse", "best", "worst"])
# Words of degree that judge a change or a thing ("improved greatly", "considerable
# momentum"), not a feeling ("greatly honored").
DEGREE_WORDS = frozenset(["greatly", "considerable"])
# Nouns that judge only with an adjective that ranks them: "the real problem is …", "the
# biggest failure of the plan" ("the problem of housing" judges nothing).
EVALUATIVE_HEADS = frozenset(["problem", "issue", "question", "failure", "danger", "lesson"])
RANKING_ADJECTIVES = frozenset(
    ["real", "true", "main", "biggest", "greatest", "fundamental", "central", "deeper", "only"]
)
# Adverbs that hedge the verb they modify: a forecast only when that verb looks ahead
# ("will probably win"); on a verb in the present or past ("probably recognizes", "likely
# knew") they hedge a present view, not a prediction.
HEDGE_ADVERBS = frozenset(["probably", "likely", "possibly", "perhaps"])
# Lower-case nouns after a place's name that make it a sports team's: "the Harbourton
# fly-half", "the Tallis striker".
TEAM_POSITION_NOUNS = frozenset(
    [
        "tight-head",
        "loose-head",
        "fly-half",
        "scrum-half",
        "full-back",
        "winger",
        "flanker",
        "hooker",
        "prop",
        "striker",
        "midfielder",
        "defender",
        "goalkeeper",
        "quarterback",
    ]
)
# Nouns after a name the model took for a place that make it an award's: "the festival's
# Silver Heron awards".
AWARD_NOUNS = frozenset(["award", "awards", "prize", "prizes", "trophy"])
