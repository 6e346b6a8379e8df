"""The offline vocabulary: phrase patterns per slot value (regular expressions over lower-cased text)."""

from __future__ import annotations

import re


def _rx(*parts: str) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(parts) + r")\b")


# --- knowledge change ------------------------------------------------------------------------------------
CHANGE_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("monthly", _rx(r"(?:a couple of|two|2|a few|several|three|3) times (?:a|per|each) (?:month|quarter)",
                    r"twice (?:a|per) (?:month|quarter)", r"every (?:two|2|couple of|other) months",
                    r"every few weeks", r"every (?:three|3|four|4|five|5|six|6) weeks", r"bi-?monthly",
                    r"monthly", r"every month", r"each month", r"once (?:a|per) month", r"month to month",
                    r"every (?:month|30 days)")),
    ("daily", _rx(r"daily", r"every ?day", r"each day", r"every (?:morning|night|evening|hour)", r"nightly",
                  r"hourly", r"(?:several|multiple|many|a few|a couple of) times (?:a|per) day", r"intraday",
                  r"constantly", r"continuously", r"all the time", r"every few (?:hours|minutes)",
                  r"every \d+ (?:minutes|hours|mins)", r"by the (?:hour|minute)", r"minute by minute",
                  r"real[- ]?time (?:feed|data|updates?|prices?|pricing|inventory)", r"live (?:data|feed|prices)",
                  r"(?:changes?|updates?|updated|moves?) (?:every|each) day")),
    ("weekly", _rx(r"weekly", r"every week", r"each week", r"once (?:a|per) week", r"every (?:sprint|release)",
                   r"each sprint", r"per sprint", r"bi-?weekly", r"fortnightly", r"every (?:two|2|couple of|other) weeks?",
                   r"every week or (?:two|so)", r"every few days", r"(?:twice|a few times|a couple of times|several times|two times|three times|2 times|3 times|2-3 times|2x|3x) (?:a|per) week",
                   r"(?:a|one|1) week or two")),
    ("quarterly", _rx(r"quarterly", r"every quarter", r"(?:each|every|per|with (?:each|every|the)) season", r"seasonal(?:ly)?",
                      r"(?:is|=|means) a quarter", r"each quarter", r"once (?:a|per) quarter", r"per quarter",
                      r"every (?:three|3) months", r"every few months", r"every couple of months",
                      r"(?:every|each) q[1-4]?\b", r"four times a year", r"4 times a year", r"4x a year")),
    ("yearly", _rx(r"yearly", r"annually", r"annual(?:ly)?", r"once (?:a|per|each|every) (?:\w+ )?year",
                   r"(?:every|each|per) (?:model|fiscal|school|academic|product|plan) year",
                   r"(?:one|a single|1) (?:\w+ ){1,3}(?:a|per|each|every) year", r"every year", r"each year",
                   r"twice (?:a|per) year", r"(?:two|2|a couple of|a few|three|3) times (?:a|per) year",
                   r"every (?:six|6|nine|9|twelve|12) months", r"semi-?annual(?:ly)?", r"bi-?annual(?:ly)?",
                   r"once or twice (?:a|per) year", r"half-?yearly", r"once in a while", r"occasionally",
                   r"every (?:few|couple of|two|2) years", r"per year")),
    ("static", _rx(r"^\W*never\W*$", r"never (?:really )?(?:changes?|updated?|gets? updated|moves?|revised|touched)",
                   r"hardly ever", r"almost never", r"basically never", r"rarely(?: if ever)?",
                   r"static", r"frozen", r"(?:doesn't|does not|don't|do not|won't|will not|wouldn't|never) (?:really )?change",
                   r"(?:doesn't|does not|don't|do not|won't|will not) get updated", r"unchang(?:ed|ing)", r"set in stone", r"basically frozen", r"(?:it's|is) frozen",
                   r"evergreen", r"no (?:updates|changes)", r"not changing", r"fixed (?:corpus|set|content|knowledge)",
                   r"once in a blue moon", r"no more (?:patches|updates|changes|releases|content)",
                   r"(?:game|product|book|series|season|archive) is (?:finished|done|complete)", r"last (?:edition|update|version|revision|release) was (?:in )?(?:19|20)\d\d",
                   r"(?:doesn't|does not|don't|won't) (?:have|need) to know anything new", r"not (?:been )?updated in years",
                   r"stable", r"settled", r"locked", r"(?:closed|frozen|fixed|static|historical) archive",
                   r"(?:it's|it is|is) an archive", r"public domain",
                   r"(?:pretty|very|quite|fairly) stable", r"stays? the same")),
]
CHANGE_CONTEXT = re.compile(
    r"chang|updat|refresh|revis|new (?:\w+ )?(?:versions?|releases?|docs|content|items?|products?|polic(?:y|ies)|rules?|"
    r"names?|promotions?|prices?|offers?|skus?)|publish|releas|comes? (?:in )?every|arrives? every|"
    r"edit|evolv|turn(?:s)? over|rotat|modif|outdated|stale|version|amend|added|adds|come out|comes out|drop(?:s)? new|"
    r"roll(?:s)? out|ship|static|stable|frozen|moves|move|fluctuat|set in stone|same|replac|land(?:s|ing)?\b|arriv|"
    r"coming in|comes in|flow|feed|drop|new stuff|new data|new content|new information|launch|retir|expir|"
    r"refresh|rewrit|reissu|recalc|reprice|restock|reshuffl|reorg|restructur|rework|redo|redone|revamp|overhaul|rebuil|"
    r"open(?:s|ed)? and clos|come and go|append|patch|finished|new season|new edition|new version|get added|gets added|add(?:s)? (?:new|a|the)")

