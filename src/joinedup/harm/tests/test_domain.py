"""The model's codes, the route, its deadlines and the serious-harm rule, as tables with their sources."""

from __future__ import annotations

from datetime import date

import pytest

from joinedup.harm.domain import model, route
from joinedup.harm.domain.intake import ReportInput, report_problems
from joinedup.harm.domain.route import Step

# --- The model's reference data (seed 004, domain.md §8) ---------------------------------------------------------


@pytest.mark.parametrize(
    ("codes", "expected"),
    [
        pytest.param(
            model.SOURCES,
            [
                "systems_and_bureaucracy",
                "stigma_and_discrimination",
                "fragmented_services",
                "lack_of_support",
                "oppressive_cultures",
                "staff_misconduct_or_sexual_abuse",
                "neglectful_frontline_practice",
            ],
            id="S53-seven-sources-in-the-models-order-api-md-codes",
        ),
        pytest.param(model.MINIMISATIONS, ["1", "2", "4", "5", "6A", "6B", "7", "8"], id="S53-minimisations-no-3"),
        pytest.param(model.WANTS, ["apology", "explanation", "change", "investigation", "other"], id="api-md-wants"),
    ],
)
def test_codes(codes: tuple[model.Code, ...], expected: list[str]) -> None:
    assert model.values(codes) == expected
    assert all(c.label and c.plain for c in codes)


def test_S53_thirteen_impacts_as_for_incidents() -> None:
    assert len(model.IMPACT_CODES) == 13
    assert "suicidality" in model.values(model.IMPACT_CODES)


def test_S53_minimisation_3_is_not_invented() -> None:
    assert "3" not in model.values(model.MINIMISATIONS)
    assert model.label_of(model.MINIMISATIONS, "6B") == "#6B More accessible and responsive complaints processes"


# --- Intake ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "fields"),
    [
        pytest.param(ReportInput("person", "They lost my care plan twice."), set(), id="issue16-own-words-is-enough"),
        pytest.param(ReportInput("person", "  "), {"description"}, id="issue16-words-needed"),
        pytest.param(ReportInput("friend", "x"), {"reported_by"}, id="api-md-reported-by-values"),
        pytest.param(ReportInput("person", "x", sources=("rudeness",)), {"sources"}, id="S53-unknown-source"),
        pytest.param(ReportInput("person", "x", wants=("other",)), {"wants_other"}, id="issue16-something-else-said"),
        pytest.param(
            ReportInput("anonymous", "x", contact_name="Sam"), {"contact_name"}, id="issue16-anonymous-has-no-name"
        ),
        pytest.param(ReportInput("person", "x", update_cadence="daily"), {"update_cadence"}, id="issue16-cadence"),
    ],
)
def test_report_problems(data: ReportInput, fields: set[str]) -> None:
    assert set(report_problems(data)) == fields


# --- The route -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("current", "step", "kind", "fields"),
    [
        pytest.param("received", Step("acknowledged"), "", set(), id="issue16-received-then-acknowledged"),
        pytest.param("received", Step("responded", note="x"), "conflict", {"to"}, id="issue16-no-skipping-ack"),
        pytest.param("acknowledged", Step("investigating"), "", set(), id="issue16-looked-into"),
        pytest.param("investigating", Step("responded"), "invalid", {"note"}, id="issue16-response-has-words"),
        pytest.param("investigating", Step("responded", note="We are sorry."), "", set(), id="issue16-response"),
        pytest.param("responded", Step("restorative_meeting", note="Tue 10am"), "", set(), id="S53-1-restorative"),
        pytest.param("responded", Step("closed"), "invalid", {"person_view"}, id="issue16-close-needs-view-or-why"),
        pytest.param(
            "responded", Step("closed", person_view="Better now"), "", set(), id="issue16-closed-with-their-view"
        ),
        pytest.param(
            "restorative_meeting",
            Step("closed", not_asked_reason="They asked not to be contacted again"),
            "",
            set(),
            id="issue16-closed-why-not-asked",
        ),
        pytest.param(
            "responded",
            Step("closed", person_view="ok", not_asked_reason="also"),
            "invalid",
            {"person_view"},
            id="issue16-view-or-reason-not-both",
        ),
        pytest.param("closed", Step("acknowledged"), "conflict", {"to"}, id="issue16-closed-is-final"),
        pytest.param(
            "responded",
            Step("closed", person_view="ok", minimisations=("3",)),
            "invalid",
            {"minimisations"},
            id="S53-no-minimisation-3",
        ),
        pytest.param(
            "responded", Step("closed", person_view="ok", minimisations=("1", "6B")), "", set(), id="S53-lessons-tagged"
        ),
        pytest.param(
            "acknowledged",
            Step("investigating", minimisations=("1",)),
            "invalid",
            {"minimisations"},
            id="issue16-lessons-after-response",
        ),
        pytest.param("received", Step("reopened"), "invalid", {"to"}, id="api-md-transition-codes"),
    ],
)
def test_transitions(current: str, step: Step, kind: str, fields: set[str]) -> None:
    got_kind, got_fields = route.transition_problems(current, step)
    assert (got_kind, set(got_fields)) == (kind, fields)


