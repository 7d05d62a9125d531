"""A labelled corpus of wire stories, their edited copies and distinct same-topic stories.

Everything here is written for newsrelay: the sentence templates, the invented towns, people,
companies and outlets, and every number. Nothing is taken from real articles. The corpus is
deterministic for a given seed, so a quality gate can pin its results.

How a labelled set is made (``labelled_set``):

* A *base story* is composed from one topic's templates (council meeting, industrial fire, court
  case, storm, election, company news, transport strike, football match) with its own town, cast
  and facts: a headline, a datelined lead and 4 to 8 more paragraphs (5 to 9 in all), then the
  wire agency's credit line.
* Each base story is republished as *wire copies* by invented outlets. Every copy gets a random,
  recorded subset of the controlled edits in ``EDITS``: a new headline, a rewritten first
  paragraph, extra paragraphs at the end, the last paragraphs cut, the outlet's boilerplate instead
  of the agency's, and typographic changes (curly quotes, dashes, ligatures, invisible characters,
  digit grouping, case).
* Each base story has a *sibling*: a distinct story of the same topic, in the same town, with the
  same people (a second decision of the same council, a second fire at the same plant, the same
  team's next match), written from a disjoint part of the topic's templates and with new facts.
  It shares names, places and topic words with the base story but not sentences, and it has wire
  copies of its own. Pairs across the base and sibling clusters are the hard negatives.

The ground truth is ``Article.story``: two articles are the same story exactly when it is equal.

``bulk_articles`` generates many articles quickly (a new story with 0 to 3 copies at a time) for
the throughput and memory measurements.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

__all__ = [
    "EDITS",
    "TOPICS",
    "Article",
    "Scores",
    "Story",
    "base_story",
    "bulk_articles",
    "group_with_index",
    "labelled_set",
    "original",
    "score_groups",
    "score_pairs",
    "sibling_story",
    "wire_copy",
]

EDITS = ("headline", "first_paragraph", "add_last", "remove_last", "boilerplate", "typography")
EPOCH = datetime(2025, 3, 3, 6, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Article:
    """One generated article; ``text`` is what extraction would return (headline first)."""

    key: str
    story: str
    url: str
    outlet: str
    title: str
    text: str
    kind: str  # "original", "copy" or "sibling"
    edits: tuple[str, ...]
    published: datetime


@dataclass
class Story:
    """A composed story with the unused templates its copies draw on."""

    story_id: str
    topic: str
    facts: dict[str, str]
    title: str
    paragraphs: list[str]
    spare_titles: list[str]
    spare_leads: list[str]
    spare_clauses: list[str]
    published: datetime
    agency: str
    credit: str
    sibling_pool: dict[str, list[str]] = field(default_factory=dict)


# --------------------------------------------------------------------------------------------
# Names, places and outlets, all invented.

FIRST_NAMES = (
    "Anja Tomas Greta Pavel Liese Marek Ines Oskar Hedda Rune Mira Jonas Elin Bastian Kaja "
    "Viktor Nora Emil Selma Arvid Tilde Henrik Ylva Lukas Petra Aksel Frida Matteo Sanne Orla "
    "Edvin Maren Ilka Joakim Vera Tobiah Lenka Casimir Dagny Ferris"
).split()
SURNAME_HEADS = (
    "Bran Cor Dal Fen Hal Kest Lor Mar Ner Oster Pell Quin Ros Sel Tor Vard Wen Yst Alder "
    "Brekk Dorn Hagg Lund Mose Rask Stav Thorn Vall"
).split()
SURNAME_TAILS = (
    "holt ane wick berg ley mont ova ridge sen strom ton vale mark dahl feld gaard"
).split()
TOWN_HEADS = (
    "Ash Bram Cal Dun Eld Fern Gal Hol Ir Kel Lind Mor Nor Ost Pen Quar Rav Sten Tarn Ulm Ves "
    "Wyr Brek Fal Grim Hask Jor Lamb Mist Orm"
).split()
TOWN_TAILS = "bridge ford haven mouth stead wick dale port by thorpe holm vik".split()
RIVERS = "Aldra Brenne Cossel Dwina Esk Farrow Grell Huld Isen Jarra Kell Lorne".split()
REGIONS = ["Westmark", "Nordvale", "Eastholm", "Sundland", "Calder", "Ridings", "Ostmark", "Lowfen"]
AGENCIES = ("Nordwire", "Meridian Press Service", "Baltic News Agency")
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = (
    "January February March April May June July August September October November December"
).split()
SECTIONS = ("Local", "News", "Region", "Business", "Sport", "Latest")

# Each outlet's own boilerplate: lines before and after the body, the same on all its articles.
OUTLETS: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    (
        "The Harbour Courier",
        ("The Harbour Courier | {section}",),
        ("Sign up for the Courier's morning briefing and never miss a story.",),
    ),
    (
        "Valley Evening Post",
        ("Valley Evening Post - {section} - updated {day}",),
        ("Have a story for us? Write to our newsroom.", "(c) Valley Evening Post"),
    ),
    (
        "Radio Nordvale",
        (),
        ("Listen to Radio Nordvale news every hour on the hour.", "Follow us for live updates."),
    ),
    (
        "The Calder Ledger",
        ("{section} | The Calder Ledger",),
        ("This article first appeared in print. Subscribers can read the e-paper online.",),
    ),
    ("Eastholm Today", ("Eastholm Today",), ("More stories from the region on our home page.",)),
    (
        "The Sundland Mercury",
        ("Mercury {section}",),
        ("Comments are closed for this article.", "All content copyright The Sundland Mercury."),
    ),
    (
        "Lowfen Online",
        ("Lowfen Online / {section} / {day}",),
        ("Support independent local journalism: become a member today.",),
    ),
    ("Ostmark Daily", (), ("Ostmark Daily is part of the Ridings Media group.",)),
    (
        "The Westmark Herald",
        ("The Westmark Herald - {section}",),
        ("Read more: our live page has the latest developments.",),
    ),
    (
        "Fenland Wireless",
        ("FENLAND WIRELESS {section}",),
        ("Get our app for breaking news alerts.", "Photos: Fenland Wireless archive"),
    ),
    (
        "Kelport Gazette",
        ("Kelport Gazette",),
        (
            "Letters to the editor may be shortened.",
            "Kelport Gazette, serving the coast since 1911",
        ),
    ),
    (
        "Ridings News Network",
        ("RNN {section}",),
        ("You are reading a story from the Ridings News Network.",),
    ),
)


# --------------------------------------------------------------------------------------------
# Topics. Templates use [a|b|c] for alternatives (nestable) and {fact} for the story's facts.
# "leads" open a story after its dateline; "clauses" are body sentences; "quotes" are spoken.


@dataclass(frozen=True)
class Topic:
    """Templates and a fact generator for one kind of event."""

    name: str
    facts: Callable[[random.Random, dict[str, str]], dict[str, str]]
    titles: tuple[str, ...]
    leads: tuple[str, ...]
    clauses: tuple[str, ...]
    quotes: tuple[str, ...]


def _money(rng: random.Random, low: float, high: float) -> str:
    return f"{rng.uniform(low, high):.1f}"


def _count(rng: random.Random, low: int, high: int) -> str:
    return f"{rng.randint(low, high):,}"


def _council_facts(rng: random.Random, base: dict[str, str]) -> dict[str, str]:
    subject = rng.choice(
        [
            "a new footbridge over the {river}",
            "the renovation of the municipal swimming pool",
            "the closure of two branch libraries",
            "a ban on cars in the old market square",
            "a new housing estate on {street}",
            "the sale of the former tram depot",
            "higher fees for residents' parking permits",
            "a district heating network for the harbour quarter",
            "a second primary school in the {district} district",
            "the move of the weekly market to {street}",
        ]
    ).format_map(base)
    votes_for = rng.randint(12, 25)
    return {
        "subject": subject,
        "votes_for": str(votes_for),
        "votes_against": str(rng.randint(3, votes_for - 2)),
        "abstained": str(rng.randint(0, 4)),
        "cost": _money(rng, 2, 60),
        "grant": _money(rng, 0.5, 9),
        "years": str(rng.randint(2, 5)),
        "objections": _count(rng, 40, 900),
        "signatures": _count(rng, 300, 6000),
        "hours": str(rng.randint(3, 7)),
        "units": str(rng.randint(40, 400)),
        "jobs": str(rng.randint(20, 300)),
        "deficit": _money(rng, 1, 15),
        "pct": str(rng.randint(8, 45)),
        "start_month": rng.choice(MONTHS),
    }


COUNCIL = Topic(
    "council",
    _council_facts,
    titles=(
        "{town} councillors vote for {subject}",
        "Council in {town} approves {subject} after long debate",
        "{Subject} gets the green light in {town}",
        "{town} agrees to {subject} despite objections",
        "Divided {town} council backs {subject}",
    ),
    leads=(
        "Councillors in {town} [voted|narrowly voted] on {day} [to approve|in favour of] "
        "{subject}, [ending|closing] [months|more than a year] of [argument|debate] [over the "
        "plan|in the town hall].",
        "{town}'s council [has approved|gave its approval to] {subject} by {votes_for} votes to "
        "{votes_against} [after a meeting that lasted {hours} hours|in a late-night session].",
        "[After|Following] a [heated|tense|long] debate, the [municipal|town] council of {town} "
        "[agreed|decided] on {day} to go ahead with {subject}.",
        "The council in {town} has [backed|endorsed] {subject}, a [scheme|project] that "
        "[opponents|critics] [say|argue] the town [cannot afford|does not need].",
        "{Subject} will [go ahead|proceed] after {town}'s councillors [approved|voted for] it "
        "[on {day}|late on {day}], Mayor {p1} [said|announced].",
        "A [divided|split] council in {town} [has given|gave] the go-ahead for {subject}, "
        "[overruling|brushing aside] {objections} [formal objections|objections from residents].",
    ),
    clauses=(
        "The [project|scheme|plan] [is expected to|will] cost about {cost} million crowns, "
        "[{p1_last} said|according to the council's finance office|the council's own figures "
        "show].",
        "[Work|Construction] could [start|begin] [as early as|in] {start_month} and [would|should] "
        "take [about|roughly] {years} years.",
        "{objections} residents [had lodged|submitted|filed] [formal|written] objections during "
        "the [public consultation|consultation period] [last year|this spring|in the autumn].",
        "{p2}, [who leads the opposition|the opposition leader], [called the vote|described the "
        "decision as] [a mistake|reckless|premature] and [said|warned] the group would [ask the "
        "regional audit office to review it|keep fighting the plan].",
        "[Supporters|Backers] of the [plan|project] [argue|say] it [will|would] [bring new life "
        "to|revive] the [harbour quarter|town centre|eastern districts] of {town}.",
        "The [money|funding] [will come|is to come] partly from a [regional|state] grant of "
        "{grant} million crowns and partly from [the sale of municipal land|savings in the roads "
        "budget|a new bond issue].",
        "{p3}, [chair|head] of the [{street} residents' association|local residents' group], "
        "[said|told the meeting] that [people|neighbours] [had not been|were not] [properly "
        "consulted|listened to].",
        "A [similar|previous|first] proposal was [rejected|shelved|abandoned] in {prev_year} "
        "[after costs rose|when the grant fell through|amid protests].",
        "The [meeting|session|debate] [ran|lasted] [for|almost] {hours} hours, and [the public "
        "gallery was full|several residents were asked to leave] [at one point|before the vote].",
        "[Under the plan|According to the plans], [{units} homes|{units} parking spaces|a third of "
        "the site] [would be|are to be] [set aside|reserved] for [families on low incomes|local "
        "businesses].",
        "The council's [finance|budget] committee [had warned|warned last month] that {town} "
        "[faces|could face] a [deficit|shortfall] of {deficit} million crowns [next year|by "
        "{next_year}].",
        "[{p1_last}|The mayor] [rejected|dismissed] the [criticism|complaints], saying the "
        "[decision|vote] [followed|came after] [two years of planning|three rounds of "
        "consultation|detailed studies].",
        "[Local traders|Shop owners|Business groups] in {town} [were split|were divided] over the "
        "[proposal|plan], with [some|many] [fearing|worried about] [lost customers|disruption "
        "during construction].",
        "The [regional government|provincial authority] [must still|still has to] [approve|sign "
        "off on] [the budget|the plans] before [contracts can be signed|work can begin].",
        "[A petition against|An online petition opposing] the [plan|scheme] [had gathered|"
        "collected] {signatures} signatures [by {day}|before the meeting].",
        "[Council officials|Planning officers] [estimated|said] that the [project|scheme] [would "
        "create|could bring] [around|about] {jobs} [jobs|temporary jobs] [during construction|in "
        "the town].",
        "{votes_for} [councillors|members] voted [in favour|for the motion], {votes_against} "
        "[against|voted against] and {abstained} [abstained|did not vote].",
        "[The next council meeting|A follow-up session] [is scheduled for|will take place on] "
        "{next_date}, when [the detailed budget|the contracts|the timetable] [will be presented|is "
        "due to be discussed].",
        "[Residents of|People living in] the [{street} area|streets around {street}] have "
        "[complained|long complained] about [traffic|noise|the state of the roads] [for "
        "years|since the {prev_year} floods].",
        "An [independent|outside] [review|study] [commissioned by the council|paid for by the "
        "town] [found|concluded] that the [costs|savings] [had been|were] [underestimated|"
        "overstated] by [about|some] {pct} percent.",
        "[{p2_last}'s|The opposition's] [amendment|counter-proposal] to [delay|postpone] the "
        "[decision|vote] [by six months|until after the summer] was [defeated|rejected].",
        "{town} [last|previously] spent [on this scale|such a sum] in {prev_year}, when it "
        "[rebuilt|renovated] [the main square|its harbour walls|the railway station].",
        "[Councillor|Deputy mayor] {p3_last} [abstained|walked out before the vote], "
        "[saying|arguing] the [paperwork|final figures for {subject}] [arrived|had arrived] [only "
        "{hours} days before|too late to read].",
        "[Under|According to] the [timetable|schedule] [agreed|approved] on {day}, [tenders|the "
        "first tenders] for {subject} [will go out|are to be published] in {start_month}.",
        "The [vote|decision] [means|leaves] {town} [spending|committing] [almost|about] {pct} "
        "percent of [its|next year's] investment budget on {subject}.",
        "[Opponents|Critics] [of {subject}|of the plan] [point out|noted] that {town}'s "
        "[population|number of residents] has [fallen|barely grown] since {prev_year}.",
        "[Engineers|A consultancy] [hired|employed] by {town} [had|] [proposed|suggested] [a "
        "cheaper|a smaller] version [costing|at] {deficit} million crowns, [which was "
        "rejected|but councillors rejected it].",
        "[Members of the {district} youth council|Pupils from {district}] [handed|presented] "
        "[councillors|{p1_last}] [a letter|{signatures} postcards] [supporting|backing] {subject} "
        "[before|ahead of] the [meeting|vote].",
        "{p2_last}'s group [has|now has] {votes_against} seats on the council and [needs|would "
        "need] [the support of|help from] [independents|two smaller parties] to [force|call] a "
        "[referendum|new vote].",
        "[The mayor's office|{p1_last}'s office] [said|confirmed] [residents|the public] "
        "[could|will be able to] [see|comment on] the [detailed plans|drawings] [at the library "
        "on {street}|online] [until {next_date}|from {next_date}].",
    ),
    quotes=(
        "{Subject} is what {town} has needed for {years} years, and now it will finally happen",
        "We spent {hours} hours on this tonight because {town} deserves a careful decision",
        "My group voted against because {cost} million crowns is money {town} does not have",
        "People on {street} were never asked what they think about {subject}",
        "With {votes_for} votes in favour, nobody can say {subject} lacks support",
        "If the grant from {region} does not come, {subject} will be the first thing we review",
        "I have lived near {street} for thirty years and I have never seen the council listen so "
        "little",
        "Every crown spent on {subject} will be accounted for in public, I promise {town} that",
        "The {objections} objections were read and answered, one by one",
        "Ask the families in {district} whether {subject} matters to them",
    ),
)


def _fire_facts(rng: random.Random, base: dict[str, str]) -> dict[str, str]:
    kind = rng.choice(["paper mill", "plastics plant", "timber yard", "printing works", "dairy"])
    org = f"the {base['company']} {kind}"
    return {
        "org": org,
        "subject": rng.choice(["a storage hall", "the main production hall", "a warehouse"]),
        "firefighters": str(rng.randint(30, 140)),
        "engines": str(rng.randint(6, 24)),
        "hours": str(rng.randint(3, 14)),
        "road_hours": str(rng.randint(2, 9)),
        "injured": str(rng.randint(2, 9)),
        "evacuated": str(rng.randint(60, 900)),
        "damage": _money(rng, 1.2, 40),
        "staff": str(rng.randint(40, 600)),
        "founded": str(rng.randint(1890, 1995)),
        "weeks": str(rng.randint(2, 12)),
        "time": f"{rng.randint(1, 11)}.{rng.choice(['05', '15', '30', '40', '50'])} "
        f"{rng.choice(['a.m.', 'p.m.'])}",
    }


FIRE = Topic(
    "fire",
    _fire_facts,
    titles=(
        "Fire destroys {subject} at {org} in {town}",
        "Huge blaze at {org} brought under control",
        "Hundreds evacuated as fire rips through {org}",
        "Firefighters battle {hours}-hour blaze in {town}",
        "{town} residents told to stay indoors after factory fire",
    ),
    leads=(
        "A [large|huge|major] fire [tore through|swept through] {subject} at {org} in {town} [on "
        "{day}|overnight on {day}], [sending thick smoke over the town|forcing {evacuated} people "
        "to leave their homes].",
        "[Around|About|More than] {firefighters} firefighters [fought|battled] for {hours} hours "
        "to [bring under control|contain] a fire at {org} [in {town}|on the edge of {town}] [on "
        "{day}|late on {day}].",
        "[Hundreds of|{evacuated}] residents [of|in] {town} were [evacuated|told to leave their "
        "homes] [on {day}|early on {day}] [after|when] a fire broke out at {org}.",
        "Fire [crews|services] in {town} [said on {day}|said] they had [extinguished|put out] a "
        "[blaze|fire] that [gutted|destroyed] {subject} at {org}.",
        "[Thick black smoke|A column of smoke] [hung over|drifted across] {town} [on {day}|for "
        "much of {day}] as a fire [raged|burned] at {org}, [officials|the fire service] said.",
        "{Org} in {town} was [badly damaged|largely destroyed] [by fire|in a fire] [on {day}|"
        "overnight], and {injured} [people|workers] [were taken to hospital|needed hospital care].",
    ),
    clauses=(
        "The fire [started|broke out] [shortly after|just before|around] {time} [in {subject}|near "
        "the loading bay], [{p1_last} said|according to the fire service].",
        "{injured} [workers|employees|people] [were treated for|suffered] [smoke inhalation|minor "
        "burns|breathing problems], but [no one was|none were] [seriously hurt|in a serious "
        "condition].",
        "[Crews|Firefighters] from [{neighbour} and other nearby stations|neighbouring towns] were "
        "[called in|sent] to help, [bringing|with] {engines} fire engines [to the scene|in total].",
        "Police [closed|sealed off] the [main road|ring road|road to the harbour] [between {town} "
        "and {neighbour}|near the site] for [several|{road_hours}] hours.",
        "[The cause of the fire|What caused the blaze] [is not yet known|was not immediately "
        "clear], and [investigators|fire inspectors] [were due to|will] [visit|examine] the site "
        "[on {next_day}|once it is safe].",
        "{p2}, [a spokesperson for|speaking for] {org}, said the company [would cooperate fully "
        "with|was working with] the [authorities|investigators] and [had set up a helpline for "
        "staff|would pay its workers during the closure].",
        "[About|Some|Roughly] {staff} people [work|are employed] at the site, [which opened in|"
        "which has operated since] {founded}.",
        "[Residents|People in {district}] were [told|advised] to [keep windows and doors closed|"
        "stay indoors] [until the evening|while the smoke cleared], and [a school nearby|two "
        "schools nearby] [closed early|kept pupils inside].",
        "[Damage|The damage] [is estimated|was put] at [around|about] {damage} million crowns, "
        "[the company said|according to an early estimate].",
        "{p3}, who lives [a few streets away|opposite the site|near the plant], said the first "
        "sign was [a loud bang|several explosions] [around|just after] {time}.",
        "Environmental officials [measured|tested] [the air|air quality] [near the site|across "
        "{town}] and [found no dangerous levels of|said there was no sign of] [toxic gases|"
        "pollution].",
        "[Water used to fight the fire|Run-off from the firefighting] [flowed|ran] into the "
        "{river}, where [officials|the authorities] [set up|laid] floating barriers to [stop|"
        "contain] [oil|chemicals] [spreading|from spreading].",
        "[It was the|This was the] [second|third] fire at {org} since {prev_year}; [a smaller "
        "blaze|an earlier fire] [damaged|destroyed] a [storage shed|loading bay] that year.",
        "[The fire service|{p1_last}] [praised|thanked] [staff|workers] for [evacuating|leaving] "
        "the [building|site] [quickly|calmly] [when the alarm sounded|as soon as the alarm went "
        "off].",
        "[Production|Work] at the [plant|site] [will be|is expected to be] [halted|suspended] for "
        "[at least|about] {weeks} weeks, [the company said|{p2_last} said].",
        "[Firefighters|Crews] [remained|stayed] at the site [through the night|until {next_day}] "
        "to [deal with|watch for] [smaller fires|hot spots].",
        "[Trains|Bus services] [between {town} and {neighbour}|through {town}] were [delayed|"
        "disrupted|diverted] [for much of the afternoon|while the fire burned].",
        "The mayor of {town} [said|promised] the [town|council] would [help|support] [families|"
        "workers] [affected by the fire|who lost income].",
        "[Insurance assessors|Loss adjusters] [are expected|were due] at the site [within days|"
        "on {next_day}], [{p2_last} said|the company said].",
        "[Firefighters|Crews] [used|brought in] [a turntable ladder|drones with heat cameras] to "
        "[find|locate] [the seat of the fire|pockets of fire] [inside the roof|under the debris].",
        "[The alarm|A smoke alarm] at {org} [went off|sounded] at {time}, and the first "
        "[engine|crew] [arrived|reached the site] [within|in] [eight|eleven|fourteen] minutes.",
        "[A|One] firefighter [was|had been] [treated|taken to hospital] for [heat exhaustion|a "
        "hand injury], [bringing|taking] the number of injured to {injured}.",
        "[Investigators from the {region} police|Fire investigators] [will|are due to] [look "
        "at|examine] [electrical wiring|a forklift battery charger] in {subject} [as a possible "
        "cause|first].",
        "{org} [had passed|passed] [a|its last] fire inspection in {prev_year}, [records "
        "show|according to the {town} fire service].",
        "[The {district} sports hall|A sports hall in {district}] [was opened|opened] [for|to] "
        "[evacuated residents|the {evacuated} people who left their homes] [overnight|on {day} "
        "night].",
        "[Neighbours|Residents] on {street} [said|reported] [ash|soot] [had fallen|was falling] "
        "on [cars|gardens] [as far as|up to] [two|three] kilometres away.",
        "[Lorries|Trucks] [carrying|with] [raw materials|paper rolls|plastic pellets] [were "
        "turned away|were stopped] [at the gates of {org}|on {street}] [until {next_day}|for the "
        "rest of the day].",
        "The {town} fire service [used|pumped] [water|foam] [from the {river}|from hydrants on "
        "{street}] [because|as] [the|its] [tanks|supply] [ran low|was not enough] [after {hours} "
        "hours|during the night].",
    ),
    quotes=(
        "When we arrived at {org} the whole of {subject} was already burning",
        "{firefighters} firefighters gave everything they had for {hours} hours",
        "Nobody at {org} wants to speculate about the cause until the investigators are done",
        "The smoke over {district} was so thick that we could not see the end of {street}",
        "We will pay every one of our {staff} employees while the site is closed",
        "{injured} people hurt is {injured} too many, and we will find out how this happened",
        "I have lived next to {org} for twenty years and never felt unsafe until {day}",
        "Keep your windows shut in {district} until we say the air is clean",
        "The {river} is our drinking water, so nothing from that site can reach it",
        "We had {engines} engines there and still needed help from {neighbour}",
    ),
)


def _court_facts(rng: random.Random, base: dict[str, str]) -> dict[str, str]:
    charge = rng.choice(
        [
            "breaching safety rules at its {town} plant",
            "dumping waste water into the {river}",
            "rigging bids for municipal building contracts",
            "falsifying emissions data from its boilers",
            "paying a planning official to approve a warehouse",
            "ignoring repeated orders to repair a collapsing quay",
        ]
    ).format_map(base)
    return {
        "org": base["company"] + rng.choice([" Holdings", " Construction", " Logistics", " Group"]),
        "subject": charge,
        "fine": _money(rng, 0.2, 9),
        "months": str(rng.randint(6, 40)),
        "trial_days": str(rng.randint(4, 30)),
        "witnesses": str(rng.randint(6, 45)),
        "appeal_days": str(rng.choice([14, 21, 28, 30])),
        "claim": _money(rng, 0.5, 20),
        "staff": str(rng.randint(30, 900)),
        "years_back": str(rng.randint(2, 9)),
    }


COURT = Topic(
    "court",
    _court_facts,
    titles=(
        "{org} fined {fine} million crowns for {subject}",
        "Court in {town} finds {org} guilty of {subject}",
        "{org} convicted after {trial_days}-day trial",
        "Judge {p1_last} rules against {org}",
        "{org} to appeal ruling by {town} court",
    ),
    leads=(
        "A court in {town} [fined|ordered] {org} [to pay] {fine} million crowns on {day} for "
        "{subject}, [ending|closing] a trial that [lasted|ran for] {trial_days} days.",
        "{org} was [found guilty|convicted] on {day} of {subject}, [the district court in {town}|"
        "a court in {town}] [ruled|said].",
        "Judge {p1} [ruled|found] on {day} that {org} [was guilty of|had been responsible for] "
        "{subject}, [and fined the company|imposing a fine of] {fine} million crowns.",
        "[Prosecutors in {town}|The prosecution in {town}] [won|secured] a [conviction|guilty "
        "verdict] against {org} on {day} [over|for] {subject}.",
        "{Org} [said|announced] on {day} it would appeal after a {town} court [convicted it of|"
        "found it guilty of] {subject}.",
        "The [district|regional] court in {town} has [convicted|found against] {org} [in a case "
        "over|for] {subject}, [one of the largest cases of its kind in {region}|a case watched "
        "closely across {region}].",
    ),
    clauses=(
        "Two [former managers|senior managers] [of the company|at {org}] [received|were given] "
        "suspended sentences of {months} months [each|in total].",
        "[The prosecution|Prosecutors] had [asked for|demanded] a fine of [almost|nearly] twice "
        "that amount, [arguing|saying] the [company|firm] had [acted|behaved] [for profit|"
        "deliberately].",
        "{p2}, [who represented|lawyer for] {org}, [said|told reporters] the [ruling|verdict] "
        "[ignored|overlooked] [key evidence|the findings of two experts] and [would be appealed|"
        "that the company would appeal].",
        "[The court|Judge {p1_last}] heard [from] {witnesses} witnesses [during the trial|over "
        "{trial_days} days], [including|among them] [former employees|inspectors from the "
        "regional authority].",
        "{org} [has|now has] {appeal_days} days to [lodge|file] an appeal with the [higher|"
        "regional appeals] court in {region}.",
        "[According to|The indictment said] the [offences|breaches] [took place|went on] over "
        "[about|more than] {years_back} years [before they came to light|until a whistleblower "
        "came forward].",
        "[Residents|Neighbours] [near|around] the site [have filed|filed] a [separate|civil] "
        "claim for {claim} million crowns, [which will be heard later|due to be heard next year].",
        "{p3}, [the lead prosecutor|who led the prosecution], said the [verdict|ruling] [sent a "
        "clear message|was a warning] to [other companies|businesses] in {region}.",
        "The [company|firm] [employs|has] [about|some] {staff} people [in {town}|across {region}] "
        "and [denied|had denied] [all the charges|wrongdoing] throughout the [trial|case].",
        "[Judge {p1_last}|The judge] [said|noted] [in the ruling|in the written ruling] that the "
        "[company's|firm's] [internal controls|safety checks] had been [inadequate|ignored for "
        "years].",
        "[The case|The investigation] [began|started] in {prev_year} [after|when] [an "
        "inspector|a former employee] [reported|raised] [concerns|the matter] with the "
        "[authorities|police].",
        "[Shares in|The share price of] {org}'s parent company [fell|dropped] [after the verdict|"
        "on the news], [traders said|according to traders in {region}].",
        "[Environmental groups|Campaigners] [welcomed|praised] the [ruling|verdict] but said the "
        "fine was [too small|far too low] [for a company of that size|to deter others].",
        "[The court|Judge {p1_last}] also [ordered|told] {org} to [pay|cover] the [costs of the "
        "trial|prosecution's costs] [and|as well as] [fund an independent audit|repair the site].",
        "[It is|This is] the [second|first] [conviction|time the company has been convicted] "
        "[for|of] [such an offence|a similar offence] [since|in] {prev_year}.",
        "[Inspectors|Investigators] [had|have] [found|documented] [dozens of|repeated] "
        "[violations|breaches] [during|in] [visits to the site|unannounced checks].",
        "The [company's|firm's] [board|management] [said|told staff] it [would|will] [review|"
        "study] the [written judgment|ruling] [before deciding on an appeal|carefully].",
        "[Observers|Legal experts] [said|noted] the case [could|may] [influence|shape] [similar "
        "cases|how courts deal with such cases] across {region}.",
        "The trial [was|had been] [postponed|delayed] twice [because of|due to] [illness|a "
        "dispute over evidence] [before|until] it [opened|began] in {month}.",
        "[In|During] the trial, [prosecutors|the prosecution] [showed|presented] [internal "
        "emails|minutes of board meetings] [from|dating back to] {prev_year} [suggesting|which "
        "suggested] [managers|directors] [knew|had known] about the [problem|risks].",
        "[The defence|{p2_last}] [argued|had argued] that [a former contractor|an outside firm], "
        "not {org}, was [responsible|to blame] for {subject}.",
        "[Judge {p1_last}|The court] [rejected|dismissed] [that argument|the defence's argument], "
        "[saying|finding] the [company|firm] [had|] [controlled|been in charge of] the site "
        "[throughout|at all times].",
        "{witnesses} [people|witnesses] [gave evidence|testified] [over|during] {trial_days} "
        "days, [including|among them] [two former site managers|an engineer from {neighbour}].",
        "[The fine|The penalty] of {fine} million crowns [is|was] [among the largest|one of the "
        "highest] [ever|] [imposed|handed down] by a court in {region} [for|in a case about] "
        "{subject}.",
        "{org} [set aside|has set aside] [money|{claim} million crowns] [for the case|in its "
        "accounts] [last year|in {prev_year}], [its annual report shows|according to its annual "
        "report].",
        "[A group of|Several] residents from {district} [sat|waited] in the public gallery [every "
        "day|throughout the {trial_days} days] of the trial.",
        "[Prosecutors|The prosecution] [are also|said they are] [investigating|looking into] [two "
        "other sites|a warehouse in {neighbour}] [run by|belonging to] {org}.",
    ),
    quotes=(
        "{Org} will appeal, because this judgment ignores what the experts told the court",
        "After {trial_days} days of evidence the court reached the only possible conclusion",
        "A fine of {fine} million crowns is small change for a company like {org}",
        "The people of {district} waited since {prev_year} for someone to say this out loud",
        "We have {appeal_days} days, and we will use them to prepare a strong appeal",
        "{org} has replaced the managers responsible and changed how the site is run",
        "The {witnesses} witnesses who spoke up made this verdict possible",
        "No company in {region} should think that the rules on {subject} are optional",
        "My client respects the court but cannot accept this reasoning",
        "Today is a good day for everyone who lives near the {river}",
    ),
)


def _storm_facts(rng: random.Random, base: dict[str, str]) -> dict[str, str]:
    name = rng.choice(
        [
            "Agnetha",
            "Bertil",
            "Cora",
            "Dagfinn",
            "Eira",
            "Folke",
            "Gunn",
            "Hjalmar",
            "Idun",
            "Jostein",
        ]
    )
    return {
        "subject": f"Storm {name}",
        "rain": str(rng.randint(40, 190)),
        "wind": str(rng.randint(90, 170)),
        "homes": _count(rng, 800, 45000),
        "roads": str(rng.randint(4, 40)),
        "rescued": str(rng.randint(3, 80)),
        "trees": str(rng.randint(20, 400)),
        "hours": str(rng.randint(6, 48)),
        "river_rise": f"{rng.uniform(0.6, 3.2):.1f}",
        "damage": _money(rng, 2, 80),
        "shelters": str(rng.randint(2, 9)),
        "schools": str(rng.randint(3, 40)),
        "years_record": str(rng.randint(20, 90)),
    }


STORM = Topic(
    "storm",
    _storm_facts,
    titles=(
        "{subject} floods streets in {town}",
        "{homes} homes without power as {subject} hits {region}",
        "{town} counts the cost of {subject}",
        "Heavy rain and gales batter {town}",
        "Rescuers pull {rescued} people from floodwater in {town}",
    ),
    leads=(
        "{subject} [brought|dumped] {rain} millimetres of rain on {town} [on {day}|overnight into "
        "{day}], [flooding|submerging] [streets|cellars and streets] and [cutting power to|leaving "
        "without electricity] {homes} homes.",
        "Gusts of up to {wind} kilometres an hour [tore|ripped] [roofs off houses|through] {town} "
        "on {day} as {subject} [swept across|moved over] {region}.",
        "[Emergency services|Rescue teams] in {town} [rescued|pulled] {rescued} people from "
        "[floodwater|flooded homes and cars] on {day} after {subject} [caused|sent] the {river} to "
        "[burst its banks|overflow].",
        "[Thousands of|{homes}] households in and around {town} [were without power|had no "
        "electricity] on {day} after {subject} [brought down power lines|knocked out a "
        "substation].",
        "{town} [declared|announced] a local emergency on {day} as {subject} [sent|pushed] the "
        "{river} {river_rise} metres above its normal level.",
        "[Schools|{schools} schools] in {town} [stayed closed|were shut] and [trains|rail "
        "services] [stopped running|were halted] on {day} as {subject} [hit|battered] {region}.",
    ),
    clauses=(
        "[The weather office|Forecasters] [said|reported] it was the [wettest|stormiest] day in "
        "{town} [for|in] {years_record} years.",
        "{roads} roads [were closed|remained closed] [by flooding|because of fallen trees], "
        "[including|among them] the [main road|route] to {neighbour}.",
        "[Firefighters|Crews] [cleared|removed] [about|more than] {trees} fallen trees [from "
        "roads and railway lines|overnight].",
        "The {river} [rose|climbed] {river_rise} metres [above|over] its [usual level|normal "
        "level] [in a few hours|by the evening], [flooding|covering] [the riverside park|the old "
        "town's lower streets].",
        "{p1}, [who heads forecasting at|of] the {region} weather office, [said|warned] [more "
        "rain|another band of rain] [was|is] [expected|forecast] [on {next_day}|later in the "
        "week].",
        "[The town|{town}] opened {shelters} [emergency shelters|shelters] [in schools and sports "
        "halls|for people who had to leave their homes].",
        "[Power company engineers|Grid engineers] [said|expected] it [could|might] take {hours} "
        "hours to [restore|reconnect] [all homes|every household] [in the area|in {district}].",
        "[Insurers|Early estimates] [put|placed] the [damage|cost of the damage] at [around|"
        "about] {damage} million crowns.",
        "Mayor {p2} [visited|toured] the [flooded|worst-hit] [streets|districts] [on {day}|in the "
        "afternoon] and [promised|pledged] [help|emergency money] for [families|residents].",
        "{p3}, [a shop owner|who runs a bakery] in {district}, said the water [came in|rose] "
        "[within minutes|faster than anyone expected].",
        "[No one|Nobody] [was|had been] [killed|seriously injured], [police said|according to "
        "the police], [but|although] [several people|a driver] [were|was] [treated for hypothermia|"
        "taken to hospital].",
        "[Rail services|Trains] between {town} and {neighbour} [were suspended|stopped] [after a "
        "tree fell on the line|because of flooding at {district} station].",
        "{schools} schools [stayed|were] closed and [parents|families] were [asked|told] to keep "
        "[children|pupils] at home [until {next_day}|for another day].",
        "[Farmers|Growers] [around|outside] {town} [said|reported] [fields|crops] [were|had been] "
        "[under water|washed away] [just before the harvest|weeks before harvest].",
        "[The army|Soldiers] [helped|were sent to help] [fill sandbags|build flood barriers] "
        "[along the {river}|in {district}] [overnight|on {day} evening].",
        "[A similar|The last comparable] storm [hit|struck] [the town|{town}] in {prev_year}, "
        "[when|and] [the harbour wall was breached|hundreds of homes flooded].",
        "[Critics|Residents] [said|complained] the [flood defences|barriers] [promised|planned] "
        "after {prev_year} [had never been built|were still unfinished].",
        "The [weather office|forecasters] [kept|left] a [red|orange] warning in place for "
        "[{region}|the coast] [until {next_day}|through the night].",
        "[Volunteers|Neighbours] [brought|handed out] [hot drinks|blankets] at the [shelters|"
        "sports hall], [{p2_last} said|the town said].",
        "[A|One] [bridge|footbridge] over the {river} in {district} [was closed|was shut] "
        "[after|when] [engineers found|inspectors saw] [damage to its supports|debris piled "
        "against it].",
        "[Emergency calls|Calls to the emergency line] in {town} [rose|jumped] to [more "
        "than|over] [{rescued}00|several hundred] [during the night|on {day}], [police "
        "said|according to police].",
        "[Residents of|People on] {street} [spent|passed] the night [on upper floors|at the "
        "{district} shelter] [as|while] [water|the flood] [filled|covered] [ground floors|the "
        "street].",
        "[The|A] [ferry|bus] [service|link] to {neighbour} [was|remained] [suspended|cancelled] "
        "[until {next_day}|for {hours} hours] [because of|due to] [high waves|fallen trees].",
        "{subject} [is|was] the [second|third] [major|severe] storm to [hit|strike] {region} "
        "[this season|since {month}].",
        "[Power cuts|Outages] [also|] [hit|affected] [the hospital in {town}|two care homes in "
        "{district}], which [switched to|ran on] [emergency generators|backup power].",
        "[Engineers|Inspectors] [will|are to] [check|inspect] the [dyke|flood wall] [along the "
        "{river}|in {district}] [on {next_day}|once the water falls].",
        "[Wind|Gusts] [reached|hit] {wind} kilometres an hour [at|on] the [coast|harbour mole] "
        "[near {town}|in {district}], [the highest|a record] [for {month}|since {prev_year}].",
    ),
    quotes=(
        "{rain} millimetres in one night is more than {town} normally gets in a month",
        "{subject} took the roof off our barn and half the fence with it",
        "We have {shelters} shelters open and nobody in {town} needs to sleep in the cold",
        "The {river} rose {river_rise} metres in a few hours, which we have never measured before",
        "Crews will not stop until all {homes} homes have power again",
        "After {prev_year} we were promised a flood wall in {district}, and it was never built",
        "Stay off the roads to {neighbour} tonight unless you really must travel",
        "The water in {street} came up to my knees within ten minutes",
        "Every family hit by {subject} will get help from {town}, I give you my word",
        "The weather office expects more rain on {next_day}, so please stay careful",
    ),
)


def _election_facts(rng: random.Random, base: dict[str, str]) -> dict[str, str]:
    winner = rng.randint(38, 62)
    return {
        "subject": rng.choice(
            ["the mayoral election", "the council election", "the regional assembly vote"]
        ),
        "party": rng.choice(["Civic Alliance", "Green List", "Farmers' Union", "Harbour Party"]),
        "rival_party": rng.choice(["People's Bloc", "Liberal Forum", "Social League"]),
        "winner_pct": str(winner),
        "runner_pct": str(rng.randint(20, 100 - winner - 5)),
        "turnout": str(rng.randint(41, 79)),
        "margin": _count(rng, 120, 9000),
        "seats": str(rng.randint(5, 19)),
        "total_seats": str(rng.randint(25, 41)),
        "candidates": str(rng.randint(3, 9)),
        "count_hours": str(rng.randint(3, 11)),
        "postal": _count(rng, 900, 12000),
        "age": str(rng.randint(31, 66)),
    }


ELECTION = Topic(
    "election",
    _election_facts,
    titles=(
        "{p1} wins {subject} in {town}",
        "{party} takes {town} in {subject}",
        "Upset in {town}: {p2} loses {subject}",
        "{town} votes for change, turnout {turnout} percent",
        "{p1} of the {party} claims victory in {town}",
    ),
    leads=(
        "{p1} of the {party} won {subject} in {town} on {day} with {winner_pct} percent of the "
        "vote, [unseating|defeating] {p2} [after|following] a [bitter|close|long] campaign.",
        "Voters in {town} [handed|gave] [victory|a clear win] in {subject} to {p1}, the {party} "
        "[results showed on {day}|according to results published on {day}].",
        "The {party} [won|took] {seats} of {total_seats} seats in {subject} in {town}, "
        "[its best result|a record] [in decades|since it was founded].",
        "{p2} [conceded defeat|admitted defeat] in {subject} in {town} on {day} after [trailing|"
        "falling behind] {p1} by {margin} votes.",
        "Turnout in {subject} in {town} [reached|rose to] {turnout} percent on {day}, [and|as] "
        "{p1} of the {party} [claimed victory|declared victory] [shortly before midnight|late on "
        "{day}].",
        "[In a result that surprised many|In a surprise result], {p1} [won|took] {subject} in "
        "{town}, [beating|defeating] {p2} of the {rival_party}.",
    ),
    clauses=(
        "{p2}, [the candidate|who ran for] of the {rival_party}, [received|won] {runner_pct} "
        "percent [of the vote|of votes cast].",
        "Turnout was {turnout} percent, [up|higher] from [the last election|{prev_year}], "
        "[according to|said] {p3}, [the town's returning officer|who oversaw the count].",
        "[Counting|The count] [took|lasted] {count_hours} hours [because|after] {postal} postal "
        "votes [had to be checked by hand|arrived late].",
        "{p1}, {age}, [campaigned|ran] on [promises|a promise] to [cut|freeze] [local taxes|"
        "parking fees] and [build|open] [more housing|a new health centre].",
        "{candidates} candidates [stood|ran] [in the race|for the post], [the most|more] than "
        "[ever before|in any previous election] in {town}.",
        "[Supporters|Party members] [gathered|celebrated] [at a hotel|in the town square] [near "
        "{street}|in the centre] [as the results came in|until after midnight].",
        "{p2} [said|told supporters] the [result|defeat] was [disappointing|painful] but "
        "[promised|vowed] to [remain|stay] [in local politics|on the council].",
        "[The {party}|{p1}'s party] [will need|needs] [the support of|a partner among] [smaller "
        "parties|independents] to [pass|get] a budget [through the council|next year].",
        "[A recount|Calls for a recount] in [one district|{district}] [was|were] [rejected|"
        "turned down] [by the electoral board|because the margin was too large].",
        "[Young voters|Voters under 30] [backed|supported] {p1} [strongly|by a wide margin], "
        "[an exit poll suggested|according to an exit poll].",
        "The {rival_party} [had|has] [run|governed] {town} [since|for most of the time since] "
        "{prev_year}.",
        "{p1} [is due to|will] [take office|be sworn in] [on {next_date}|next month] [and|after] "
        "[the council's first session|a handover period].",
        "[Campaign spending|Spending on the campaign] [was|reached] [a record|the highest ever] "
        "in {town}, [with|as] [both sides|the two main candidates] [bought|ran] [radio|poster] "
        "advertising.",
        "[Observers|Analysts] [said|noted] the result [reflected|showed] [anger|frustration] over "
        "[rising rents|the closure of the hospital ward] in {town}.",
        "[Election officials|The returning officer] [reported|said there were] [no|only minor] "
        "[irregularities|problems] [at polling stations|during the vote].",
        "The {party} [also|additionally] [won|took] [a majority|the most seats] in [neighbouring|"
        "nearby] {neighbour}, [results showed|officials said].",
        "{p1} [thanked|praised] [volunteers|campaign workers] [who had knocked on|for visiting] "
        "[thousands of doors|every street] [over the summer|in recent weeks].",
        "[Opinion polls|Surveys] [before the vote|a week earlier] [had|] [put|shown] {p2} [ahead|"
        "in the lead] by [several|a few] points.",
        "[In|Across] {district}, [traditionally|long] a stronghold of the {rival_party}, {p1} "
        "[won|took] [a majority|more votes than {p2}] [for the first time|in every polling "
        "station].",
        "{p3} [said|confirmed] {postal} postal [votes|ballots] had been [counted|received], [a "
        "record|more than ever] for {subject} in {town}.",
        "{p1} [served|had served] [two terms|{count_hours} years] on the {town} council "
        "[before|and then] [running|standing] for {subject}.",
        "The {party} [spent|reported spending] [about|] [{margin} crowns|less than its rivals] on "
        "[posters|the campaign], [according to|figures filed with] the electoral board.",
        "[A|The] [televised|radio] debate [between|of] {p1} and {p2} [on {street}|in the "
        "{district} library] [drew|attracted] [hundreds of|a large audience of] "
        "[voters|residents].",
        "{p2} [had|has] [led|run] {town} [since|from] {prev_year} and [is|was] [the "
        "longest-serving|a well-known] [figure|politician] in {region}.",
        "[Results|Official results] [will|are expected to] be [certified|confirmed] by the "
        "electoral board [on {next_date}|within a week].",
        "[Turnout|Participation] in {district} [was|reached] [only|just] {runner_pct} percent, "
        "[the lowest|far below the town average] [in {town}|of any district].",
    ),
    quotes=(
        "{town} voted for change, and with {winner_pct} percent nobody can doubt it",
        "I called {p1} tonight to congratulate {p1_last} on a clear win",
        "Turnout of {turnout} percent shows that {town} cares about its future",
        "The {party} will now have to keep every promise it made in {district}",
        "We counted {postal} postal votes by hand and every one was checked twice",
        "The {rival_party} will be a strong opposition, starting on day one",
        "A margin of {margin} votes is a mandate, and I intend to use it",
        "Our volunteers knocked on doors from {street} to {district} all summer",
        "I will not leave politics in {town}, I will be on the council on {next_date}",
        "The first thing I will do is look at the budget line by line",
    ),
)


def _company_facts(rng: random.Random, base: dict[str, str]) -> dict[str, str]:
    return {
        "org": base["company"] + rng.choice([" Maritime", " Foods", " Electronics", " Pharma"]),
        "subject": rng.choice(
            [
                "job cuts at its {town} factory",
                "a new battery plant in {town}",
                "the sale of its {town} shipyard",
                "record quarterly profits",
                "a move of its head office to {town}",
            ]
        ).format_map(base),
        "jobs": _count(rng, 80, 2400),
        "revenue": _money(rng, 0.4, 12),
        "profit": _money(rng, 10, 900),
        "pct": str(rng.randint(3, 38)),
        "invest": _money(rng, 20, 700),
        "staff": _count(rng, 400, 9000),
        "quarter": rng.choice(["first", "second", "third", "fourth"]),
        "share_pct": f"{rng.uniform(1.5, 14):.1f}",
        "year_done": str(rng.randint(2026, 2031)),
    }


COMPANY = Topic(
    "company",
    _company_facts,
    titles=(
        "{org} announces {subject}",
        "{org} plans {subject}, unions react",
        "Shares in {org} move after news of {subject}",
        "{town} braces for {subject} at {org}",
        "{org} boss {p1_last} defends {subject}",
    ),
    leads=(
        "{org} [announced|unveiled] {subject} on {day}, [a decision that|a move that] "
        "[affects|will affect] [about|some] {jobs} [jobs|workers] in {town}.",
        "[The {town}-based|{town}'s largest employer,] {org}, said on {day} it [planned|was "
        "preparing] {subject}, [sending its shares|and its shares moved] {share_pct} percent.",
        "{p1}, [chief executive|head] of {org}, [confirmed|set out] {subject} [on {day}|in a "
        "statement on {day}], [citing|blaming] [weak demand|rising energy costs|new orders].",
        "[Workers|Staff] at {org} in {town} [learned|were told] on {day} of {subject}, "
        "[union officials said|according to union officials].",
        "{org} [reported|posted] {quarter}-quarter results on {day} and [announced|confirmed] "
        "{subject}, [surprising|catching out] [analysts|investors] in {region}.",
        "[Unions|Union leaders] in {town} [reacted angrily|protested] on {day} after {org} "
        "[announced|revealed] {subject}.",
    ),
    clauses=(
        "[Revenue|Sales] [rose|fell] {pct} percent to {revenue} billion crowns in the {quarter} "
        "quarter, [the company said|{org} said].",
        "{p2}, [who represents|the union representative for] [workers|staff] at the [plant|site], "
        "[called|described] the [decision|plan] [a betrayal|short-sighted] and [demanded|asked "
        "for] [talks|a meeting] [with management|within a week].",
        "The [company|group] [employs|has] [about|some] {staff} people [in {region}|worldwide], "
        "[most of them|many of them] in {town}.",
        "{org} [will invest|plans to spend] {invest} million crowns [over five years|by "
        "{year_done}], [{p1_last} said|according to the statement].",
        "[Net profit|Profit] [came in at|reached] {profit} million crowns, [compared with|against] "
        "[a loss|a smaller profit] [a year earlier|in {prev_year}].",
        "[Analysts|Market analysts] [such as|including] {p3} [said|noted] the [move|decision] "
        "[had been expected|came earlier than expected] [given|because of] [falling orders|high "
        "energy prices].",
        "The [regional government|{region} authorities] [said|promised] [it|they] would [help|"
        "support] [workers|those affected] [find new jobs|with retraining].",
        "Shares in {org} [closed|ended the day] {share_pct} percent [higher|lower] [on the "
        "{region} exchange|after the announcement].",
        "[The changes|The first steps] [are due to|will] [take effect|begin] [in {month}|next "
        "year], and the [process|plan] [should be|is to be] [complete|finished] by {year_done}.",
        "[The mayor of {town}|Local politicians] [urged|called on] {org} to [reconsider|think "
        "again] and [keep|protect] [jobs|skilled work] in the town.",
        "{org} [was founded|started] in {town} [more than|almost] a century ago [as|with] "
        "[a family workshop|a small shipyard|a fish cannery].",
        "[The company|{org}] [said|stressed] that [no decisions|nothing] had been [taken|made] "
        "[yet|so far] about [the other sites|its plants outside {town}].",
        "{p1} [told|informed] [analysts|investors] [on a call|at a briefing] that [demand|"
        "orders] [from abroad|in export markets] [had|has] [recovered|weakened] [since {month}|"
        "this year].",
        "[Suppliers|Smaller firms] [around|near] {town} [that|which] [depend on|rely on] {org} "
        "[fear|worry about] [knock-on effects|losing contracts].",
        "The [union|works council] [has called|called] a [meeting|rally] [of staff|of members] "
        "[outside the factory gates|in the canteen] [on {next_day}|for next week].",
        "[Under|According to] the [plan|proposal], [about|some] {pct} percent of the [jobs|roles] "
        "[would|will] [move|be transferred] to [other sites|a new plant].",
        "{org} [last|previously] [cut|shed] jobs in {prev_year}, [when|after] [a big order was "
        "cancelled|energy prices soared].",
        "[Economists|Observers] [said|warned] the [news|decision] [would|could] [hit|weigh on] "
        "[house prices|shops and restaurants] in {town}.",
        "[The|A] [site|plant] in {town} [opened|was built] in {prev_year} and [produces|makes] "
        "[most of|about half of] {org}'s [output|products] [for|in] {region}.",
        "[A|The] [works council|staff council] [said|complained] it [had|was] [only|not] "
        "[learned|informed] [of|about] {subject} [an hour before|on the morning of] the "
        "[announcement|press release].",
        "{org} [said|confirmed] [voluntary departures|early retirement] [would be|will be] "
        "[offered|tried] [first|before any layoffs] [to|for] [older staff|workers over 58].",
        "The [company's|group's] [debt|net debt] [stood|was] at {revenue} billion crowns at the "
        "end of the {quarter} quarter, [up|down] {pct} percent.",
        "[Analysts at|A bank analyst in] {neighbour} [raised|cut] [their|the] [price "
        "target|forecast] for {org} [after|following] the [news about|announcement of] {subject}.",
        "[Customers|Retailers] [in {region}|abroad] [account for|make up] [about|roughly] {pct} "
        "percent of {org}'s [sales|revenue], [the annual report shows|figures show].",
        "[Talks|Negotiations] between {org} and the [union|works council] [on|about] {subject} "
        "[are|were] [due to|set to] [start|begin] [on {next_date}|next month].",
        "{p1} [took over|became chief executive] [as chief executive|of {org}] in {prev_year} "
        "[after|following] [a career|years] [at|with] [a rival firm|the company's {neighbour} "
        "plant].",
    ),
    quotes=(
        "{Subject} is the hardest decision I have taken since joining {org}",
        "The {jobs} people affected will hear it from us first, not from the newspapers",
        "{org} made {profit} million crowns and still wants to cut jobs in {town}",
        "We are investing {invest} million crowns because we believe in {town}",
        "Demand in {region} is weak and we have to adapt before it is too late",
        "The union will fight for every one of the {jobs} jobs",
        "Without {org}, half the shops on {street} would have no customers",
        "This plan secures the future of the {town} site until at least {year_done}",
        "Investors wanted clarity on {subject}, and today they got it",
        "I worked at {org} for twenty years and I learned about this on the radio",
    ),
)


def _transport_facts(rng: random.Random, base: dict[str, str]) -> dict[str, str]:
    line = rng.choice(["the coastal line", "the {river} valley line", "the airport link"])
    return {
        "subject": rng.choice(["a strike by train drivers", "a walkout by tram staff"]),
        "line": line.format_map(base),
        "operator": rng.choice(["Nordrail", "Westmark Transit", "Regionbahn Calder"]),
        "union": rng.choice(["the drivers' union", "the transport workers' union"]),
        "cancelled": _count(rng, 60, 1400),
        "days": str(rng.randint(1, 5)),
        "pay_pct": f"{rng.uniform(3, 14):.1f}",
        "offer_pct": f"{rng.uniform(1.5, 6):.1f}",
        "passengers": _count(rng, 20000, 400000),
        "buses": str(rng.randint(20, 180)),
        "members": _count(rng, 800, 12000),
        "strike_no": rng.choice(["second", "third", "fourth"]),
        "loss": _money(rng, 0.4, 9),
        "pct_running": str(rng.randint(10, 45)),
    }


TRANSPORT = Topic(
    "transport",
    _transport_facts,
    titles=(
        "Travel chaos in {town} as {subject} begins",
        "{operator} cancels {cancelled} services over pay dispute",
        "{days}-day stoppage hits {line}",
        "Commuters stranded in {town} by {subject}",
        "{union} rejects {operator} pay offer",
    ),
    leads=(
        "[Commuters|Passengers] in {town} [faced|endured] [long delays|chaos] on {day} as "
        "{subject} [shut down|halted] [most services on|traffic on] {line}.",
        "{operator} [cancelled|called off] {cancelled} [trains|services] on {day} [because of|"
        "after] {subject} [over pay|in a dispute over pay].",
        "{union} [began|started] a {days}-day [strike|stoppage] on {day}, [the {strike_no} "
        "this year|its {strike_no} walkout since the spring], [halting|disrupting] {line}.",
        "[Talks|Negotiations] between {operator} and {union} [broke down|collapsed] [late on "
        "{day}|on {day}], [clearing the way|leaving the way open] for {subject}.",
        "[Stations|Platforms] in {town} [were|stood] [empty|almost deserted] on {day} as {subject} "
        "[brought|left] {line} [to a standstill|without service].",
        "[About|Roughly] {passengers} [passengers|travellers] [a day|daily] [were|are] [affected|"
        "hit] by {subject} [that began|which started] on {day} in {town}.",
    ),
    clauses=(
        "{union} [is demanding|wants] a pay rise of {pay_pct} percent, [while|but] {operator} "
        "[has offered|offers] {offer_pct} percent [over two years|for this year].",
        "{p1}, [a spokesperson for|speaking for] {operator}, [said|told reporters] {buses} "
        "[replacement buses|buses] [were|would be] [running|in service] [between {town} and "
        "{neighbour}|on the busiest routes].",
        "{p2}, [who leads|the head of] {union}, [said|warned] [members|drivers] [were|are] "
        "[ready|prepared] to [strike again|extend the action] [if|unless] [the offer|the company] "
        "[did not improve|improved].",
        "[About|Some] {members} [members|workers] [took part in|joined] the [strike|walkout], "
        "[the union said|according to {union}].",
        "[Roads|The ring road] [into|around] {town} [were|became] [jammed|congested] [as|with] "
        "[commuters|drivers] [switched to|turned to] [cars|their cars] [in the morning|early].",
        "{p3}, [a nurse|a teacher|an office worker] who [commutes|travels] [from {neighbour}|into "
        "{town}] [every day|daily], said the [journey|trip] [took|had taken] [three times|twice] "
        "as long.",
        "{operator} [estimates|said] [each|every] day of the strike [costs|cost] it [about|"
        "roughly] {loss} million crowns.",
        "[The transport ministry|The regional government] [urged|called on] [both sides|the "
        "union and the operator] to [return to|resume] [talks|negotiations] [immediately|without "
        "conditions].",
        "[Schools|Several schools] in {town} [allowed|let] [pupils|students] to [arrive late|"
        "study from home] [during the strike|for the duration of the strike].",
        "[The union|{union}] [says|argues] [drivers|staff] [have lost|lost] [purchasing power|"
        "ground] [since {prev_year}|after years of high inflation].",
        "[Freight trains|Goods trains] [were not|would not be] [affected|hit], {operator} said, "
        "[because|as] [they use|freight uses] [separate crews|other staff].",
        "[A mediator|An arbitrator] [could|may] be [appointed|called in] [if|should] [talks|the "
        "talks] [fail again|remain stuck], [officials said|the ministry said].",
        "[Businesses|Shops and cafes] near the [station|central station] in {town} [reported|"
        "said they had] [fewer customers|a sharp drop in trade] [on {day}|during the stoppage].",
        "The [last|previous] [strike|walkout] on {line}, in {prev_year}, [lasted|went on for] "
        "[a week|nine days] [before|until] [a deal was reached|the sides agreed].",
        "{operator} [advised|asked] [passengers|travellers] to [check|look at] [its website|the "
        "timetable] [before travelling|before setting off] [on {next_day}|until the end of the "
        "week].",
        "[Services|Trains] [are expected|should] to [return to normal|resume] [on {next_day}|by "
        "{next_date}], [though|but] [delays|disruption] [may|could] [continue|last] [a day longer|"
        "into the weekend].",
        "[Taxi drivers|Bike rental firms] in {town} [reported|saw] [record|unusually high] "
        "[demand|business] [on the first day|during the strike].",
        "[Opposition politicians|Critics] [said|argued] the [government|region] [should have|"
        "could have] [intervened|stepped in] [earlier|weeks ago].",
        "[At|On] {town} central station, [departure boards|screens] [showed|listed] [only|just] "
        "[a handful of|three] [trains|services] [for|before] [the morning|midday] [on {day}|].",
        "{operator} [said|confirmed] [about|roughly] {pct_running} percent of [services|trains] "
        "on {line} [ran|were running] [on {day}|during the first day].",
        "[The strike|The stoppage] [is|was] [the {strike_no}|{union}'s {strike_no}] "
        "[on|affecting] {line} [this year|since {month}].",
        "[Members|Drivers] [of|in] {union} [voted|had voted] [by a large majority|overwhelmingly] "
        "[for|in favour of] [strikes|industrial action] [in|during] {month}.",
        "[Park-and-ride sites|Car parks] [at|near] [the edge of {town}|{neighbour} station] "
        "[were|filled up] [full|completely] [by 7 a.m.|before seven in the morning].",
        "[Hospitals|The hospital] in {town} [arranged|organised] [minibuses|car sharing] [for|so "
        "that] [staff|nurses and doctors] [from {neighbour}|could get to work].",
        "[Ticket holders|Season ticket holders] [will|can] [get|claim] [refunds|compensation] "
        "[for|on] [cancelled trains|the strike days], {operator} said.",
        "The [union|{union}] [has|had] [offered|proposed] [to|that] [suspend|call off] the "
        "[strike|action] [if|should] {operator} [improved|raise] its offer above {offer_pct} "
        "percent.",
    ),
    quotes=(
        "A rise of {pay_pct} percent is not greedy, it is what {union} members lost to inflation",
        "{operator} has offered {offer_pct} percent and that offer is fair",
        "My train from {neighbour} was cancelled and the bus took two hours",
        "Each day of this strike costs {operator} {loss} million crowns",
        "We ran {buses} buses, but {line} carries far more people than that",
        "The members of {union} did not take this decision lightly",
        "Talks can resume tomorrow morning in {town} if {operator} is serious",
        "I am a nurse in {town} and I had to sleep at the hospital",
        "{passengers} passengers a day depend on {line}, and we know that",
        "If nothing moves, {union} will announce new dates before {next_date}",
    ),
)


def _sports_facts(rng: random.Random, base: dict[str, str]) -> dict[str, str]:
    home, away = rng.randint(0, 5), rng.randint(0, 4)
    return {
        "team": rng.choice(["{town} Rovers", "FC {town}", "{town} Athletic"]).format_map(base),
        "rival": rng.choice(
            ["{neighbour} United", "Sporting {neighbour}", "{neighbour} City"]
        ).format_map(base),
        "subject": rng.choice(["the league match", "the cup tie", "the derby"]),
        "score": f"{home}-{away}",
        "goals": str(home),
        "minute": _ordinal(rng.randint(5, 89)),
        "minute2": _ordinal(rng.randint(46, 93)),
        "crowd": _count(rng, 1200, 28000),
        "position": rng.choice(["second", "third", "fifth", "seventh", "tenth", "twelfth"]),
        "points": str(rng.randint(9, 61)),
        "games": str(rng.randint(3, 14)),
        "weeks": str(rng.randint(2, 10)),
        "fee": _money(rng, 0.2, 6),
    }


SPORTS = Topic(
    "sports",
    _sports_facts,
    titles=(
        "{team} and {rival} finish {score}",
        "{p2} scores as {team} meet {rival}",
        "{team} coach {p1_last} reacts to {score} result",
        "{score}: {team} against {rival} in front of {crowd}",
        "{team} move to {position} after {subject}",
    ),
    leads=(
        "{team} [and|played] {rival} [drew|finished|ended] {score} in {subject} in {town} on "
        "{day}, [with|after] {p2} [scoring|finding the net] in the {minute} minute.",
        "[A crowd of|In front of] {crowd} [fans|spectators] [watched|saw] {team} [face|take on] "
        "{rival} in {subject} on {day}, [a game that ended|which finished] {score}.",
        "{p2} [scored|struck] in the {minute} minute [for|as] {team} [met|faced] {rival} on "
        "{day}, [the match finishing|with the final score] {score}.",
        "{team} [are|sit] {position} in the table after {subject} against {rival} on {day} "
        "[ended|finished] {score}.",
        "Coach {p1} [said|admitted] [his|the] team [had|still had] [much to improve|work to do] "
        "after {team} [and|played] {rival} [finished|ended] {score} on {day}.",
        "{subject} between {team} and {rival} on {day} [ended|finished] {score}, [leaving|which "
        "leaves] {team} {position} [with|on] {points} points.",
    ),
    clauses=(
        "{p2} [opened the scoring|scored first] in the {minute} minute [with a header|from a "
        "free kick|after a long run down the left].",
        "{team} [have|now have] {points} points from {games} [games|matches] [and|, and] [sit|"
        "are] {position} [in the league|in the table].",
        "[The visitors|{rival}] [replied|answered] in the {minute2} minute [through|with a goal "
        "from] [a substitute|their captain] [after a mistake in defence|from close range].",
        "Coach {p1} [praised|criticised] [the defence|his players|the team's attitude] [after the "
        "game|at the press conference], [saying|and said] [the result|the performance] [was|had "
        "been] [deserved|not good enough].",
        "[The crowd|Attendance] of {crowd} was [the biggest|the largest] at the [ground|stadium] "
        "[this season|since {prev_year}].",
        "{p3}, [coach of|who coaches] {rival}, [said|complained] the [referee|officials] "
        "[had missed|should have given] a [penalty|foul] [before half-time|late in the game].",
        "{p2}, [who joined|signed] from {neighbour} [in the summer|last year] for a fee of {fee} "
        "million crowns, [has now scored|now has] [five|six|seven] [goals|league goals] [this "
        "season|in {games} games].",
        "[A defender|The goalkeeper] of {team} [was taken off|limped off] [with a knee injury|"
        "injured] [in the first half|after an hour] and [could miss|may be out for] {weeks} weeks.",
        "[Rain|Heavy rain] [fell|poured] [throughout|for most of] the [match|second half], "
        "[making|leaving] the [pitch|surface] [heavy|slippery].",
        "{team} [play|travel to] [their next match|the next game] [on {next_day}|next weekend] "
        "[away at|against] [the league leaders|a team from {region}].",
        "[Police said|Stewards reported] [the derby|the match] [passed off|went] [peacefully|"
        "without trouble], [apart from|except for] [a few flares|some scuffles] [outside the "
        "ground|after the final whistle].",
        "[Both|The two] [teams|sides] [had|hit] [the woodwork|the post] [once|twice] [in a lively|"
        "in an open] [second half|first half].",
        "The [club|board] of {team} [confirmed|said] [on {day}|after the game] that {p1}'s "
        "contract [would|will] [run|be extended] until {next_year}.",
        "[Young|Teenage] [forward|midfielder] [from the club's academy|born in {town}] [made|"
        "played] [his|a] [debut|first start] [as a late substitute|in the second half].",
        "{rival} [have|had] [not won|lost] [in|their last] {games} [away games|matches] [before "
        "the trip to {town}|going into the game].",
        "[Ticket prices|Season ticket sales] at {team} [rose|have risen] [this season|since "
        "{prev_year}], [angering|frustrating] [some supporters|the fans' association].",
        "[The referee|Officials] [showed|handed out] [five|six|seven] yellow cards [and one red|"
        "in a bad-tempered match].",
        "{team} [last|previously] [won|lifted] a [trophy|cup] in {prev_year}, [when|and] "
        "[the club|{town}] [celebrated|held a parade] [for days|in the main square].",
        "[The|A] [home|visiting] [side|team] [had|] [not|never] [lost|been beaten] at [the|their] "
        "[ground|stadium] in {town} since {prev_year}.",
        "{p2}'s [goal|strike] in the {minute} minute [was|came] [his|the] [first|second] "
        "[since|after] [returning from injury|a spell on the bench] [in {month}|this season].",
        "[Fans|Supporters] of {rival} [brought|displayed] [a large banner|flags] "
        "[about|honouring] [their|a former] [coach|player] [before kick-off|at half-time].",
        "{team} [have|now have] {points} points, [the same as|one more than|two fewer than] [the "
        "team|the club] [in|just below them in] [the table|the standings].",
        "[The|A] [linesman|referee's assistant] [was|had been] [hit|struck] by [a coin|a bottle] "
        "[thrown|from] [from the away end|the crowd], [and play was stopped|stopping play] for "
        "[four|six] minutes.",
        "{p3} [brought on|sent on] [two|three] substitutes [after|at] [the hour|the break], "
        "[switching to|changing to] [a back three|three at the back].",
        "[Tickets|All tickets] for [the game|{subject}] [had|] [sold out|been sold] [within|in] "
        "[a day|two days], [the club said|{team} said].",
        "The [next|return] [meeting|game] between {team} and {rival} [is|will be] [on|played on] "
        "{next_date} in {neighbour}.",
    ),
    quotes=(
        "We created enough chances against {rival} to win two games",
        "{crowd} people came to watch us and they deserved a better first half",
        "That was a clear penalty, everybody in {town} saw it except the referee",
        "I am proud of how {team} reacted after the {minute} minute",
        "We sit {position} with {points} points, and our goal has not changed",
        "Playing {rival} is never easy, especially in {town}",
        "{p2_last} has worked hard for this goal since {month}",
        "The pitch in {town} was heavy, but it was the same for both teams",
        "We go to the next game on {next_day} with confidence",
        "My players gave everything against {rival}, I cannot ask for more",
    ),
)

TOPICS = (COUNCIL, FIRE, COURT, STORM, ELECTION, COMPANY, TRANSPORT, SPORTS)


# --------------------------------------------------------------------------------------------
# Composition.

_ALTERNATIVES = re.compile(r"\[([^\[\]]*)\]")
_SPACES = re.compile(r"\s+")


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def _expand(template: str, facts: dict[str, str], rng: random.Random) -> str:
    """Choose one alternative of every [a|b] group, innermost first, then fill in the facts."""
    while "[" in template:
        template = _ALTERNATIVES.sub(lambda m: rng.choice(m.group(1).split("|")), template)
    text = _SPACES.sub(" ", template.format_map(facts)).replace(" ,", ",").strip()
    return _capitalised(text)


def _person(rng: random.Random) -> tuple[str, str]:
    last = rng.choice(SURNAME_HEADS) + rng.choice(SURNAME_TAILS)
    return f"{rng.choice(FIRST_NAMES)} {last}", last


def _town(rng: random.Random) -> str:
    return rng.choice(TOWN_HEADS) + rng.choice(TOWN_TAILS)


def _cluster_facts(rng: random.Random) -> dict[str, str]:
    """Facts shared by a story and its sibling: the place, the people, the date."""
    town = _town(rng)
    neighbour = next(t for t in iter(lambda: _town(rng), None) if t != town)
    day_index = rng.randrange(7)
    facts = {
        "town": town,
        "neighbour": neighbour,
        "region": rng.choice(REGIONS),
        "river": rng.choice(RIVERS),
        "street": rng.choice(SURNAME_HEADS) + rng.choice([" Street", " Road", " Lane", "gate"]),
        "district": rng.choice(TOWN_HEADS) + rng.choice(["bank", "hill", "moor", "field"]),
        "company": rng.choice(SURNAME_HEADS) + rng.choice(SURNAME_TAILS),
        "day": WEEKDAYS[day_index],
        "next_day": WEEKDAYS[(day_index + 1) % 7],
        "month": rng.choice(MONTHS),
        "next_date": f"{rng.randint(1, 28)} {rng.choice(MONTHS)}",
        "prev_year": str(rng.randint(1998, 2022)),
        "next_year": str(rng.randint(2026, 2030)),
    }
    for n in (1, 2, 3):
        facts[f"p{n}"], facts[f"p{n}_last"] = _person(rng)
    return facts


def _story_facts(topic: Topic, cluster: dict[str, str], rng: random.Random) -> dict[str, str]:
    facts = {**cluster, **topic.facts(rng, cluster)}
    facts.update({_capitalised(k): _capitalised(v) for k, v in list(facts.items())})
    facts["TOWN"] = cluster["town"].upper()
    return facts


class _Pool:
    """Templates drawn without replacement; reshuffled and reused only when all are spent."""

    def __init__(self, templates: list[str], rng: random.Random) -> None:
        self.templates, self.rng, self.left = templates, rng, list(templates)

    def draw(self) -> str:
        if not self.left:
            self.left = list(self.templates)
            self.rng.shuffle(self.left)
        return self.left.pop()


def _partition(topic: Topic, rng: random.Random) -> tuple[dict[str, list[str]], ...]:
    """Split the topic's templates so that a story and its sibling never share one."""
    parts: tuple[dict[str, list[str]], dict[str, list[str]]] = ({}, {})
    for kind in ("titles", "leads", "quotes"):
        items = list(getattr(topic, kind))
        rng.shuffle(items)
        half = len(items) // 2
        parts[0][kind], parts[1][kind] = items[:half], items[half:]
    clauses = list(topic.clauses)
    rng.shuffle(clauses)
    body, extra = len(clauses) * 3 // 10, len(clauses) // 5
    parts[0]["clauses"], parts[0]["extra"] = clauses[:body], clauses[body : body + extra]
    rest = clauses[body + extra :]
    parts[1]["clauses"], parts[1]["extra"] = rest[:body], rest[body:]
    return parts