# --- latency -------------------------------------------------------------------------------------------
LATENCY_WORDS = re.compile(r"latenc|respon|fast|quick|slow|wait|snappy|instant|real[- ]?time|speed|ms\b|second|"
                           r"millisecond|lag|budget|end[- ]to[- ]end|p9\d|turnaround|delay")
LATENCY_FAST = _rx(r"instant(?:ly|aneous)?", r"real[- ]?time", r"snappy", r"no perceptible (?:delay|lag)",
                   r"as fast as (?:possible|it gets)", r"immediate(?:ly)?", r"blazing")
LATENCY_SLOW = _rx(r"batch(?:ed)?", r"overnight", r"async(?:hronous(?:ly)?)?", r"offline", r"no rush",
                   r"not time[- ]sensitive", r"(?:latency|speed) (?:doesn't|does not|won't) matter",
                   r"(?:doesn't|does not|don't) (?:really )?(?:matter|care) how (?:long|fast)", r"whenever",
                   r"in the background", r"can wait", r"minutes (?:is|are) fine", r"hours (?:is|are) fine",
                   r"not (?:a|in) real[- ]?time", r"(?:not|isn't|is not) latency[- ]sensitive", r"email turnaround")
TIME_UNIT = re.compile(r"^\s*-?\s*(?:of\s+)?(ms|msec|millis(?:econds?)?|milliseconds?|s|secs?|seconds?|mins?|minutes?)\b")
TIME_FACTOR = {"ms": 1, "msec": 1, "millis": 1, "s": 1000, "sec": 1000, "secs": 1000, "second": 1000,
               "seconds": 1000, "min": 60000, "mins": 60000, "minute": 60000, "minutes": 60000}
PAST_SYSTEM = re.compile(r"\b(?:old|previous|former|legacy|last) (?:vendor|system|tool|product|bot|provider|solution)|"
                         r"\bused to\b|\bcompetitor|\bthat was a different")
LATENCY_ARTICLE_CUE = re.compile(r"(?:under|below|within|less than|sub|than|in|about|around|roughly|take|takes|"
                                 r"over|up to|at most|max|maybe|like|half|of|in about|inside|latency|time|respond|"
                                 r"responds|answer|answers|reply|replies|return|returns|is|be|p50|p95|p99)\s*$")

# --- volume, tokens, examples, money --------------------------------------------------------------------
RATE_NOUNS = (r"tokens?|words?|requests?|queries|query|questions?|calls?|characters?|chars?|messages?|rps|qps|"
              r"chats?|conversations?|tickets?|searches|emails?|sessions?|interactions?|lookups?|users?|"
              r"hits?|prompts?|completions?|inferences?|predictions?|documents?|transactions?|claims?|orders?|"
              r"visitors?|customers?|agents?|reps?|calls?|alerts?|cases?|reviews?|posts?|items?|listings?|"
              r"applications?|letters?|notes?|invoices?|contracts?|articles?|summaries|events?")
POPULATION = re.compile(r"^\s*(?:mau|dau|wau|monthly active users|daily active users|users|customers|employees|members|"
                        r"subscribers|students|patients|staff|seats|accounts)\b")
VOLUME_NOUN = re.compile(
    r"^\s*(?:\+\s*)?(?:[a-z'-]+\s+){0,3}?(?:queries|query|requests?|questions?|calls?|chats?|conversations?|"
    r"messages?|tickets?|searches|emails?|sessions?|interactions?|lookups?|users?|hits?|prompts?|completions?|"
    r"inferences?|predictions?|transactions?|claims?|orders?|visitors?|customers?|alerts?|cases?|reviews?|"
    r"posts?|listings?|applications?|invoices?|contracts?|documents?|letters?|notes?|articles?|summaries|"
    r"events?|api calls?|rps|qps|mau|dau)\b")
