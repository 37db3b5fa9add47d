"""The three doors' question pages, in order. Wording differs by journey: plain words (reading age about 9)
for people telling us themselves or for someone else; precise terms for practitioners. Nobody is asked to
use the words "hate crime"."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from joinedup.incidents.domain import vocabulary as v
from joinedup.incidents.domain.recording import IncidentInput, PerpetratorInput
from joinedup.incidents.questions import Page, Question
from joinedup.people.domain.validation import PersonDetails

PUBLIC = ("self", "third_party")
ANON_OPTIONS = (
    v.Term("yes", "Yes", "Yes"),
    v.Term("no", "No", "No — I want to stay anonymous", "No, or I would rather not say"),
)
INJURED = (v.Term("yes", "Yes", "Yes"), v.Term("no", "No", "No"), v.Term("unknown", "Not known", "I'm not sure"))
# Roughly is fine: most people do not know the date, and a person in distress should not have to work it out.
WHEN = (
    v.Term("today", "Today", "Today"),
    v.Term("yesterday", "Yesterday", "Yesterday"),
    v.Term("last_week", "In the last 7 days", "In the last 7 days"),
    v.Term("last_month", "In the last month", "In the last month"),
    v.Term("on_date", "On a date", "On a day I know"),
    v.Term("between", "Between two dates", "Between two dates"),
    v.Term("not_sure", "Not known", "Longer ago, or I'm not sure"),
)
RELATIVE_DAYS = {"today": 0, "yesterday": 1}
RELATIVE_SPANS = {"last_week": 7, "last_month": 31}


def _when_dates(answers: dict[str, Any], today: date) -> dict[str, Any]:
    """Turn "today", "yesterday" or "in the last 7 days" into dates on the day it was answered."""
    when = answers.get("when")
    if when in RELATIVE_DAYS:
        return {**answers, "on_date": (today - timedelta(days=RELATIVE_DAYS[when])).isoformat()}
    if when in RELATIVE_SPANS:
        start = today - timedelta(days=RELATIVE_SPANS[when])
        return {**answers, "from_date": start.isoformat(), "to_date": today.isoformat()}
    return answers


PROTECT = (
    v.Term("yes", "Yes", "Yes"),
    v.Term("no", "No", "No"),
    v.Term("unknown", "Not known", "I'm not sure"),
)
CONTACT_ME = (
    v.Term("them", "Contact the person", "Contact them"),
    v.Term("me", "Contact me instead", "Contact me instead"),
    v.Term("nobody", "Do not contact anyone", "Do not contact anyone"),
)


CONTACT_DETAILS = (
    Question("phone", "text", "Phone number", autocomplete="tel", input_classes="govuk-input--width-20"),
    Question("email", "text", "Email address", autocomplete="email"),
    Question("address", "textarea", "Address for letters or visits"),
    Question(
        "contact_notes",
        "textarea",
        "Anything we should know to keep contact safe?",
        hint="For example, do not leave voicemails, or only call after 6pm.",
    ),
)


def _has_name(answers: dict[str, Any]) -> bool:
    return answers.get("name", {}).get("give_name") == "yes"


PAGES: tuple[Page, ...] = (
    Page(
        slug="reporter",
        title="About you",
        journeys=("third_party",),
        questions=(
            Question(
                "reporter_name",
                "text",
                "Your name",
                hint="Leave this empty if you want to stay anonymous",
                autocomplete="name",
            ),
            Question(
                "reporter_relationship",
                "text",
                "How do you know the person?",
                hint="For example, friend, sister, neighbour, advocate, support worker",
            ),
            Question(
                "reporter_phone",
                "text",
                "Your phone number (optional)",
                autocomplete="tel",
                input_classes="govuk-input--width-20",
            ),
            Question("reporter_email", "text", "Your email address (optional)", autocomplete="email"),
            Question(
                "person_knows",
                "radios",
                "Does the person know you are telling us?",
                terms=v.YES_NO_UNKNOWN,
                required="Select if the person knows you are telling us",
            ),
        ),
    ),
    Page(
        slug="entry-point",
        title="Where did you meet the person?",
        journeys=("practitioner",),
        intro="This is your point of entry into the care pathway. It is set from your agency; change it if "
        "today was different.",
        questions=(
            Question("setting", "radios", "Setting", terms=v.SETTINGS, required="Select the setting"),
            Question(
                "need",
                "radios",
                "Were you seeing them about physical or mental health?",
                terms=v.NEEDS,
                required="Select physical or mental health",
            ),
        ),
    ),
    Page(
        slug="what-happened",
        title={
            "self": "Tell us what happened",
            "third_party": "Tell us what happened to them",
            "practitioner": "What happened, in the person's own words",
        },
        questions=(
            Question(
                "description",
                "textarea",
                {
                    "self": "Tell us what happened",
                    "third_party": "Tell us what happened to them",
                    "practitioner": "What happened, in the person's own words",
                },
                hint={
                    "self": "Use your own words. Write as much or as little as you like.",
                    "third_party": "Use your own words. Tell us what they told you, or what you saw.",
                    "practitioner": "Write down what they said, as they said it. Do not paraphrase or "
                    "label it — this is kept word for word.",
                },
                required={"default": "Tell us what happened", "practitioner": "Enter what the person said happened"},
                max_length=20_000,
            ),
        ),
    ),
    Page(
        slug="when",
        title={"default": "When did it happen?"},
        questions=(
            Question(
                "when",
                "radios",
                "When did it happen?",
                hint={
                    "default": "It is fine if you do not know exactly.",
                    "practitioner": "Approximate dates are fine.",
                },
                terms=WHEN,
                required={
                    "default": "Select when it happened, or 'Longer ago, or I'm not sure'",
                    "practitioner": "Select when it happened, or 'Not known'",
                },
                reveal={"on_date": ("on_date",), "between": ("from_date", "to_date")},
            ),
            Question(
                "on_date",
                "date",
                "Date it happened",
                hint="For example, 27 3 2026",
                required="Enter the date it happened",
                only_when={"when": "on_date"},
            ),
            Question("from_date", "date", "From", required="Enter the first date", only_when={"when": "between"}),
            Question("to_date", "date", "To", required="Enter the second date", only_when={"when": "between"}),
        ),
        derive=_when_dates,
    ),
    Page(
        slug="where",
        title="Where did it happen?",
        questions=(
            Question(
                "location_kind",
                "radios",
                "Where did it happen?",
                terms=v.LOCATIONS,
                required="Select where it happened",
            ),
        ),
    ),
    Page(
        slug="what-kind",
        later=True,
        title={"self": "What did they do?", "third_party": "What did they do?", "practitioner": "Kinds of harm"},
        questions=(
            Question(
                "kinds",
                "checkboxes",
                {"default": "What did they do?", "practitioner": "Kinds of harm"},
                hint="Select all that apply.",
                terms=v.KINDS,
                required="Select at least one thing that happened, or 'Something else'",
            ),
        ),
    ),
    Page(
        slug="why",
        title={
            "self": "Do you think it happened because of who you are?",
            "third_party": "Do you think it happened because of who they are?",
            "practitioner": "Perceived hostility",
        },
        questions=(
            Question(
                "strands",
                "checkboxes",
                {
                    "self": "Do you think it happened because of your mental health, or because of who you are?",
                    "third_party": "Do you think it happened because of their mental health, or because of who they "
                    "are?",
                    "practitioner": "Does anyone think it was because of who the person is? (perception is enough)",
                },
                hint={
                    "default": "Select all that apply. You can skip this.",
                    "practitioner": "Record any strand perceived by the person or anyone else. Mental ill "
                    "health counts as disability.",
                },
                terms=v.STRANDS,
                exclusive="none",
                exclusive_label={"default": "No, or I'm not sure", "practitioner": "No one has said so"},
                required={
                    "default": "Select an answer, or 'No, or I'm not sure'",
                    "practitioner": "Select the strands perceived, or 'No one has said so'",
                },
                optional_in=PUBLIC,
                reveal={"other": ("other_detail",)},
            ),
            Question(
                "other_detail",
                "text",
                "What else about them?",
                required="Say what else it was because of",
                only_when={"strands": "other"},
            ),
            Question(
                "perceived_by",
                "checkboxes",
                "Who thinks so?",
                hint="Select all that apply.",
                terms=v.PERCEIVED_BY,
                journeys=("practitioner",),
                required_if_any="strands",
                required="Select who thinks it was because of who the person is",
            ),
            Question(
                "person_agrees",
                "radios",
                "Does the person think so too?",
                terms=v.YES_NO_UNKNOWN,
                journeys=("third_party",),
            ),
        ),
    ),
    Page(
        slug="who",
        later=True,
        title={"self": "Who did it?", "third_party": "Who did it?", "practitioner": "Who harmed them"},
        questions=(
            Question(
                "relationships",
                "checkboxes",
                {
                    "self": "Who did it?",
                    "third_party": "Who did it?",
                    "practitioner": "Who harmed them? (relationship to the person)",
                },
                hint="Select all that apply.",
                terms=v.RELATIONSHIPS,
                required={
                    "default": "Select who did it, or 'I do not know who'",
                    "practitioner": "Select the relationship, or 'Not known'",
                },
            ),
            Question(
                "perpetrator_details",
                "textarea",
                {
                    "default": "Anything else you know about them (optional)",
                    "practitioner": "What is known about them (optional)",
                },
                hint="For example, a name, what they look like, or where they live.",
            ),
        ),
    ),
    Page(
        slug="hurt",
        later=True,
        title={"self": "Were you hurt?", "third_party": "Were they hurt?", "practitioner": "Injuries"},
        questions=(
            Question(
                "injured",
                "radios",
                {"self": "Were you hurt?", "third_party": "Were they hurt?", "practitioner": "Were they injured?"},
                terms=INJURED,
                required="Select yes, no or I'm not sure",
                reveal={"yes": ("injuries",)},
            ),
            Question(
                "injuries",
                "textarea",
                {"default": "Tell us about the injuries"},
                required="Tell us about the injuries",
                only_when={"injured": "yes"},
            ),
        ),
    ),
    Page(
        slug="impacts",
        later=True,
        title={
            "self": "How has it affected you?",
            "third_party": "How has it affected them?",
            "practitioner": "Impact on the person",
        },
        questions=(
            Question(
                "impacts",
                "checkboxes",
                {
                    "self": "How has it affected you?",
                    "third_party": "How has it affected them?",
                    "practitioner": "Impact on the person",
                },
                hint="Select all that apply. You can skip this.",
                terms=v.IMPACTS,
            ),
        ),
    ),
    Page(
        slug="before",
        later=True,
        title="Has this happened before?",
        questions=(
            Question(
                "happened_before",
                "radios",
                {
                    "self": "Has this happened to you before?",
                    "third_party": "Has this happened to them before?",
                    "practitioner": "Has this happened to them before?",
                },
                hint={
                    "default": "By the same person or by anyone else.",
                    "practitioner": "Repeat victimisation is common and easily missed.",
                },
                terms=v.YES_NO_UNKNOWN,
                required="Select yes, no or I'm not sure",
            ),
        ),
    ),
    Page(
        slug="police",
        later=True,
        title="Do the police know?",
        questions=(
            Question(
                "police_aware",
                "radios",
                "Do the police know about this?",
                terms=v.YES_NO_UNKNOWN,
                required="Select yes, no or I'm not sure",
            ),
        ),
    ),
    Page(
        slug="believed",
        later=True,
        title="Being believed",
        questions=(
            Question(
                "dismissed",
                "radios",
                {
                    "self": "Has anyone said it was because of your illness, or not believed you?",
                    "third_party": "Has anyone said it was because of their illness, or not believed them?",
                    "practitioner": "Has anyone dismissed it as a symptom of illness, or not believed them?",
                },
                hint={
                    "default": "This helps us make sure you are listened to.",
                    "practitioner": "Not being believed is a harm in itself; it is flagged for everyone.",
                },
                terms=v.YES_NO_UNKNOWN,
                required="Select yes, no or I'm not sure",
            ),
        ),
    ),
    Page(
        slug="support",
        later=True,
        title={
            "self": "Help and support",
            "third_party": "Help and support",
            "practitioner": "Care and support (Care Act s42 screen)",
        },
        questions=(
            Question(
                "has_needs",
                "radios",
                {
                    "self": "Do you get help because of your health, a disability or your age?",
                    "third_party": "Do they get help because of their health, a disability or their age?",
                    "practitioner": "Do they have needs for care and support (whether or not these are met)?",
                },
                hint={"default": "For example, from a support worker, carer or mental health team."},
                terms=v.YES_NO_UNKNOWN,
                required={
                    "default": "Select if they get help because of their health, a disability or age",
                    "self": "Select if you get help because of your health, a disability or your age",
                },
            ),
            Question(
                "can_protect",
                "radios",
                {
                    "self": "Can you keep yourself safe from this happening again?",
                    "third_party": "Can they keep themselves safe from this happening again?",
                    "practitioner": "Can they protect themselves from the abuse or the risk of it?",
                },
                terms=PROTECT,
                required={
                    "default": "Select if they can keep themselves safe",
                    "self": "Select if you can keep yourself safe",
                },
            ),
        ),
    ),
    Page(
        slug="safe-now",
        title={"self": "Are you safe right now?", "third_party": "Are they safe right now?"},
        journeys=PUBLIC,
        questions=(
            Question(
                "safety_now",
                "checkboxes",
                {"self": "Are you safe right now?", "third_party": "Are they safe right now?"},
                hint={
                    "self": "Tick any that are true for you now. This helps us know how fast to help.",
                    "third_party": "Tick any that are true for them now. This helps us know how fast to help.",
                },
                terms=v.SAFETY_NOW,
                exclusive="none",
                exclusive_label="None of these",
                required="Tick any that are true, or 'None of these'",
            ),
        ),
    ),
    Page(
        slug="wishes",
        title={
            "self": "What would you like to happen?",
            "third_party": "What would they like to happen?",
            "practitioner": "What the person wants to happen",
        },
        questions=(
            Question(
                "wanted_actions",
                "checkboxes",
                {
                    "self": "What would you like to happen?",
                    "third_party": "What would they like to happen?",
                    "practitioner": "What does the person want to happen?",
                },
                hint="Select all that apply.",
                terms=v.WANTED_ACTIONS,
                required={
                    "default": "Select at least one, or 'Nothing for now'",
                    "practitioner": "Select what they want, or 'Nothing for now'",
                },
            ),
            Question("wishes", "textarea", "In their own words (optional)", journeys=("practitioner",)),
        ),
    ),
    Page(
        slug="name",
        title={"self": "Your name", "third_party": "About the person"},
        journeys=PUBLIC,
        questions=(
            Question(
                "give_name",
                "radios",
                {"self": "Do you want to tell us your name?", "third_party": "Can you tell us who the person is?"},
                hint={
                    "self": "If you do not, we cannot contact you, but we will still read what you told "
                    "us and it will help make things safer.",
                    "third_party": "If you cannot, we will still read what you told us.",
                },
                terms=ANON_OPTIONS,
                required="Select yes or no",
                reveal={"yes": ("given_name", "family_name")},
            ),
            Question(
                "given_name",
                "text",
                "First name",
                autocomplete="given-name",
                required="Enter a first name",
                only_when={"give_name": "yes"},
            ),
            Question("family_name", "text", "Last name (optional)", autocomplete="family-name"),
        ),
    ),
    Page(
        slug="contact",
        title={"self": "How can we contact you safely?", "practitioner": "Safe contact"},
        journeys=("self", "practitioner"),
        skip_if=lambda answers: (
            (answers.get("_journey") == "self" and not _has_name(answers))
            or answers.get("person", {}).get("has_safe_contact", False)
        ),
        questions=(
            Question(
                "channels",
                "checkboxes",
                {"self": "How can we contact you safely?", "practitioner": "How may we contact them safely?"},
                hint={
                    "self": "Select all that are safe. Only choose ways that nobody else will see or hear.",
                    "practitioner": "Only channels the person says are safe.",
                },
                terms=v.CONTACT_CHANNELS,
                exclusive="none",
                exclusive_label={"self": "Do not contact me", "practitioner": "Do not contact them"},
                required="Select how we can contact safely, or 'Do not contact'",
                # Only the detail each chosen way needs, so nobody is asked for what will not be used.
                reveal={
                    "phone": ("phone",),
                    "text": ("text_phone",),
                    "email": ("email",),
                    "letter": ("address",),
                    "visit": ("visit_address",),
                },
            ),
            CONTACT_DETAILS[0],
            Question(
                "text_phone",
                "text",
                "Mobile number for texts",
                autocomplete="tel",
                input_classes="govuk-input--width-20",
            ),
            CONTACT_DETAILS[1],
            CONTACT_DETAILS[2],
            Question("visit_address", "textarea", "Address for visits"),
            CONTACT_DETAILS[3],
        ),
    ),
    Page(
        slug="contact-them",
        title="Who should we contact?",
        journeys=("third_party",),
        questions=(
            Question(
                "contact_whom",
                "radios",
                "Who should we contact?",
                terms=CONTACT_ME,
                hint="We will only contact someone if it is safe.",
                required="Select who we should contact",
                reveal={"them": ("channels", "phone", "email", "address", "contact_notes")},
            ),
            Question(
                "channels",
                "checkboxes",
                "How can we contact them safely?",
                hint="Select all that are safe. Only choose ways that nobody else will see or hear.",
                terms=v.CONTACT_CHANNELS,
                required="Select how we can contact them safely",
                only_when={"contact_whom": "them"},
            ),
            *CONTACT_DETAILS,
        ),
    ),
    Page(
        slug="communication",
        later=True,
        title="Help to talk to us",
        questions=(
            Question(
                "communication_needs",
                "textarea",
                {
                    "self": "Is there anything that would help you talk to us?",
                    "third_party": "Is there anything that would help them talk to us?",
                    "practitioner": "Communication needs and reasonable adjustments (optional)",
                },
                hint="For example, an interpreter, easy read, someone with you, or a quiet place.",
            ),
        ),
        skip_if=lambda answers: (
            (answers.get("_journey") == "self" and not _has_name(answers))
            or answers.get("person", {}).get("has_communication_needs", False)
        ),
    ),
)

PAGES += (
    Page(
        slug="about-person",
        later=True,
        title={"self": "More about you", "third_party": "More about them"},
        journeys=PUBLIC,
        skip_if=lambda answers: not _has_name(answers),
        intro={
            "self": "This helps us find any notes we already have about you. You can skip it.",
            "third_party": "This helps us find any notes we already have about them. You can skip it.",
        },
        questions=(
            Question(
                "date_of_birth",
                "date",
                {"self": "Your date of birth (optional)", "third_party": "Their date of birth (optional)"},
                hint="For example, 31 3 1980",
            ),
            Question(
                "postcode",
                "text",
                {"self": "Your postcode (optional)", "third_party": "Their postcode (optional)"},
                autocomplete="postal-code",
                input_classes="govuk-input--width-10",
            ),
        ),
    ),
    Page(
        slug="anything-else",
        later=True,
        title="Anything else",
        journeys=PUBLIC,
        questions=(
            Question(
                "wishes",
                "textarea",
                {
                    "self": "Is there anything else you want to tell us?",
                    "third_party": "Is there anything else you want to tell us about them?",
                },
                hint="You can skip this.",
            ),
        ),
    ),
)

PAGE_BY_SLUG = {page.slug: page for page in PAGES}


def pages_for(journey: str, answers: dict[str, Any], *, later: bool = False) -> list[Page]:
    """The pages of a journey, in order. For the public the journey is short (at most 12 questions); the
    `later` pages are the optional "tell us more" after sending. Practitioners are asked everything."""
    return [
        p
        for p in PAGES
        if p.applies(journey, {**answers, "_journey": journey}) and (journey == "practitioner" or p.later == later)
    ]


def _d(value: Any) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) and value else None


def _tri(value: Any) -> bool | None:
    return {"yes": True, "no": False}.get(value)


def incident_input(answers: dict[str, Any], journey: str) -> IncidentInput:
    a: dict[str, Any] = {}
    for step, page_answers in answers.items():
        if isinstance(page_answers, dict) and not step.startswith("_"):  # "_unsent": typed, not sent
            a.update(page_answers)
    strands = tuple(s for s in a.get("strands", []) if s != "none")
    perceived: tuple[str, ...]
    if journey == "self":
        perceived = ("victim",) if strands else ()
    elif journey == "third_party":
        perceived = (("other_person",) + (("victim",) if a.get("person_agrees") == "yes" else ())) if strands else ()
    else:
        perceived = tuple(a.get("perceived_by", []))
    when = a.get("when")
    relationships = a.get("relationships", [])
    details = a.get("perpetrator_details", "")
    perpetrators = tuple(PerpetratorInput(r, details if i == 0 else "") for i, r in enumerate(relationships))
    can_protect = a.get("can_protect", "unknown")
    reporter: dict[str, object] = {}
    if journey == "third_party":
        reporter = {
            "name": a.get("reporter_name", "").strip(),
            "relationship": a.get("reporter_relationship", "").strip(),
            "phone": a.get("reporter_phone", "").strip(),
            "email": a.get("reporter_email", "").strip(),
            "person_knows": a.get("person_knows", "unknown"),
            "contact": a.get("contact_whom", ""),
        }
    anonymous = journey != "practitioner" and a.get("give_name") == "no"
    return IncidentInput(
        description=a.get("description", ""),
        reported_by={"self": "self", "third_party": "third_party"}.get(journey, "practitioner"),
        anonymous=anonymous,
        entry_setting=a.get("setting", ""),
        entry_need=a.get("need", ""),
        occurred_on=_d(a.get("on_date")) if when in {"on_date", *RELATIVE_DAYS} else None,
        occurred_from=_d(a.get("from_date")) if when in {"between", *RELATIVE_SPANS} else None,
        occurred_to=_d(a.get("to_date")) if when in {"between", *RELATIVE_SPANS} else None,
        location_kind=a.get("location_kind", ""),
        kinds=tuple(a.get("kinds", [])),
        strands=strands,
        perceived_by=perceived,
        strand_other_detail=a.get("other_detail", "") if "other" in strands else "",
        perpetrators=perpetrators,
        injuries=a.get("injuries", "") if a.get("injured") == "yes" else "",
        impacts=tuple(a.get("impacts", [])),
        happened_before=a.get("happened_before", "unknown"),
        police_aware=_tri(a.get("police_aware")),
        dismissed_as_symptom=_tri(a.get("dismissed")),
        care_has_needs=a.get("has_needs", "unknown"),
        care_unable_to_protect_self={"yes": "no", "no": "yes"}.get(can_protect, "unknown"),
        wishes=a.get("wishes", ""),
        wanted_actions=tuple(a.get("wanted_actions", [])),
        reporter=reporter,
        safety_now=tuple(s for s in a.get("safety_now", []) if s != "none"),
    )


def person_details(answers: dict[str, Any]) -> PersonDetails:
    name = {**answers.get("name", {}), **answers.get("about-person", {})}
    contact = answers.get("contact") or answers.get("contact-them") or {}
    comms = answers.get("communication", {})
    channels = tuple(c for c in contact.get("channels", []) if c != "none")
    return PersonDetails(
        given_name=name.get("given_name", ""),
        family_name=name.get("family_name", ""),
        date_of_birth=_d(name.get("date_of_birth")),
        postcode=name.get("postcode", ""),
        address=contact.get("address") or contact.get("visit_address", ""),
        phone=contact.get("phone") or contact.get("text_phone", ""),
        email=contact.get("email", ""),
        communication_needs=comms.get("communication_needs", ""),
        contact_allowed=channels,
        contact_notes=contact.get("contact_notes", ""),
    )
