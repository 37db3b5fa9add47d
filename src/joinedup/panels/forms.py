"""The panel's forms (GOV.UK patterns: errors on the field, what was typed kept)."""

from __future__ import annotations

from django import forms

from joinedup.core.forms import GovUKForm
from joinedup.panels.domain.rules import CRITERION_LABELS, VULNERABILITY_LABELS

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
    persons_voice = forms.CharField(
        max_length=10000, error_messages={"required": "Record what the person wants and fears, in their words"}
    )
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
