"""The panel's forms (GOV.UK patterns: errors on the field, what was typed kept)."""

from __future__ import annotations

from typing import Any

from django import forms

from joinedup.core.forms import GovUKForm
from joinedup.panels.domain.rules import CLOSE_OUTCOME_LABELS, CRITERION_LABELS, VULNERABILITY_LABELS

DATE_FORMATS = ["%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d"]
DATE_ERRORS = {"required": "Enter a date", "invalid": "Enter a real date, for example 27/3/2027"}


class ReferForm(GovUKForm):
    panel = forms.ChoiceField(choices=[], error_messages={"required": "Choose the panel"})
    criteria = forms.MultipleChoiceField(
        choices=[(c.value, label) for c, label in CRITERION_LABELS.items()],
        error_messages={"required": "Choose the criterion that holds"},
    )
    judgement_reasons = forms.CharField(max_length=5000, required=False)
    vulnerability = forms.MultipleChoiceField(
        choices=[(v.value, label) for v, label in VULNERABILITY_LABELS.items()],
        error_messages={"required": "Say how they are vulnerable: personal, situational or incidental"},
    )
    summary = forms.CharField(max_length=5000, error_messages={"required": "Summarise why the panel should hear this"})
    urgent = forms.BooleanField(required=False)
    error_anchor = {"panel": "id_panel", "criteria": "id_criteria", "vulnerability": "id_vulnerability"}


class MeetingForm(GovUKForm):
    date = forms.DateField(input_formats=DATE_FORMATS, error_messages=DATE_ERRORS)


class ListForm(GovUKForm):
    panel_referral = forms.UUIDField(error_messages={"required": "Choose a case"})
    meeting = forms.ChoiceField(choices=[], error_messages={"required": "Choose the meeting"})


class ResearchForm(GovUKForm):
    panel_referral = forms.UUIDField()
    agency = forms.ChoiceField(choices=[])
    summary = forms.CharField(
        max_length=10000, error_messages={"required": "Record what your agency knows, the risks and what it can offer"}
    )


class MinutesForm(GovUKForm):
    panel_referral = forms.UUIDField()
    # Filled in from what their advocate or key worker brought; the service asks for it if there is none.
    persons_voice = forms.CharField(max_length=10000, required=False)
    discussion = forms.CharField(max_length=20000, error_messages={"required": "Record the discussion"})
    present = forms.MultipleChoiceField(
        choices=[], error_messages={"required": "Choose the agencies present for this case"}
    )
    error_anchor = {"present": "id_present"}


class ActionForm(GovUKForm):
    panel_referral = forms.UUIDField()
    what = forms.CharField(max_length=2000, error_messages={"required": "Say exactly what will be done"})
    agency = forms.ChoiceField(choices=[], error_messages={"required": "Choose the agency that owns it"})
    owner = forms.ChoiceField(choices=[], error_messages={"required": "Choose who owns it"})
    due_on = forms.DateField(input_formats=DATE_FORMATS, error_messages=DATE_ERRORS)


class CompleteForm(GovUKForm):
    evidence = forms.CharField(max_length=5000, error_messages={"required": "Say what was done, as evidence"})


class ReviewForm(GovUKForm):
    decision = forms.ChoiceField(
        choices=[("yes", "Refer for a Safeguarding Adults Review"), ("no", "Do not refer for a review")],
        error_messages={"required": "Choose the decision"},
    )
    reason = forms.CharField(max_length=5000, error_messages={"required": "Give the reason for the decision"})
    error_anchor = {"decision": "id_decision"}


class PanelForm(GovUKForm):
    """Setting up (or changing) a panel: name, area, chair, coordinator, member agencies, and each member's
    representative (a field per agency, added by the view from the partnership's agencies)."""

    name = forms.CharField(max_length=200, error_messages={"required": "Enter the panel's name"})
    area = forms.CharField(max_length=200, error_messages={"required": "Enter the area the panel covers"})
    chair = forms.ChoiceField(choices=[], error_messages={"required": "Choose the chair"})
    coordinator = forms.ChoiceField(choices=[], error_messages={"required": "Choose the coordinator"})
    members = forms.MultipleChoiceField(
        choices=[], error_messages={"required": "Choose the member agencies: at least two"}
    )
    error_anchor = {"members": "id_members"}

    def __init__(
        self,
        data: Any = None,
        *,
        agencies: list[tuple[str, str, list[tuple[str, str]]]],
        chairs: list[tuple[str, str]],
        coordinators: list[tuple[str, str]],
        initial: dict[str, Any] | None = None,
    ) -> None:
        """`agencies`: (agency id, name, [(colleague id, name)] who may represent it)."""
        super().__init__(data, initial=initial)
        self.fields["chair"].choices = [("", "Choose the chair"), *chairs]  # type: ignore[attr-defined]
        self.fields["coordinator"].choices = [("", "Choose the coordinator"), *coordinators]  # type: ignore[attr-defined]
        self.fields["members"].choices = [(a, name) for a, name, _ in agencies]  # type: ignore[attr-defined]
        self.agencies = agencies
        for agency, name, colleagues in agencies:
            self.fields[f"rep_{agency}"] = forms.ChoiceField(
                choices=[("", "No one named yet"), *colleagues], required=False, label=f"Representative for {name}"
            )

    def representative_field(self, agency: str) -> str:
        return f"rep_{agency}"


class CloseForm(GovUKForm):
    outcome = forms.ChoiceField(
        choices=[(o.value, label) for o, label in CLOSE_OUTCOME_LABELS.items()],
        error_messages={"required": "Choose why the panel is closing the case"},
    )
    reason = forms.CharField(max_length=5000, error_messages={"required": "Say why, in a sentence or two"})
    open_actions = forms.ChoiceField(
        choices=[("agencies_continue", "Their agencies carry on with them outside the panel")], required=False
    )
    error_anchor = {"outcome": "id_outcome", "open_actions": "id_open_actions"}


class VoiceForm(GovUKForm):
    words = forms.CharField(
        max_length=10000, strip=False, error_messages={"required": "Write what they want and fear, in their words"}
    )