PERIOD = re.compile(
    r"^\s*(?:[a-z'-]+\s+){0,4}?(?:"
    r"(?:a|an|per|each|every|in a|a single|on a busy|on a typical|on an average)\s+"
    r"(?P<unit>second|sec|minute|min|hour|hr|day|week|wk|month|mo|year|yr|quarter)\b"
    r"|/\s*(?P<slash>second|sec|s|minute|min|hour|hr|h|day|d|week|wk|month|mo|year|yr)\b"
    r"|(?P<adverb>daily|weekly|monthly|annually|yearly|hourly|nightly)\b)")
RATE_ABBREVIATION = re.compile(r"^\s*(?:(?P<sec>rps|qps|req/s|reqs?/s|requests?/s|queries/s|tps)|"
                               r"(?P<min>rpm|qpm|req/min|reqs?/min|requests?/min|queries/min)|"
                               r"(?P<hour>rph|req/h|req/hr|requests?/h(?:ou)?r)|(?P<day>rpd|req/day|requests?/day))\b")
PERIOD_FACTOR = {"second": 2_592_000, "sec": 2_592_000, "s": 2_592_000, "minute": 43_200, "min": 43_200,
                 "hour": 720, "hr": 720, "h": 720, "day": 30, "d": 30, "week": 52 / 12, "wk": 52 / 12,
                 "month": 1, "mo": 1, "year": 1 / 12, "yr": 1 / 12, "quarter": 1 / 3,
                 "daily": 30, "weekly": 52 / 12, "monthly": 1, "annually": 1 / 12, "yearly": 1 / 12,
                 "hourly": 720, "nightly": 30, "pd": 30, "pw": 52 / 12, "pm": 1, "p.m.": 1}
TOKENS_UNIT = re.compile(r"^\s*-?\s*(?:k\s*)?(?:[a-z-]+\s+){0,1}?(?:tokens?|toks?)\b(?P<rest>.{0,30})")
TOKEN_RATE = re.compile(r"^\s*(?:of\s+\w+\s+)?(?:a|per|/|each|every)\s*(?:second|sec|s|minute|min|day|month|year|hour)\b")
EXAMPLES_UNIT = re.compile(
    r"^\s*(?:[a-z'/-]+,?\s+){0,3}?(?:[a-z]+-)?(?:labell?ed|annotated|tagged|graded|gold|hand[- ]labell?ed|training|curated|"
    r"approved|signed[- ]off|vetted|validated|rated|winning|reviewed|curated|cleaned|verified|checked|golden|"
    r"good|great|best|high[- ]quality|(?:\w+ )?(?:we|you) (?:could|can|would) train on|examples?|samples?|pairs?|demonstrations?|data ?points?|rows?|"
    r"records?|transcripts?|exemplars?|replies|"
    r"responses|threads|drafts|"
    r"instances?|labels?\b(?! (?:tickets|emails)))")
EXAMPLES_BEFORE = re.compile(r"(?:labell?ed|annotated|training|examples?|samples?|dataset|data set)(?:\s+data)?\W*(?:of|with|:)?\s*"
                             r"(?:about|around|roughly|~|maybe|perhaps|approx\.?|approximately)?\s*$")
CORRECTION_BETWEEN = re.compile(r"(?:^|\W)update\s*[:-]|\b(?:actually|correction|sorry|i mean|i meant|make (?:that|it)|no wait|wait|rather|"
                                r"misspoke|mis-spoke|i was wrong|wrong about|i misread|misread|mistake|"
                                r"scratch that|oops|typo|correct (?:that|myself|this)|to correct|update:|"
                                r"changed? (?:my|our) mind|on second thought)\b")
MONEY_BEFORE = re.compile(r"(?:\$|usd\s*|€|£|eur\s*|gbp\s*)\s*~?\s*$")
MONEY_AFTER = re.compile(r"^\s*(?:usd|dollars?|bucks|eur|euros?|gbp|pounds?|€|\$)\b|^\s*(?:k\s+)?(?:usd|dollars)")
BUDGET_WORDS = re.compile(r"budget|spend|funding|funded|funds|afford|invest|allocat|capex|cost us|set aside|"
                          r"approved (?:\$|usd|€|£|a budget|funding|spend)|"
                          r"grant|money|runway|we have \$|cash")
NOT_BUDGET_BEFORE = re.compile(r"(?:raised|revenue(?: of)?|arr(?: of)?|closed|paid|spent|spend is|spends|bill is|bill of|"
                               r"costs? us|valuation(?: of)?|turnover(?: of)?|salary|salaries|earned|made|lost|"
                               r"company-wide|company wide|overall|total (?:it|ai|tech|infra) budget)"
                               r"\W*(?:\w+\W+){0,3}?(?:about|around|roughly|~|nearly|over|almost)?\s*[$€£]?\s*$")