def _quote_sentence(facts: dict[str, str], quote: str, rng: random.Random) -> str:
    n = rng.choice("123")
    speaker = rng.choice([facts[f"p{n}"], facts[f"p{n}_last"]])
    frame = rng.choice(
        [
            '"{quote}," said {speaker}.',
            '"{quote}," {speaker} [told reporters|said on {day}|added].',
            '{speaker} said: "{quote}."',
        ]
    )
    return _expand(frame, {**facts, "quote": _expand(quote, facts, rng), "speaker": speaker}, rng)


def _clause_paragraph(pool: _Pool, facts: dict[str, str], rng: random.Random) -> str:
    count = rng.choice((1, 2, 2, 3))
    return " ".join(_expand(pool.draw(), facts, rng) for _ in range(count))


def _body(parts: dict[str, list[str]], facts: dict[str, str], rng: random.Random) -> list[str]:
    clauses, quotes = _Pool(parts["clauses"], rng), _Pool(parts["quotes"], rng)
    paragraphs = []
    for _ in range(rng.randint(4, 8)):
        if rng.random() < 0.3:
            text = _quote_sentence(facts, quotes.draw(), rng)
            if rng.random() < 0.5:
                text += " " + _expand(clauses.draw(), facts, rng)
            paragraphs.append(text)
        else:
            paragraphs.append(_clause_paragraph(clauses, facts, rng))
    return paragraphs


