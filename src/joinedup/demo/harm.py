"""Demo harm reports: a realistic spread across the Eastmere agencies and the model's sources of harm, at every
stage of the restorative route. Made through the harm services, so every row is as the live service makes it."""

from __future__ import annotations

import random

from django.db.models import Q

from joinedup.accounts.models import Agency, User
from joinedup.harm.domain.intake import ReportInput
from joinedup.harm.domain.route import Step
from joinedup.harm.models import HarmReport
from joinedup.harm.services import harm_report_raise, harm_report_transition

# (agency slug or None for the pathway, what they said, sources, impacts, wants)
STORIES: list[tuple[str | None, str, tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = [
    (
        "eastmere-council-asc",
        "My assessment took eight months and every letter asked for the same forms again.",
        ("systems_and_bureaucracy",),
        ("stress", "financial_hardship"),
        ("explanation", "change"),
    ),
    (
        "eastmere-police",
        "When I reported the abuse the officer said it was probably my illness talking.",
        ("stigma_and_discrimination",),
        ("loss_of_trust", "disengaging_from_services"),
        ("apology", "change"),
    ),
    (
        "eastmere-mental-health",
        "Housing and the mental health team each said the other should help me, so nobody did.",
        ("fragmented_services",),
        ("mental_health_deterioration", "disempowerment"),
        ("investigation",),
    ),
    (
        "riverside-homes",
        "My support worker left and no one replaced her for four months. I stopped going out.",
        ("lack_of_support",),
        ("reduced_quality_of_life", "loss_of_independence"),
        ("change",),
    ),
    (
        "eastmere-hospitals",
        "I complained about being restrained and they closed ranks. Nobody would say what happened.",
        ("oppressive_cultures",),
        ("trauma", "fear"),
        ("explanation", "investigation"),
    ),
    (
        "castle-street-surgery",
        "The receptionist refused to book me in and said people like me waste appointments.",
        ("stigma_and_discrimination", "neglectful_frontline_practice"),
        ("psychological_distress",),
        ("apology",),
    ),
    (
        None,
        "I had to tell my story to six different services before anyone helped.",
        ("fragmented_services", "systems_and_bureaucracy"),
        ("stress", "trauma"),
        ("change",),
    ),
    (
        "eastmere-council-asc",
        "My care package was cut without anyone asking me, and my direct payment stopped.",
        ("lack_of_support", "systems_and_bureaucracy"),
        ("financial_hardship", "physical_health_deterioration"),
        ("explanation", "change"),
    ),
    (
        "eastmere-mental-health",
        "They threatened to section me if I complained again.",
        ("oppressive_cultures", "neglectful_frontline_practice"),
        ("fear", "suicidality"),
        ("investigation", "apology"),
    ),
]

PERSON_VIEWS = [
    "I felt listened to for the first time.",
    "They said sorry but nothing has changed yet.",
    "The meeting helped. I want to see the changes happen.",
]


def _responder(agency: Agency) -> User | None:
    return (
        User.objects.filter(is_active=True, memberships__agency=agency)
        .filter(Q(memberships__role="safeguarding_lead") | Q(memberships__role="practitioner"))
        .order_by("pk")
        .first()
    )


def load(*, count: int = 36, seed: int = 2026) -> int:
    """`count` reports spread across the stories. None names serious harm by staff: that would also record an
    incident, and the demo's incident figures are exactly what `--incidents` asks for."""
    rng = random.Random(seed)  # noqa: S311 — synthetic data, repeatable from its seed; not security
    agencies = {a.slug: a for a in Agency.objects.all()}
    made = 0
    for n in range(count):
        slug, words, sources, impacts, wants = STORIES[n % len(STORIES)]
        about = agencies.get(slug) if slug else None
        anonymous = rng.random() < 0.2
        report = harm_report_raise(
            actor=None,
            data=ReportInput(
                reported_by="anonymous" if anonymous else rng.choice(["person", "person", "advocate"]),
                description=words,
                sources=sources,
                impacts=impacts,
                wants=wants,
                contact_detail="" if anonymous else "By email, weekdays",
                update_cadence=rng.choice(["weekly", "fortnightly", "monthly"]),
                advocacy_wanted=rng.choice([True, False, None]),
            ),
            about_agency=about,
        )
        made += 1
        _move_along(report, rng)
    return made


def _move_along(report: HarmReport, rng: random.Random) -> None:
    responder = _responder(report.responder_agency)
    if responder is None:
        return
    stages = rng.choice([0, 1, 2, 3, 4, 5])
    steps = [
        Step("acknowledged", note="Thank you for telling us. We will look into it."),
        Step("investigating"),
        Step("responded", note="We are sorry. Here is what we found and what we will change.", minimisations=("6B",)),
        Step("restorative_meeting", note="Meeting with an independent advocate present"),
        Step(
            "closed",
            person_view=rng.choice(PERSON_VIEWS),
            minimisations=(rng.choice(["1", "2", "4", "5", "6A", "7", "8"]),),
        ),
    ]
    for step in steps[:stages]:
        report = harm_report_transition(actor=responder, report=report, step=step)
