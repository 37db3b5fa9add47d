"""Demo: anonymous, yet two-way. An anonymous reporter who kept a way back, with a conversation the hub has
started and they have answered; and a member of staff speaking up anonymously about a service, with a question
waiting for them. Each through the real services; the passphrase is printed with the demo sign-ins so the
reporter's side can be tried at /check-for-a-reply."""

from __future__ import annotations

from joinedup.accounts.models import Agency, User
from joinedup.followup.models import FollowUp
from joinedup.followup.services import follow_up_ask, follow_up_reply
from joinedup.harm.domain.intake import ReportInput
from joinedup.harm.services import harm_report_raise
from joinedup.incidents.domain.recording import IncidentInput, PerpetratorInput
from joinedup.incidents.services import public_report_submit

# Demo only: a real passphrase is chosen by the reporter, never printed, never stored but as a slow hash.
DEMO_PASSPHRASE = "green door morning tea"  # noqa: S105 — printed for the demo; demo_data refuses production
HUB_WORKER_EMAIL = "amara.osei@asc.eastmere.example"
HOUSING_WORKER_EMAIL = "chris.doyle@riversidehomes.example"


def load() -> int:
    """Two anonymous reports with a way back; returns how many conversations were made."""
    hub_worker = User.objects.filter(email=HUB_WORKER_EMAIL).first()
    housing_worker = User.objects.filter(email=HOUSING_WORKER_EMAIL).first()
    housing = Agency.objects.filter(slug="riverside-homes").first()
    if hub_worker is None or housing_worker is None or housing is None:
        return 0
    item = public_report_submit(
        data=IncidentInput(
            description="A group of lads on the estate keep calling me a psycho and spitting at me when I go to the "
            "shop. They filmed me last week and put it online. I don't want to give my name because my "
            "neighbour is one of their mums.",
            reported_by="self",
            anonymous=True,
            kinds=("verbal_abuse", "harassment", "online_abuse"),
            strands=("disability",),
            perceived_by=("victim",),
            perpetrators=(PerpetratorInput("neighbour", "Teenagers from the estate"),),
            location_kind="near_home",
            impacts=("fear", "stress"),
            happened_before="yes",
        ),
        identity={},
        passphrase=DEMO_PASSPHRASE,
    )
    if item.follow_up is None:
        return 0
    follow_up_ask(
        actor=hub_worker,
        follow_up=item.follow_up,
        text="Thank you for telling us. Are you safe at home at the moment? Is the video still online?",
    )
    follow_up_reply(follow_up=item.follow_up, text="I'm ok at home. The video is still up, on the estate's group page.")
    follow_up_ask(
        actor=hub_worker,
        follow_up=item.follow_up,
        text="We can ask for it to be taken down without naming you. Would you like us to? You can also give us "
        "your name on this page if you want someone to call you.",
    )
    concern = harm_report_raise(
        actor=None,
        data=ReportInput(
            reported_by="anonymous",
            description="On the supported housing scheme, night staff joke about residents' mental health in "
            "front of them and tell them nobody will believe them.",
            sources=("stigma_and_discrimination", "oppressive_cultures"),
            wants=("change", "investigation"),
            speaking_up=True,
        ),
        about_agency=housing,
        passphrase=DEMO_PASSPHRASE,
    )
    if concern.follow_up is None:
        return 1
    follow_up_ask(
        actor=housing_worker,
        follow_up=concern.follow_up,
        text="Thank you for raising this. Which scheme is it, and is it most nights or some shifts?",
    )
    return 2


def references() -> list[tuple[str, str]]:
    """The demo's follow-ups, to try the reporter's side: (what it is, reference)."""
    words = {"incident_report": "an anonymous report to the hub", "harm_report": "a concern raised anonymously"}
    return [(words.get(f.kind, f.kind), f.reference) for f in FollowUp.objects.order_by("created_at", "id")[:2]]