def _lead(template: str, facts: dict[str, str], rng: random.Random, dateline: bool) -> str:
    sentence = _expand(template, facts, rng)
    return f"{facts['TOWN']} ({facts['agency']}) - {sentence}" if dateline else sentence


def _compose(
    story_id: str,
    topic: Topic,
    facts: dict[str, str],
    parts: dict[str, list[str]],
    published: datetime,
    rng: random.Random,
) -> Story:
    titles, leads = list(parts["titles"]), list(parts["leads"])
    paragraphs = [_lead(leads.pop(), facts, rng, dateline=True), *_body(parts, facts, rng)]
    reporter, editor = _person(rng)[0], _person(rng)[0]
    credit = f"(Reporting by {reporter}; editing by {editor})"
    return Story(
        story_id=story_id,
        topic=topic.name,
        facts=facts,
        title=_expand(titles.pop(), facts, rng),
        paragraphs=paragraphs,
        spare_titles=titles,
        spare_leads=leads,
        spare_clauses=parts["extra"],
        published=published,
        agency=facts["agency"],
        credit=credit,
    )


def base_story(seed: int, index: int) -> Story:
    """Compose base story ``index`` of the corpus for ``seed``; its sibling templates are kept."""
    rng = random.Random(f"{seed}-story-{index}")
    topic = TOPICS[index % len(TOPICS)]
    cluster = {**_cluster_facts(rng), "agency": rng.choice(AGENCIES)}
    mine, sibling = _partition(topic, rng)
    facts = _story_facts(topic, cluster, rng)
    published = EPOCH + timedelta(hours=index * 7 + rng.randint(0, 6))
    story = _compose(f"{seed}-s{index:03d}", topic, facts, mine, published, rng)
    story.sibling_pool = sibling
    return story