UPFRONT_WORDS = re.compile(r"upfront|up-front|up front|before launch|to launch|get it launched|one[- ]off|one[- ]time|"
                           r"initial|for this|this project|the build|to build|pilot gets|we can put|we could put|budget")
TRAIN_ON_AFTER = re.compile(r"^[^.;!?]{0,50}?(?:train on|training (?:set|data|pairs|examples)|fine-tune on|to train|"
                            r"as training|(?:to )?learn from|as examples|for training)")
NOT_BUDGET_AFTER = re.compile(r"^\s*(?:\w+\s+)?(?:arr|mrr|revenue|in revenue|in sales|turnover|valuation|raised|funding round|"
                              r"series [a-d]|market cap|gmv|aum|in losses|fine|fines|penalt)")
RECURRING_AFTER = re.compile(r"^\s*(?:\S+\s+){0,2}?(?:a|per|/|each)\s*(?:month|mo|query|request|call|year|day|week|user)\b")
NEGATED_BEFORE = re.compile(r"(?:\bnot|\bno longer|\binstead of|\brather than|\bnot the|\bisn't|\bwasn't)\s*(?:\$|~)?\s*$")
RANGE_JOIN = re.compile(r"^\s*(?:-|–|to|or|and)\s*$")

# --- auditability ---------------------------------------------------------------------------------------
AUDIT_REQUIRED = _rx(
    r"hipaa", r"hippa", r"hitech", r"regulat(?:or|ors|ed)",
    r"regulatory (?:requirements?|audits?|bodies|body|needs?|obligations?|reasons|scrutiny|reporting)",
    r"compliance (?:team|officer|department|requires|requirements?|reasons|needs|wants|insists|sign[- ]off)",
    r"for compliance", r"audit(?:s|ed|or|ors|able|ability)?(?!\s+(?:rubric|score|scores|scoring|form|forms))",
    r"audit trail", r"traceab(?:le|ility)", r"trace (?:it|them|answers?|each answer|every answer|back)",
    r"must (?:always )?(?:cite|show|reference|link)", r"(?:need|needs|have|has|got) to (?:cite|show (?:the |its )?sources?|reference)",
    r"cite (?:the |its |our )?(?:sources?|documents?|clauses?|sections?|pages?|policy)", r"citations? (?:are|is) (?:required|mandatory|a must|non-negotiable|needed)",
    r"(?:source|citation|reference) for every", r"which (?:clause|document|section|page|policy|paragraph|article|regulation|rule)",
    r"where (?:the|an|each|every) answer came from", r"where (?:it|they) got (?:it|that)", r"show (?:the|its|their) (?:sources?|work)",
    r"(?:legal|compliance|risk)(?: team)? (?:wants|needs|requires|insists)", r"fda", r"finra", r"sec\b(?! \d)", r"sox", r"gxp",
    r"mlr", r"cms", r"fca", r"ema", r"gdpr", r"pci", r"medical[- ]legal", r"provenance", r"accountab(?:le|ility)",
    r"must be (?:verifiable|traceable|auditable|sourced)", r"non[- ]?negotiable", r"liab(?:le|ility)",
    r"defensible", r"evidence for every", r"point to (?:the|a) source", r"regulated industry",
    r"(?:every|each) (?:claim|answer|statement|line|figure|number) (?:needs|must have|has to have|requires) (?:a )?(?:source|citation)",
    r"burned before",
    r"(?:lawyers?|attorneys?|auditors?|regulators?|clinicians?|doctors?|reviewers?|partners?) (?:\w+ )?(?:want|need|require|"
    r"insist on|expect|ask for)s? (?:the |to see |a |an )?(?:\w+ )?(?:source|citation|reference|clause|evidence|provenance)",
    r"(?:source|citation|clause|reference|provenance)s? (?:\w+ )?(?:shown|cited|displayed|linked|attached) "
    r"(?:(?:for|with|on|next to|beside) )?(?:every|each|all)",
    r"(?:they're|they are|it's|it is|are|is|be) (?:mandatory|compulsory|non-negotiable|a must|required by (?:law|regulation))",
    r"(?:legal|compliance|regulators?|auditors?|the law) (?:says?|said|requires?|mandates?|insists?) (?:they're|it's|that|on)?")
