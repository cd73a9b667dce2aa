"""Made-up words for generated cases: kinds of post, summaries, notes, places and recorders.

Its one job: give benchmarks/cases.py varied, plausible text, so case files
have the sizes and the mix of a real trust's folder (a benchmark on identical
tiny files would flatter every cache). Every person and school here is made
up; no real post is quoted. It never names a policy id that the shipped
policy does not have without being checked: cases.py keeps only the ids the
policy file in use defines.
"""

from __future__ import annotations

import random
from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    """A kind of post, how common it is, and what the school would tick for it."""

    name: str
    weight: int
    checklist: tuple[str, ...]
    considerations: tuple[str, ...]
    judgement_chance: float
    platforms: tuple[str, ...]
    posters: tuple[str, ...]
    summaries: tuple[str, ...]


_PARENTS = ("parent", "parent", "parent", "carer", "relative", "associated", "unknown")
_YEARS = ("Reception", "Year 1", "Year 2", "Year 3", "Year 4", "Year 5", "Year 6")
_TOPICS = ("homework", "the school trip", "lunchtime supervision", "the uniform rules", "the nativity play",
           "reading books", "the new phonics scheme", "sports day", "the after-school club", "parking at pick-up")

KINDS: tuple[Kind, ...] = (
    Kind("kind", 12, (), (), 0.0, ("facebook", "school_website", "instagram"), _PARENTS, (
        "A parent thanked the staff for {topic} and posted that their child in {year} loved it.",
        "A grandparent shared photographs from {topic} on the school's page and praised the {year} team.",
        "A carer posted that the office had been very helpful about {topic}.",
    )),
    Kind("complaint", 35, ("complaint",), ("wrong_channel", "private_discussion_better"), 0.0,
         ("whatsapp", "facebook", "twitter", "school_forum"), _PARENTS, (
             ("A parent wrote that the {year} policy on {topic} is a joke and the school never listens, "
              "and asked other parents to complain."),
             "A parent posted in the {year} group that {topic} was badly organised and that nobody answers emails.",
             "A carer complained publicly about {topic} instead of raising it with the class teacher.",
         )),
    Kind("defamatory", 18, ("staff_allegation", "defamatory"),
         ("wrong_channel", "private_discussion_better", "unjustified_harm", "reputational_impact"), 0.2,
         ("facebook", "twitter", "tiktok"), _PARENTS, (
             "A parent posted that a named member of staff has been taking money meant for {topic}.",
             "A relative claimed online that the {year} teacher lied to the governors about {topic}.",
         )),
    Kind("offensive", 15, ("offensive", "cyberbullying"), ("wrong_channel", "unjustified_harm"), 0.3,
         (), _PARENTS, (
             "Repeated posts mocking a {year} teaching assistant's appearance after {topic}.",
             "A parent called another parent names in the {year} group during an argument about {topic}.",
         )),
    Kind("children", 10, ("naming_children",), ("private_discussion_better",), 0.1,
         ("whatsapp", "facebook", "snapchat"), _PARENTS, (
             "A parent named a child in {year} as the one who keeps hitting people at {topic}.",
             "A post shared a photograph of {year} pupils at {topic} with their names.",
         )),
    Kind("threat", 6, ("threat_of_violence", "offensive"),
         ("wrong_channel", "private_discussion_better", "unjustified_harm", "reputational_impact"), 0.6,
         ("twitter", "facebook", "other"), _PARENTS, (
             "A pupil's uncle posted that a named teacher 'had better watch herself in the car park' after {topic}.",
             "Someone wrote that the {year} teacher 'needs sorting out' over {topic}.",
         )),
    Kind("racist", 4, ("racist", "offensive"), ("unjustified_harm", "reputational_impact"), 0.5,
         (), _PARENTS, (
             "A post about {topic} contained a racist remark about a family in {year}.",
         )),
)

LOCATIONS = (
    "Year 4 parents' WhatsApp group", "A public local community group", "The school's Friends Facebook page",
    "A reply under the school's post", "A village noticeboard group", "A parent's public profile",
    "The school's online forum", "A video comment thread", "Café Élan's community page",
)

NOTES = (
    "Spoke to the parent on the phone.",
    "Met the parent after school; asked for the post to be taken down.",
    "Parent said they will not remove it.",
    "Left a message; no reply yet.",
    "The chair of governors has been told.",
    "Letter sent by post and by email.",
    "Post gone after the letter.",
    "Screenshot taken before the post was deleted.",
    "The parent apologised and said it won't happen again.",
    "Discussed with the headteacher; we'll wait a week before the next step.",
)

RECORDERS = ("Mrs A Example", "Mr B Sample", "Ms C Placeholder", "Mrs D Fictional", "Mr E Madeup")


def summary_for(kind: Kind, rng: random.Random) -> str:
    """One summary of a post of this kind, with its details filled in."""
    return rng.choice(kind.summaries).format(topic=rng.choice(_TOPICS), year=rng.choice(_YEARS))


def evidence_note(rng: random.Random) -> str:
    """What a piece of evidence shows."""
    return rng.choice(("The post, before it could be deleted", "Screenshot of the comments",
                       "The post and the replies under it"))