def sibling_story(story: Story, seed: int) -> Story:
    """A distinct story of the same topic, town and people, from the sibling templates."""
    rng = random.Random(f"{seed}-sibling-{story.story_id}")
    topic = next(t for t in TOPICS if t.name == story.topic)
    cluster = {k: v for k, v in story.facts.items() if k in _CLUSTER_KEYS}
    facts = _story_facts(topic, cluster, rng)
    for _ in range(20):
        if facts["subject"] != story.facts["subject"]:
            break
        facts = _story_facts(topic, cluster, rng)
    published = story.published + timedelta(minutes=rng.randint(-300, 600))
    return _compose(story.story_id + "b", topic, facts, story.sibling_pool, published, rng)


_CLUSTER_KEYS = frozenset(
    [
        "town",
        "neighbour",
        "region",
        "river",
        "street",
        "district",
        "company",
        "day",
        "next_day",
        "month",
        "next_date",
        "prev_year",
        "next_year",
        "p1",
        "p1_last",
        "p2",
        "p2_last",
        "p3",
        "p3_last",
        "agency",
    ]
)


# --------------------------------------------------------------------------------------------
# Articles and edits.


def _agency_lines(story: Story) -> tuple[list[str], list[str]]:
    return [], [story.credit, f"Copyright 2025 {story.agency}. All rights reserved."]