AUDIT_NEGATED_AFTER = re.compile(r"^\W{0,3}(?:\w+\W+){0,3}?(?:is|are|'s|was)?\s*(?:not|n't|isn't|aren't)\s+(?:really |strictly |"
                                 r"actually |that |at all )?(?:needed|required|necessary|a requirement|a must|mandatory|"
                                 r"important|a concern|an issue|relevant|a thing|a priority)")
AUDIT_METAPHOR = re.compile(r"(?:is|are|as) (?:the|our|an?) (?:\w+ )?auditors?")
AUDIT_PREFERRED = _rx(r"nice to have", r"would be nice", r"be nice", r"bonus", r"ideally", r"helpful if", r"good to have",
                      r"plus if", r"preferred", r"prefer", r"optional", r"not (?:strictly )?(?:required|mandatory)",
                      r"nice[- ]to[- ]have", r"would help", r"(?:helps|help) (?:with )?trust", r"if possible",
                      r"appreciate", r"like (?:to see|it to show)")
AUDIT_NOT_NEEDED = _rx(
    r"(?:explicitly|definitely|absolutely|really|totally|completely|certainly) not (?:needed|required|necessary)",
    r"not (?:needed|required|necessary) at all", r"no need",
    r"no need (?:for|to) (?:citations?|sources?|cite|show sources?)",
    r"(?:don't|do not|doesn't|does not|won't|will not) (?:really )?(?:need|require|care about|have to) (?:it |them |the model |answers |the bot )?(?:citations?|sources?|to cite(?: anything)?|cite anything|to show (?:the )?sources?|references?|attribution|traceability|audit)",
    r"nobody (?:\w+ ){0,2}?(?:needs?|wants?|checks|cares|looks|reads|asks|uses|audits)",
    r"no (?:sources?|citations?|references?|attribution) (?:needed|required|necessary|wanted)",
    r"(?:sources?|citations?|references?) (?:don't|do not|doesn't|does not|won't|will not|never) (?:need|have) to be "
    r"(?:shown|displayed|cited|given|provided|included|listed)",
    r"(?:sources?|citations?|references?|attribution) (?:are |is )?(?:not|aren't|isn't) (?:needed|required|necessary)", r"no ?one (?:\w+ ){0,2}?(?:needs?|wants?|checks|cares)",
    r"not regulated", r"unregulated", r"no (?:compliance|regulatory|audit) (?:requirements?|needs?|obligations?)",
    r"citations? (?:don't|doesn't|do not|does not) matter", r"no citations?", r"without (?:citations?|sources?)",
    r"sources? (?:don't|doesn't|do not) matter", r"(?:no|zero) (?:regulator|regulators)", r"not a regulated",
    r"irrelevant", r"not (?:really |that |very |super |too )?(?:needed|necessary|important|required|a priority|relevant)",
    r"(?:don't|do not) (?:really )?care")

# --- need and output type -------------------------------------------------------------------------------
# Shared by the need cues and the output-type patterns: "in our brand voice", "label each ticket".
VOICE = (r"(?:brand|our|house|company|consistent|distinct(?:ive)?|signature|own|app's|their|a warm|warm|friendly|specific) "
         r"voice", r"voice (?:and|&) tone", r"tone of voice", r"in (?:our|a|the|their) (?:\w+ )?voice",
         r"character'?s'? voices?", r"in[- ]character", r"voice of (?:each|the|our|every)")
LABELLING = (r"label(?:s|ling|ing)? (?:\w+ )?(?:tickets|emails|messages|requests|posts|comments|reviews|items|images|"
             r"documents|calls|transcripts|claims|them|each|every)")
KNOW_CUES = _rx(
    r"(?:needs? to|has to|have to|must|should|to) know", r"know(?:s|ing)? (?:about|our|the|what|where|which|everything|all|things|stuff)",
    r"knowledge", r"facts?", r"factual", r"information", r"info", r"docs", r"documents?",
    r"documentation", r"polic(?:y|ies)", r"handbook", r"manuals?", r"catalog(?:ue)?", r"faqs?", r"help ?cent(?:er|re)",
    r"wiki", r"knowledge ?base", r"kb", r"articles?", r"contracts?", r"filings?", r"regulations", r"guidelines",
    r"look(?:s|ing)? (?:things )?up", r"lookup", r"answer(?:s|ing)? (?:[\w'-]+ ){0,2}questions?", r"asks? (?:\w+ ){0,3}(?:about|questions)", r"up[- ]to[- ]date",
    r"(?:latest|current|today's|live|fresh) (?:\w+ )?(?:policies|prices|pricing|data|info|information|docs|content|rules|"
    r"rates|inventory|catalog|events|news|offers|promos|terms|figures|numbers|stock|availability|fees)",
    r"know more", r"know(?:ing)?[- ]more", r"knows", r"(?:fx|exchange|interest|tax|currency|shipping|mortgage) rates", r"rate sheets?", r"fees",
    r"pull(?:s|ing)? in", r"quot(?:e|es|ing) (?:the|our|relevant|from)", r"terms and conditions", r"t&cs?", r"bulletins?",
    r"notices", r"notams?", r"draw(?:s|ing)? on", r"based on (?:our|the)", r"refer(?:s|ring)? to (?:our|the)",
    r"(?:course|training|reference) material", r"material", r"code ?set", r"standards", r"promos?", r"promotions?",
    r"offers", r"deals", r"product (?:info|information|details|data|specs)", r"pricing", r"prices",
    r"inventory", r"menus?", r"specs", r"q&a", r"release notes", r"research", r"papers", r"literature",
    r"records", r"ground(?:ed|ing)", r"retriev(?:e|al)", r"search", r"what (?:our|the) \w+ says?",
    r"internal (?:docs|content|data)", r"protocols?", r"procedures?", r"sops?")
