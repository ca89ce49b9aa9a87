"""Word lists the rules read. Data only: no logic, no article-specific strings.

Everything is lower case unless stated; lookups are by token lemma or lower-cased text.
"""

from __future__ import annotations

# Verbs that introduce speech (direct or indirect), by lemma.
SPEECH_VERBS = frozenset(
    """
say tell add tweet write state explain argue note ask warn claim insist urge suggest
believe think contend maintain acknowledge admit announce answer assert caution charge
comment complain concede conclude confirm declare deny describe emphasize emphasise
estimate exclaim observe point predict promise propose reply respond recall remark
report reiterate repeat reveal shout stress testify vow wonder yell joke quip laugh
continue agree recommend allege boast brag chide counter criticize criticise
fume grumble lament mock muse post scoff sneer snap retort rail concur add
inform tout demand plead pledge decry blast slam rip hammer dismiss tease
""".split()
)

# Lemmas that count as a cue for a direct quotation placed next to them ("…," she said).
DIRECT_CUES = SPEECH_VERBS | frozenset(
    """
summarize summarise
""".split()
)

# Cues that take a that-clause / clause complement and make an indirect quote.
INDIRECT_CUES = frozenset(
    """
say tell add argue note warn claim insist suggest believe think contend maintain
acknowledge admit announce assert caution charge concede conclude confirm declare
deny estimate explain observe predict promise propose reply respond recall report
reiterate reveal stress testify vow write tweet state agree recommend allege
emphasize emphasise complain point
""".split()
)

# Cues whose content is object + infinitive: "urged North Korea to ratify …".
URGE_CUES = frozenset("urge ask call press advise encourage implore beg warn".split())

# Verbs whose subject is not the speaker of a fragment in marks (scare quotes etc.).
NON_SPEECH_FRAGMENT_VERBS = frozenset("be have".split())

# Cue verbs that make a claim a belief rather than plain report.
BELIEF_CUES = frozenset(
    """
believe think argue contend maintain insist expect predict estimate suspect say
assert claim suggest conclude warn
""".split()
)
PREDICTION_CUES = frozenset("predict expect forecast anticipate".split())
RECOMMENDATION_CUES = frozenset("urge recommend propose advise call".split())

# Words (lower case) that mark a prediction / recommendation inside a clause.
PREDICTION_MARKERS = frozenset("will 'll won't likely unlikely probably going".split())
PREDICTION_PHRASES = (
    "is going to",
    "are going to",
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
    "likely unlikely expected probably possibly could may might poised "
    "expectations predicted predicting forecast".split()
)
RECOMMENDATION_MARKERS = frozenset("should must ought".split())
RECOMMENDATION_PHRASES = (
    "need to",
    "needs to",
    "have to",
    "has to",
    "it is time",
    "it's time",
    "it is time for",
)

# Titles and honorifics stripped from the front of a name ("President Moon Jae-in").
TITLES = frozenset(
    """
mr mr. mrs mrs. ms ms. miss dr dr. prof prof. professor sir dame lord lady
president vice vice-president prime minister secretary senator sen sen. rep rep.
representative congressman congresswoman gov gov. governor mayor chairman chairwoman
chair chancellor king queen prince princess pope rev rev. reverend gen gen. general
col col. colonel lt lt. capt capt. captain sgt sgt. sergeant adm adm. admiral
judge justice attorney ambassador commissioner director chief minister speaker
leader premier emperor sheikh candidate nominee former first lady state-of the
u.s. us deputy acting assistant press spokesman spokeswoman spokesperson
democrat democratic republican gop sens. reps. dems
""".split()
)

# Titles that make a person prominent (heads of state etc.), for ambiguous short names.
LEADER_TITLES = frozenset(
    """
president leader chairman premier prime king queen chancellor emperor dictator
""".split()
)

MALE_TITLES = frozenset("mr mr. sir lord king prince congressman spokesman".split())
FEMALE_TITLES = frozenset(
    "mrs mrs. ms ms. miss dame lady queen princess congresswoman chairwoman spokeswoman".split()
)