def _outlet_lines(outlet: int, story: Story, rng: random.Random) -> tuple[list[str], list[str]]:
    _, header, footer = OUTLETS[outlet]
    fill = {"section": rng.choice(SECTIONS), "day": story.facts["day"]}
    return [h.format_map(fill) for h in header], [f.format_map(fill) for f in footer]


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60]


def _article(story: Story, key: str, kind: str, title: str, body: list[str]) -> Article:
    head, foot = _agency_lines(story)
    text = "\n\n".join([*head, title, *body, "\n".join(foot)])
    url = f"https://{_slug(story.agency)}.example/{story.story_id}/{_slug(title)}"
    return Article(key, story.story_id, url, story.agency, title, text, kind, (), story.published)


def original(story: Story) -> Article:
    """The agency's own article for ``story``."""
    kind = "sibling" if story.story_id.endswith("b") else "original"
    return _article(story, story.story_id + "-orig", kind, story.title, story.paragraphs)


def wire_copy(story: Story, edits: tuple[str, ...], seed: int, number: int = 0) -> Article:
    """Republish ``story`` through an outlet, applying exactly ``edits`` (a subset of EDITS)."""
    unknown = set(edits) - set(EDITS)
    if unknown:
        raise ValueError(f"unknown edits {sorted(unknown)}; expected some of {EDITS}")
    rng = random.Random(f"{seed}-copy-{story.story_id}-{number}")
    outlet = rng.randrange(len(OUTLETS))
    title, body = story.title, list(story.paragraphs)
    if "headline" in edits:
        title = _expand(rng.choice(story.spare_titles), story.facts, rng)
    if "first_paragraph" in edits:
        body[0] = _lead(rng.choice(story.spare_leads), story.facts, rng, rng.random() < 0.5)
    if "remove_last" in edits:
        body = body[: len(body) - rng.randint(1, min(2, len(body) - 3))]
    if "add_last" in edits:
        pool = _Pool(story.spare_clauses, rng)
        body += [_clause_paragraph(pool, story.facts, rng) for _ in range(rng.randint(1, 2))]
    head, foot = _agency_lines(story)
    if "boilerplate" in edits:
        head, foot = _outlet_lines(outlet, story, rng)
    text = "\n\n".join([*head, title, *body, "\n".join(foot)])
    if "typography" in edits:
        text = _typography(text, rng)
    name = OUTLETS[outlet][0]
    published = story.published + timedelta(minutes=rng.randint(5, 36 * 60))
    return Article(
        key=f"{story.story_id}-c{number}",
        story=story.story_id,
        url=f"https://{_slug(name)}.example/{_slug(title)}-{rng.randrange(10**6)}",
        outlet=name,
        title=title,
        text=text,
        kind="copy",
        edits=tuple(e for e in EDITS if e in edits),
        published=published,
    )