BEHAVE_CUES = _rx(
    r"tone", *VOICE,
    r"style", r"brand", r"persona", r"sounds? like", r"behave differently", r"behaviou?r", r"coach(?:es|ing)?",
    r"socratic(?:ally)?", r"in the style of", r"like a (?:tutor|teacher|coach|lawyer|doctor|expert|dispatcher|human)",
    r"role[- ]?play", r"the way (?:our|a|an) \w+ (?:do|does|would)",
    r"(?:our|their|a|the) (?:own |specific |particular |house |in-house )?(?:teaching|coaching|reasoning|writing|house) "
    r"(?:method|methodology|approach|style|way)", r"the way we (?:teach|write|explain|reason|answer|talk)",
    r"follow(?:s|ing)? (?:our|the|a|their) (?:\w+ ){0,2}(?:structure|format|template|style|voice|conventions|playbook|checklist)",
    r"(?:structure|style|tone|format) and voice", r"structure", r"writes? like", r"talks? like",
    r"format(?:s|ted|ting)?", r"json", r"schema", r"structured", r"templates?", r"fields", r"extract(?:s|ion|ing)?",
    r"classif(?:y|ies|ication|ier|ying)", r"categori[sz](?:e|es|ation|ing)", r"rout(?:e|es|ing)", r"triag(?:e|ing)",
    r"tag(?:s|ging)?", LABELLING, r"sentiment", r"moderat(?:e|ion|ing)",
    r"jargon", r"terminology", r"vocabulary", r"reason(?:s|ing)?", r"step[- ]by[- ]step", r"checklist", r"behav(?:e|es|iour|ior)",
    r"acts? like", r"respond(?:s)? in (?:a|our|the) (?:\w+ )?(?:tone|voice|style|format|way)", r"consisten(?:t|cy)", r"house style", r"rewrit(?:e|es|ing)", r"empath(?:y|etic)",
    r"concise", r"polite", r"friendly", r"on[- ]brand", r"writing", r"drafting", r"copy(?:writing)?", r"sql", r"how it (?:writes|talks|answers|responds|acts)", r"the way (?:it|we)")
BOTH_CUES = _rx(r"both", r"a bit of both", r"a mix", r"mix of", r"each of them", r"(?:and|plus) also (?:know|behave)",
                r"as well as", r"equally")
NEGATION = re.compile(r"(?:\bnot\b|n't\b|\bno\b|\bnever\b|\bwithout\b|\bnothing\b|\bdon't need\b|\bisn't\b|\bnor\b|"
                      r"\bnobody\b|\bno one\b|\bnone\b|"
                      r"\bthan\b|\binstead of\b)"
                      r"(?:\s+\S+){0,6}\s*$")
# Knowledge that arrives with the request is not knowledge the model must hold: "the facts come from the intake".
PROVIDED_AFTER = re.compile(r"^\s*(?:\S+\s+){0,4}?(?:(?:come|comes|coming|are|is) (?:straight )?from (?:the|our|their|each) (?:own )?"
                            r"(?:client |user |customer |patient )?(?:intake|notes?|input|ticket|form|prompt|request|"
                            r"transcripts?|messages?|emails?|invoices?|visit|call|document (?:itself|they upload))|"
                            r"(?:we'd|we would|we'll|they|users?) paste|pasted|provided (?:in|with|by)|supplied|"
                            r"(?:is|are) in the (?:prompt|input|ticket|request))")
STRONG_NO_KNOW = re.compile(r"(?:doesn't|does not|don't|won't|shouldn't|should not|wouldn't) (?:really )?(?:need|have) to know|"
                            r"not (?:about )?know(?:ing)? (?:more|extra|anything|new)|no (?:new |extra )?knowledge|"
                            r"nothing (?:new )?to know|not knowing")