@pytest.mark.parametrize(
    ("received", "expected"),
    [
        pytest.param(date(2026, 10, 5), date(2026, 10, 8), id="reg13-monday-plus-3-working-days"),
        pytest.param(date(2026, 10, 9), date(2026, 10, 14), id="reg13-friday-skips-the-weekend"),
        pytest.param(date(2026, 12, 23), date(2026, 12, 30), id="reg13-christmas-bank-holidays-skipped"),
    ],
)
def test_acknowledge_by(received: date, expected: date) -> None:
    assert route.acknowledge_by(received) == expected


@pytest.mark.parametrize(
    ("status", "acknowledged", "last_update", "cadence", "kind", "due"),
    [
        pytest.param("received", None, None, "fortnightly", "acknowledge", date(2026, 10, 8), id="reg13-acknowledge"),
        pytest.param(
            "investigating",
            date(2026, 10, 6),
            date(2026, 10, 6),
            "weekly",
            "update",
            date(2026, 10, 13),
            id="issue16-weekly-update-first",
        ),
        pytest.param(
            "investigating",
            date(2026, 10, 6),
            date(2026, 10, 6),
            "monthly",
            "respond",
            date(2026, 11, 3),
            id="reg13-7-response-20-working-days",
        ),
        pytest.param("responded", date(2026, 10, 6), None, "weekly", "close", None, id="issue16-then-close"),
    ],
)
def test_next_step(
    status: str, acknowledged: date | None, last_update: date | None, cadence: str, kind: str, due: date | None
) -> None:
    step = route.next_step(
        status=status,
        received_on=date(2026, 10, 5),
        acknowledged_on=acknowledged,
        last_update_on=last_update,
        cadence=cadence,
    )
    assert (step.kind, step.due_on) == (kind, due)


# --- Serious harm (Care Act 2014 s42; CJCA 2015 s20-21) ----------------------------------------------------------


@pytest.mark.parametrize(
    ("sources", "in_care", "serious"),
    [
        pytest.param({"staff_misconduct_or_sexual_abuse"}, False, True, id="S53-6-staff-misconduct-is-safeguarding"),
        pytest.param({"neglectful_frontline_practice"}, True, True, id="CJCA-s20-neglect-in-care-is-safeguarding"),
        pytest.param({"neglectful_frontline_practice"}, False, False, id="S53-7-frontline-practice-is-a-complaint"),
        pytest.param({"systems_and_bureaucracy"}, False, False, id="S53-1-bureaucracy-is-a-complaint"),
        pytest.param(set(), True, True, id="CJCA-s20-ill-treatment-in-care-without-sources"),
    ],
)
def test_serious_harm(sources: set[str], in_care: bool, serious: bool) -> None:
    found = route.serious_harm(sources=frozenset(sources), ill_treatment_in_care=in_care)
    assert (found is not None) == serious
    if found is not None:
        # The same classification as incidents: harm by staff in care is a possible offence.
        assert found.possible_offence
        assert "ill_treatment_by_care_worker" in {o.code for o in found.classification.possible_offences}


@pytest.mark.parametrize(
    ("kind", "names"),
    [
        pytest.param(
            "adult_social_care",
            {"Local Government and Social Care Ombudsman", "Care Quality Commission"},
            id="LGSCO-social-care",
        ),
        pytest.param(
            "mental_health", {"Parliamentary and Health Service Ombudsman", "Care Quality Commission"}, id="PHSO-nhs"
        ),
        pytest.param("housing", {"Housing Ombudsman"}, id="housing-ombudsman"),
        pytest.param("police", {"Independent Office for Police Conduct"}, id="IOPC-police"),
        pytest.param(
            None,
            {
                "Local Government and Social Care Ombudsman",
                "Parliamentary and Health Service Ombudsman",
                "Care Quality Commission",
            },
            id="pathway-both-ombudsmen",
        ),
    ],
)
def test_routes_onward(kind: str | None, names: set[str]) -> None:
    assert {r.name for r in route.routes_onward(kind)} == names