def _curly_quotes(text: str, rng: random.Random) -> str:
    text = re.sub(r'"([^"]*)"', "\u201c\\1\u201d", text)
    return text.replace("'", "\u2019")


def _dashes(text: str, rng: random.Random) -> str:
    return text.replace(" - ", rng.choice([" \u2014 ", "\u2014", " \u2013 "]))


def _ligatures(text: str, rng: random.Random) -> str:
    return re.sub(r"f[il]", lambda m: {"fi": "\ufb01", "fl": "\ufb02"}[m.group()], text)


def _invisible(text: str, rng: random.Random) -> str:
    words = text.split(" ")
    for i in rng.sample(range(len(words)), k=min(8, len(words))):
        if len(words[i]) > 7:
            cut = len(words[i]) // 2
            words[i] = words[i][:cut] + rng.choice(["\u00ad", "\u200b"]) + words[i][cut:]
    return " ".join(words)


def _spacing(text: str, rng: random.Random) -> str:
    text = re.sub(r"(\d) (percent|million|billion)", "\\1\u00a0\\2", text)
    return text.replace(". ", rng.choice([".  ", ". ", ".\u00a0"]))


def _digit_groups(text: str, rng: random.Random) -> str:
    return re.sub(r"(\d),(\d{3})", rng.choice(["\\1\u202f\\2", "\\1.\\2", "\\1\\2"]), text)