STRONG_NO_BEHAVE = re.compile(r"(?:doesn't|does not|don't|won't|shouldn't) (?:need|have) to (?:sound|write|behave|act|talk)|"
                              r"(?:tone|style|voice|format|behaviou?r|writing) (?:\w+ ){0,5}?(?:is|are) (?:already )?fine|"
                              r"not (?:about )?(?:tone|style|format|behaviou?r)|"
                              r"(?:tone|style|format|voice)(?: (?:and|or) \w+)? (?:don't|doesn't|do not|does not) (?:really )?matter")
FINE_AFTER = re.compile(r"^\s*(?:\S+\s+){0,5}?(?:is|are|'s|seems?|looks?)\s+(?:already\s+)?(?:fine|ok|okay|good|great|"
                        r"not (?:an issue|a problem|the issue|the problem|the point|the hard part)|irrelevant|not important|"
                        r"whatever|simple|easy|trivial|secondary|straightforward|standard|generic|"
                        r"handled (?:elsewhere|separately|by)|taken care of|out of scope|not (?:a|our) concern)|"
                        r"^\s*(?:irrelevant|doesn't matter|does not matter|not important|unimportant|n/a|fine|whatever|"
                        r"(?:is|are) handled (?:elsewhere|separately))\b|"
                        r"^\s*(?:\S+\s+){0,2}?(?:doesn't|does not|don't|do not) (?:really |actually |much )?(?:matter|need|change)")

OUTPUT_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("structured_output", _rx(r"json", r"schema", r"structured", r"fields", r"extract(?:s|ion|ing)?", r"key[- ]value",
                              r"xml", r"yaml", r"csv", r"sql", r"form[- ]fill(?:ing)?", r"populate", r"fill(?:s)? (?:in|out)",
                              r"templates?", r"fixed format", r"machine[- ]readable", r"api payload", r"structure")),
    ("classification", _rx(r"classif(?:y|ies|ication|ier|ying)", r"categori[sz](?:e|es|ation|ing)", r"rout(?:e|es|ing)",
                           r"triag(?:e|ing)", r"tag(?:s|ging)?", r"sentiment", r"moderat(?:e|ion|ing)", r"detect(?:s|ion)?",
                           r"flag(?:s|ging)?", r"intent", r"spam", r"prioriti[sz]", LABELLING,
                           r"which (?:team|queue|bucket|category)", r"scor(?:e|es|ing) (?:leads|tickets)", r"yes/no")),
    ("style_or_tone", _rx(r"tone", *VOICE, r"style", r"brand", r"persona", r"sounds? like", r"writes? like",
                          r"rewrit(?:e|es|ing)", r"copy(?:writing)?", r"empath(?:y|etic)", r"on[- ]brand", r"friendly", r"formal", r"casual", r"house style", r"dialogue", r"character")),
    ("reasoning_pattern", _rx(r"reason(?:s|ing)?", r"step[- ]by[- ]step", r"chain of thought", r"diagnos(?:e|is|tic)",
                              r"analy[sz](?:e|is|ing)", r"checklist", r"decision (?:process|tree|logic)", r"methodology",
                              r"playbook", r"underwrit(?:e|ing)", r"assess(?:ment|ing)?", r"evaluat(?:e|ing|ion)",
                              r"think(?:s)? like", r"logic", r"workflow", r"judg(?:e|ment|ement)", r"review(?:s|ing)? (?:code|prs|pull)")),
    ("factual_answers", _rx(r"answer(?:s|ing)? (?:[\w'-]+ ){0,2}questions?", r"asks? (?:\w+ ){0,3}(?:about|questions)", r"q&a", r"faqs?", r"look(?:s|ing)? (?:things )?up",
                            r"facts?", r"factual", r"find (?:the )?(?:answer|info|information)", r"lookup", r"search",
                            r"question[- ]answering", r"knowledge ?base", r"help ?cent(?:er|re)", r"what (?:our|the) \w+ says?",
                            r"answers? (?:about|from|based on)", r"information")),
]