# Common given names by gender, to check pronoun agreement (not exhaustive, by design).
MALE_NAMES = frozenset(
    """
donald bill barack joe mike michael john james robert david richard charles thomas
chris christopher paul mark george steven steve kevin brian jeff jeffrey ryan gary
eric jacob daniel dan matthew matt anthony tony andrew andy josh joshua jason tim
timothy ted ben benjamin newt rudy rudolph reince sean paul bernie tom
harry jack peter jim jimmy larry lawrence scott frank ronald ron marco rand mitt
jeb rick chuck al bob bobby jerry doug douglas keith alan allen kurt carl
henry patrick pat roger vladimir nick nicholas adam greg gregory stephen
corey kenneth ken jon jonathan dick elijah luis carlos jose juan mohammed muhammad
ahmed omar dmitry sergei shinzo justin emmanuel francois boris nigel craig
""".split()
)

FEMALE_NAMES = frozenset(
    """
hillary nancy elizabeth kellyanne angela michelle sarah sara mary jennifer jessica
linda patricia barbara susan karen lisa laura donna betsy carly ivanka melania
chelsea huma kate katherine catherine kathleen anne ann anna hannah emily emma
christine kristen kirsten tammy debbie deborah diane dianne maxine jill amy amanda
heather rachel rebecca nicole stephanie julia julie margaret theresa teresa
marine ruth sonia sandra maria monica megyn kelly jan janet jane joan joanne
rosa hope ava gennifer gwen alicia ellen helen sheila brenda cindy claire
""".split()
)

MALE_PRONOUNS = frozenset("he him his himself".split())
FEMALE_PRONOUNS = frozenset("she her hers herself".split())
PLURAL_PRONOUNS = frozenset("they them their themselves".split())
SPEAKER_PRONOUNS = frozenset("he she they i we".split())

# Last words of names that are places, buildings or organisations, not people.
PLACE_SUFFIXES = frozenset(
    """
city town village county province state district street st. avenue ave. road square
river lake mountain island islands valley bay coast beach park bridge airport station
""".split()
)
FACILITY_SUFFIXES = frozenset(
    """
hotel hospital palace tower center centre hall stadium arena museum church mosque
temple building house
""".split()
)
ORG_SUFFIXES = frozenset(
    """
institute university college school academy foundation group party committee council
association agency bank company corporation corp. inc. inc ltd. ltd times post journal
news network press service ministry department commission campaign fund society union
organization organisation center centre
""".split()
)

LAW_SUFFIXES = frozenset("amendment act bill law treaty accord accords agreement doctrine".split())

# Capitalised words that are never a person's name when they begin a PERSON entity.
NON_NAME_WORDS = frozenset(
    """
very really so too just quite totally absolutely great awesome interesting amazing
tremendous incredible sad wow thank thanks happy congratulations dear photo photos
watch breaking update read video
""".split()
)

# Head nouns of nominal speakers: "the newspaper wrote" (organisations) and
# "the senator said" (people).
ORG_SPEAKER_NOUNS = frozenset(
    """
newspaper daily paper magazine agency network channel station outlet publication
company firm campaign committee group organization organisation party government
administration ministry department office court board union council commission
bank center centre institute report study poll
""".split()
)
PERSON_SPEAKER_NOUNS = frozenset(
    """
senator congressman congresswoman governor mayor president candidate nominee official
spokesman spokeswoman spokesperson aide adviser advisor analyst expert professor
lawmaker leader minister secretary chairman chairwoman director chief founder
activist economist strategist pollster author writer reporter journalist defector
lawyer attorney judge man woman mother father source businessman businesswoman
veteran voter supporter critic diplomat ambassador officer executive ceo manager
watcher scholar researcher historian commentator democrat republican member
""".split()
)

# Words after which a capitalised phrase in marks is a name, title or nickname.
NAME_INTRODUCERS = frozenset(
    """
name named called dubbed nicknamed titled entitled known handle alias slogan
term phrase word label moniker hashtag motto headline book film song show
""".split()
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

QUOTE_OPEN = "“«„"
QUOTE_CLOSE = "”»"
QUOTE_STRAIGHT = '"'
DASHES = "―—–"


# The entity labels that name who or what: the ones Summit stores as mentions. Dates,
# times, amounts and numbers (DATE, TIME, MONEY, PERCENT, QUANTITY, ORDINAL, CARDINAL)
# are left to the text.
NAME_LABELS = frozenset(
    "PERSON ORG GPE NORP LOC FAC EVENT LAW PRODUCT WORK_OF_ART LANGUAGE".split()
)
