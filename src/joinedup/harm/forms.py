"""The pages' forms: the person's own words first, every model code optional and in plain words."""

from __future__ import annotations

from django import forms

from joinedup.core.forms import GovUKForm
from joinedup.followup.domain.rules import MESSAGE_MAX
from joinedup.harm.domain.model import IMPACT_CODES, MINIMISATIONS, SOURCES, WANTS, Code
from joinedup.harm.domain.route import UPDATE_CADENCE_LABELS

PATHWAY = "pathway"

WHO = [
    ("person", "Me — it happened to me"),
    ("advocate", "I am helping someone, as their advocate, friend or family"),
    ("practitioner", "I work for a service and want to raise a concern"),
    ("anonymous", "I do not want to give my name"),
]


# On the speaking-up line: staff first, then anyone else worried about how a service treats people.
SPEAK_UP_WHO = [
    ("practitioner", "I work for a service, and I will give my name"),
    ("advocate", "I am a carer, family member, friend or volunteer"),
    ("anonymous", "I do not want to give my name"),
]


def _plain(codes: tuple[Code, ...]) -> list[tuple[str, str]]:
    return [(c.value, c.plain) for c in codes]


class TellForm(GovUKForm):
    error_anchor = {
        "reported_by": "id_reported_by",
        "sources": "id_sources",
        "impacts": "id_impacts",
        "wants": "id_wants",
        "update_cadence": "id_update_cadence",
        "advocacy": "id_advocacy",
    }

    about = forms.ChoiceField(choices=[], error_messages={"required": "Choose the service, or say you are not sure"})
    description = forms.CharField(
        max_length=20_000, error_messages={"required": "Tell us what happened, in your own words"}
    )
    reported_by = forms.ChoiceField(choices=WHO, error_messages={"required": "Say who is telling us"})
    sources = forms.MultipleChoiceField(choices=_plain(SOURCES), required=False)
    impacts = forms.MultipleChoiceField(choices=_plain(IMPACT_CODES), required=False)
    wants = forms.MultipleChoiceField(choices=_plain(WANTS), required=False)
    wants_other = forms.CharField(max_length=500, required=False)
    ill_treatment_in_care = forms.BooleanField(required=False)
    contact_name = forms.CharField(max_length=200, required=False)
    contact_detail = forms.CharField(max_length=300, required=False)
    update_cadence = forms.ChoiceField(choices=list(UPDATE_CADENCE_LABELS.items()), initial="fortnightly")
    advocacy = forms.ChoiceField(
        choices=[("yes", "Yes, please"), ("no", "No, thank you"), ("unsure", "I am not sure yet")],
        error_messages={"required": "Say if you would like an advocate"},
    )

    def __init__(
        self, *args: object, agencies: list[tuple[str, str]], speaking_up: bool = False, **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["about"].choices = [*agencies, (PATHWAY, "More than one service, or I am not sure")]  # type: ignore[attr-defined]
        if speaking_up:
            self.fields["reported_by"].choices = SPEAK_UP_WHO  # type: ignore[attr-defined]

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if "other" in (data.get("wants") or []) and not str(data.get("wants_other") or "").strip():
            self.add_error("wants_other", "Say what else you want to happen")
        if data.get("reported_by") == "anonymous" and (data.get("contact_name") or data.get("contact_detail")):
            self.add_error("contact_name", "You chose not to give your name: leave your name and contact details empty")
        return data


class StepForm(GovUKForm):
    error_anchor = {"to": "id_to", "minimisations": "id_minimisations"}

    to = forms.ChoiceField(choices=[], error_messages={"required": "Choose the next step"})
    note = forms.CharField(max_length=20_000, required=False)
    person_view = forms.CharField(max_length=20_000, required=False)
    not_asked_reason = forms.CharField(max_length=5_000, required=False)
    minimisations = forms.MultipleChoiceField(choices=[(c.value, c.label) for c in MINIMISATIONS], required=False)


class AskForm(GovUKForm):
    text = forms.CharField(max_length=MESSAGE_MAX, error_messages={"required": "Enter your question"})


class UpdateForm(GovUKForm):
    note = forms.CharField(max_length=5_000, error_messages={"required": "Enter what you told the person"})