# --- hedging and conversation moves ---------------------------------------------------------------------
HEDGE = _rx(r"not sure", r"unsure", r"no idea", r"(?:don't|do not|dont) know", r"dunno", r"hard to say", r"haven't decided",
            r"not decided", r"undecided", r"unclear", r"tbd", r"to be determined", r"no clue", r"can't say", r"cannot say",
            r"not yet (?:known|clear|decided)", r"haven't (?:thought|figured|worked)", r"good question", r"we'll see",
            r"not certain", r"too early to (?:tell|say)", r"haven't (?:measured|checked|looked)", r"no (?:data|numbers) (?:yet|on that)",
            r"pass", r"skip (?:this|that)(?: one)?", r"i have no", r"beats me", r"who knows", r"idk", r"not really sure",
            r"still figuring", r"open question", r"depends", r"still exploring", r"(?:we're|we are|just) exploring",
            r"haven't (?:really )?scoped", r"not (?:yet |really )?scoped", r"no (?:real )?idea", r"not clear yet",
            r"hard to tell", r"can't tell", r"who knows", r"couldn't say", r"could not say", r"not sure whether",
            r"(?:don't|do not) know whether", r"(?:don't|do not) know if", r"no idea whether", r"figur(?:e|ing) (?:it |that )?out", r"no clear (?:idea|picture)")
RECOMMEND_NOW = re.compile(
    r"\b(?:(?:just |only )?(?:give|tell|show) me (?:your|the|a) (?:recommendation|answer|verdict|call|take|advice|pick)|"
    r"recommend (?:now|already|something)|what (?:do|would) you recommend|what's your (?:recommendation|verdict|call|take)|"
    r"what is your (?:recommendation|verdict)|what(?:'s| is) the (?:call|verdict|recommendation|answer|plan|decision)|bottom line|skip (?:the )?(?:rest|questions|remaining)|cut to the chase|"
    r"enough questions|make the call|decide now|(?:so )?which (?:one )?should (?:we|i) (?:pick|choose|use|go with)|"
    r"just recommend|your recommendation|no more questions|stop asking|that's all (?:i know|we know)|"
    r"give (?:us|me) (?:a|your) recommendation|what should (?:we|i) (?:do|build|use)|what would you (?:do|pick|choose|suggest|go with)|"
    r"what do you (?:suggest|think we should do|advise)|recommend something|your (?:advice|verdict|call)|"
    r"which (?:way|option|approach) (?:should|would)|so,? what(?:'s| is) the (?:answer|verdict|call)|"
    r"(?:just )?tell me what to (?:do|build|use)|decide for (?:me|us)|over to you)\b|"
    r"^\W*(?:so\W+|and\W+|ok\W+)?(?:pick|verdict|recommendation|decision|your pick|result|answer|thoughts|and|so|well)\W*\?\W*$")
SIDE_QUESTION = re.compile(
    r"(?:^|[.!?:;]\s+|\b(?:btw|by the way|also|wait|quick question|side question|sorry|and|but|oh|hmm|ok|okay)[,:]?\s+)"
    r"(?:what(?:'s| is| are| does)|why (?:does|do|is|would|should|not)|how (?:does|do|much|many|is|would|long|fast)|"
    r"can you explain|could you explain|explain|tell me (?:about|more)|what's the difference|difference between|"
    r"define|meaning of|is it true|does (?:rag|fine[- ]tuning)|when (?:should|would|does)|should i care|"
    r"remind me|who (?:is|are|found)|where does|is (?:rag|fine[- ]?tuning|a hybrid|lora|raft|it true|that the)|"
    r"quick (?:q|question)|does (?:it|that) (?:mean|matter)|what about|how about|what would (?:the|a|it|rag|fine)|"
    r"would (?:rag|fine[- ]?tuning|it|we|that) (?:even|still|really)?)")
INJECTION = re.compile(
    r"ignore (?:all |any |the )?(?:previous|prior|above|earlier|your) (?:instructions|prompts?|rules)|system prompt|"
    r"you are now|jailbreak|developer mode|pretend (?:to be|you are)|disregard (?:all|any|the|your)|"
    r"reveal (?:your|the) (?:prompt|instructions)|override (?:the |your )?(?:rules|scorer|instructions)|act as (?:a|an) ",
    re.IGNORECASE)
OFF_TOPIC = _rx(r"weather", r"joke", r"poem", r"recipe", r"sports?", r"football", r"song", r"lyrics", r"horoscope",
                r"stock tips?", r"bitcoin price", r"movie", r"write me an? (?:story|essay|poem)", r"translate",
                r"capital of", r"who won")
DOMAIN = re.compile(r"\b(?:rag|retriev|fine[- ]?tun|finetun|embedding|vector|chunk|re-?rank|latenc|token|lora|raft|hybrid|"
                    r"model|llm|gpt|citation|prompt|training|dataset|cost|architecture|inference|ai\b|knowledge|"
                    r"attribution|audit|prototype|break[- ]even|tco|context)")
YES = re.compile(r"^\s*(?:yes|yeah|yep|yup|definitely|absolutely|of course|certainly|100%|sure|correct|affirmative|"
                 r"very much|totally|indeed|must|required|it is|they do|we do)\b")
NO = re.compile(r"^\s*(?:no|nope|nah|not really|not at all|none|negative|never|nothing)\b")