def _shouting_title(text: str, rng: random.Random) -> str:
    lines = text.split("\n\n")
    return "\n\n".join([line.upper() for line in lines[:2]] + lines[2:])


def _full_width(text: str, rng: random.Random) -> str:
    return re.sub(r"\b(\d{2})\b", lambda m: m.group().translate(_FULL_WIDTH), text, count=2)


_FULL_WIDTH = str.maketrans(
    "0123456789", "\uff10\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18\uff19"
)
_TYPOGRAPHY = (
    _dashes,
    _ligatures,
    _invisible,
    _spacing,
    _digit_groups,
    _shouting_title,
    _full_width,
)


def _typography(text: str, rng: random.Random) -> str:
    """Curly quotes always, and a random half of the other typographic changes."""
    text = _curly_quotes(text, rng)
    for change in _TYPOGRAPHY:
        if rng.random() < 0.5:
            text = change(text, rng)
    return text


def _random_edits(rng: random.Random) -> tuple[str, ...]:
    edits = tuple(e for e in EDITS if rng.random() < 0.5)
    return edits or (rng.choice(EDITS),)


def _cluster(story: Story, copies: int, seed: int) -> list[Article]:
    rng = random.Random(f"{seed}-edits-{story.story_id}")
    made = [original(story)]
    made += [wire_copy(story, _random_edits(rng), seed, n) for n in range(copies)]
    return made


def labelled_set(
    seed: int, stories: int = 60, copies: int = 6, sibling_copies: int = 2
) -> list[Article]:
    """The labelled set for ``seed``: base stories, wire copies, siblings and their copies.

    With the defaults: 60 stories x (1 + 6) + 60 siblings x (1 + 2) = 600 articles, ordered by
    publication time.
    """
    articles: list[Article] = []
    for index in range(stories):
        story = base_story(seed, index)
        articles += _cluster(story, copies, seed)
        articles += _cluster(sibling_story(story, seed), sibling_copies, seed)
    return sorted(articles, key=lambda a: (a.published, a.key))


def bulk_articles(count: int, seed: int = 1, per_day: int = 20_000) -> Iterator[Article]:
    """Yield ``count`` articles for throughput runs: new stories, each with 0 to 3 copies.

    Publication times are spread evenly, ``per_day`` articles a day, oldest first.
    """
    rng = random.Random(f"{seed}-bulk")
    index = made = 0
    while made < count:
        story = base_story(seed, 1_000_000 + index)
        cluster = [original(story)]
        cluster += [wire_copy(story, _random_edits(rng), seed, n) for n in range(rng.randint(0, 3))]
        for article in cluster[: count - made]:
            when = EPOCH + timedelta(days=made / per_day)
            yield replace(article, published=when)
            made += 1
        index += 1


# --------------------------------------------------------------------------------------------
# Scoring, shared by bench/dedupe.py and the quality gate in tests/dedupe/.


@dataclass(frozen=True)
class Scores:
    """Pairwise precision and recall of "same story" against the ground truth."""

    true_pairs: int
    predicted_pairs: int
    correct_pairs: int

    @property
    def precision(self) -> float:
        """Share of the pairs predicted same that are the same story."""
        return self.correct_pairs / self.predicted_pairs if self.predicted_pairs else 1.0

    @property
    def recall(self) -> float:
        """Share of the same-story pairs that were predicted same."""
        return self.correct_pairs / self.true_pairs if self.true_pairs else 1.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


def _pairs(sizes: Iterator[int]) -> int:
    return sum(n * (n - 1) // 2 for n in sizes)


def score_groups(articles: list[Article], groups: list[str]) -> Scores:
    """Score a grouping (one predicted group label per article) on all pairs of articles."""
    truth = Counter(a.story for a in articles)
    predicted = Counter(groups)
    both = Counter(zip((a.story for a in articles), groups, strict=True))
    return Scores(
        _pairs(iter(truth.values())), _pairs(iter(predicted.values())), _pairs(iter(both.values()))
    )


def score_pairs(articles: list[Article], same: Callable[[int, int], bool]) -> Scores:
    """Score a pairwise decision ``same(i, j)`` on every pair of articles."""
    true = predicted = correct = 0
    for i in range(len(articles)):
        for j in range(i + 1, len(articles)):
            truly = articles[i].story == articles[j].story
            guess = same(i, j)
            true += truly
            predicted += guess
            correct += truly and guess
    return Scores(true, predicted, correct)


def group_with_index(articles: list[Article], *, verify: bool = True) -> list[str]:
    """Feed the articles, oldest first, through a DedupeIndex as the pipeline would.

    An article that matches joins the group of the article it matched; otherwise it starts a
    group. ``verify`` gives the index the stored texts, for estimates too close to call.
    """
    from newsrelay.dedupe import DedupeIndex, Signature

    texts = {a.key: a.text for a in articles}
    index = DedupeIndex(texts=texts.get if verify else None)
    group: dict[str, str] = {}
    for article in sorted(articles, key=lambda a: (a.published, a.key)):
        signature = Signature.of_text(article.text)
        found = index.match(signature, when=article.published, key=article.key, text=article.text)
        group[article.key] = group[found.key] if found else article.key
        index.add(article.key, signature, article.published)
    return [group[a.key] for a in articles]
