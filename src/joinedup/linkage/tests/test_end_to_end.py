"""Import agency files, link them with a JoinedUp person, review, re-run, export, and see it through need-to-know.

One linkage run is shared by the module (training takes a few seconds); each test reads what it needs.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from joinedup.accounts.models import Agency, User
from joinedup.accounts.tests.factories import make_user
from joinedup.audit.models import AuditEntry
from joinedup.audit.testing import assert_audited
from joinedup.linkage.models import AgencyRecord, ClusterMember, LinkageRun, RecordLink
from joinedup.linkage.synthetic import generate, pairwise_scores, write_csv
from joinedup.people.domain.validation import PersonDetails
from joinedup.people.models import Person
from joinedup.people.services import person_create
from joinedup.risk.models import RiskAssessment

pytestmark = pytest.mark.django_db

AGENCIES = ["lead-council", "high-street-gp", "homes"]


@pytest.fixture
def partnership(lead_agency: Agency, gp: Agency, housing: Agency, tmp_path: Path) -> dict[str, Any]:
    records = generate(900, seed=3, agencies=AGENCIES)
    files = write_csv(records, tmp_path)
    for slug, path in files.items():
        call_command("import_people", str(path), "--agency", slug, "--no-progress", verbosity=0)
    nurse = make_user(gp, "practitioner", email="nurse@gp.example")
    # The same person JoinedUp already knows through the GP: a record of the housing association's person 1.
    first = next(r for r in records if r.agency == "homes" and r.values["date_of_birth"] and r.values["given_name"])
    person = person_create(
        actor=nurse,
        agency=gp,
        details=PersonDetails(
            given_name=first.values["given_name"],
            family_name=first.values["family_name"] or first.values["other_names"],
            postcode=first.values["postcode"],
            address=first.values["address"],
        ),
    )
    Person.objects.filter(pk=person.pk).update(date_of_birth=_iso(first.values["date_of_birth"]))
    call_command("link_people", "--no-progress", verbosity=0)
    return {"records": records, "person": person, "nurse": nurse, "first": first, "tmp": tmp_path}


def _iso(text: str) -> str:
    return text if "-" in text else "-".join(reversed(text.split("/")))


def test_the_whole_journey(
    partnership: dict[str, Any], lead_agency: Agency, gp: Agency, housing: Agency, api_for: Callable[[User], Any]
) -> None:
    """One run shared by every step (training takes seconds): accuracy, need-to-know, review, re-run, export."""
    _linkage_finds_people_across_agencies(partnership)
    _a_practitioner_sees_counts_and_reasons_never_the_records(partnership, api_for, housing)
    _the_review_pages(partnership, lead_agency)
    _reviews_are_for_the_lead_partners_data_protection_lead_and_are_remembered(partnership, lead_agency, gp, api_for)


def _linkage_finds_people_across_agencies(partnership: dict[str, Any]) -> None:
    records = partnership["records"]
    run = LinkageRun.objects.get()
    assert run.status == "finished" and run.figures["agency_records"] == 900 and run.figures["joinedup_people"] == 1
    clusters = {
        (slug, source): cluster
        for slug, source, cluster in _export(partnership["tmp"] / "links.csv")
        if slug != "joinedup"
    }
    scores = pairwise_scores([r.person for r in records], [clusters[(r.agency, r.source_id)] for r in records])
    assert scores["f1"] >= 0.9, scores
    assert RecordLink.objects.filter(status="auto").exists()
    assert_audited("create", object_type="linkage.linkagerun")
    # The run changed the person's linked records: their risk was assessed again, and says they are known elsewhere.
    assessment = RiskAssessment.objects.filter(person=partnership["person"]).order_by("-assessed_at", "-id").first()
    assert assessment is not None and assessment.trigger == "a linkage run changed their linked records"
    assert assessment.reasons[0]["code"] == "linked_history"
    assert assessment.reasons[0]["text"].startswith("Also known to")


def _export(path: Path) -> list[tuple[str, str, int]]:
    call_command("export_links", str(path), "--no-progress", verbosity=0)
    with path.open() as handle:
        reader = csv.reader(handle)
        assert next(reader) == ["agency", "source_id", "cluster_id"]
        return [(row[0], row[1], int(row[2])) for row in reader]


def _a_practitioner_sees_counts_and_reasons_never_the_records(
    partnership: dict[str, Any], api_for: Callable[[User], Any], housing: Agency
) -> None:
    person, nurse = partnership["person"], partnership["nurse"]
    before = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
    answer = api_for(nurse).get(f"/api/v1/people/{person.uuid}/links")
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["known_to_agencies"] >= 1
    assert "homes" in {a["agency_slug"] for a in body["agencies"]}
    assert all(a["reason"] and a["agency_id"] for a in body["agencies"])
    # The GP nurse sees health: every agency is named to her.
    assert body["held"] == 0 and body["withheld_groups"] == []
    text = answer.content.decode()
    first = partnership["first"]
    assert first.source_id not in text and (not first.values["address"] or first.values["address"] not in text)
    # One look, one line in the audit trail.
    looks = AuditEntry.objects.filter(id__gt=before, person_uuid=person.uuid, actor=nurse)
    assert [(e.action, e.purpose) for e in looks] == [("view", "Checking which agencies know the person")]
    # An agency that does not know the person learns nothing, not even that they exist.
    stranger = make_user(housing, "practitioner", email="stranger@homes.example")
    assert api_for(stranger).get(f"/api/v1/people/{person.uuid}/links").status_code == 404


def _reviews_are_for_the_lead_partners_data_protection_lead_and_are_remembered(
    partnership: dict[str, Any], lead_agency: Agency, gp: Agency, api_for: Callable[[User], Any]
) -> None:
    dpl = make_user(lead_agency, "data_protection_lead", email="dpl@lead.example")
    other_dpl = make_user(gp, "data_protection_lead", email="dpl@gp.example")
    assert api_for(other_dpl).get("/api/v1/linkage/reviews").status_code == 403
    queue = api_for(dpl).get("/api/v1/linkage/reviews").json()
    assert queue["count"] >= 2, "the small partnership should leave some pairs for review"
    confirm, reject = queue["results"][0], queue["results"][1]
    assert confirm["explanation"][0]["comparison"] == "Starting point"
    client = api_for(dpl)
    assert client.post(f"/api/v1/linkage/reviews/{confirm['id']}/confirm", {}, format="json").status_code == 200
    assert (
        client.post(f"/api/v1/linkage/reviews/{reject['id']}/reject", {"note": "Twins"}, format="json").status_code
        == 200
    )
    again = client.post(f"/api/v1/linkage/reviews/{reject['id']}/confirm", {}, format="json")
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_decided"
    confirmed = RecordLink.objects.get(uuid=confirm["id"])
    members = dict(ClusterMember.objects.values_list("record_key", "cluster"))
    assert members[confirmed.left_key] == members[confirmed.right_key]
    rejected = RecordLink.objects.get(uuid=reject["id"])
    twin = _a_second_joinedup_record_of_the_person(partnership, gp)
    # A later run keeps both decisions and does not link the rejected pair directly.
    call_command("link_people", "--no-progress", verbosity=0)
    assert RecordLink.objects.get(uuid=confirm["id"]).status == "confirmed"
    assert RecordLink.objects.get(uuid=reject["id"]).status == "rejected"
    assert RecordLink.objects.filter(left_key=rejected.left_key, right_key=rejected.right_key).count() == 1
    members = dict(ClusterMember.objects.values_list("record_key", "cluster"))
    assert members[confirmed.left_key] == members[confirmed.right_key]
    status = client.get("/api/v1/linkage/status").json()
    assert status["figures"]["confirmed_kept"] == 1 and status["figures"]["rejected_kept"] == 2
    _selectors_for_the_case_page_and_risk(partnership, twin)
    assert_audited("update", object_type="linkage.recordlink", actor=dpl)


def _the_review_pages(partnership: dict[str, Any], lead_agency: Agency) -> None:
    dpl = make_user(lead_agency, "data_protection_lead", email="dpl-pages@lead.example")
    client = Client()
    client.force_login(dpl)
    queue = client.get("/linkage/reviews")
    assert queue.status_code == 200 and "no-store" in queue["Cache-Control"]
    link = RecordLink.objects.filter(status="review").order_by("-match_weight").first()
    assert link is not None
    page = client.get(f"/linkage/reviews/{link.uuid}")
    html = page.content.decode()
    assert page.status_code == 200 and "Are these the same person?" in html and "Running total" in html
    assert_audited("view", object_type="linkage.agencyrecord", actor=dpl)
    missing = client.post(f"/linkage/reviews/{link.uuid}", {"note": "not sure"})
    assert missing.status_code == 400 and "Select whether these records are the same person" in missing.content.decode()
    assert "not sure" in missing.content.decode()
    done = client.post(f"/linkage/reviews/{link.uuid}", {"decision": "reject", "note": "Different people"})
    assert done.status_code == 302
    assert RecordLink.objects.get(pk=link.pk).status == "rejected"
    status = client.get("/linkage")
    assert status.status_code == 200 and "Linked automatically" in status.content.decode()
    nurse = partnership["nurse"]
    client.force_login(nurse)
    assert client.get("/linkage/reviews").status_code == 403


def _a_second_joinedup_record_of_the_person(partnership: dict[str, Any], gp: Agency) -> Person:
    person, nurse = partnership["person"], partnership["nurse"]
    twin = person_create(
        actor=nurse,
        agency=gp,
        details=PersonDetails(
            given_name=person.given_name,
            family_name=person.family_name,
            postcode=person.postcode,
            address=person.address,
        ),
    )
    Person.objects.filter(pk=twin.pk).update(date_of_birth=Person.objects.get(pk=person.pk).date_of_birth)
    return twin


def _selectors_for_the_case_page_and_risk(partnership: dict[str, Any], twin: Person) -> None:
    from joinedup.linkage.selectors import linked_people, links_summary

    person, nurse = partnership["person"], partnership["nurse"]
    summary = links_summary(nurse, person)
    assert summary.known_to_agencies == len(summary.agencies) >= 1
    linked = linked_people(nurse, person)
    assert [p.person_uuid for p in linked] == [twin.uuid] and linked[0].reason


def test_reimport_updates_by_source_id_and_keeps_flags(lead_agency: Agency, tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_text(
        "source_id,given_name,family_name,date_of_birth,postcode\n"
        "A1,Ann,Smith,31/02/1990,EM1 2AB\n"
        "A2,Bob,Jones,1980-01-01,NOT A POSTCODE\n"
    )
    call_command("import_people", str(path), "--agency", "lead-council", "--no-progress", verbosity=0)
    ann = AgencyRecord.objects.get(source_id="A1")
    assert ann.date_of_birth == "31/02/1990" and ann.flags == ["date_of_birth_impossible"]
    assert AgencyRecord.objects.get(source_id="A2").flags == ["postcode_malformed"]
    path.write_text("source_id,given_name,family_name,date_of_birth\nA1,Anne,Smith,13/02/1990\n")
    call_command("import_people", str(path), "--agency", "lead-council", "--no-progress", verbosity=0)
    ann.refresh_from_db()
    assert (ann.given_name, ann.date_of_birth, ann.flags) == ("Anne", "13/02/1990", [])
    assert AgencyRecord.objects.count() == 2
    assert_audited("create", object_type="linkage.agencyrecord")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        pytest.param("source_id,given_name\nA1,Ann\n,Bob\n", "Line 3, source_id: is empty", id="empty-source-id"),
        pytest.param(
            "source_id,given_name\nA1,Ann\nA1,Bob\n",
            "Line 3, source_id: 'A1' was already used on line 2",
            id="duplicate",
        ),
        pytest.param("source_id,given_name,shoe_size\nA1,Ann,5\n", "Unknown column 'shoe_size'", id="unknown-column"),
        pytest.param("given_name\nAnn\n", "no source_id column", id="no-source-id-column"),
        pytest.param("source_id,given_name\nA1,Ann\nA2\n", "Line 3, row: has 1 values", id="short-row"),
        pytest.param(
            "source_id,given_name,family_name\nA1,Ann,\nA2,,\n", "Line 3, given_name: no name given", id="no-name"
        ),
        pytest.param("", "The file is empty", id="empty-file"),
        pytest.param("source_id,given_name\n", "no records", id="header-only"),
    ],
)
def test_a_bad_file_imports_nothing_and_says_where(
    lead_agency: Agency, tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "people.csv"
    path.write_text(content)
    with pytest.raises(CommandError) as refused:
        call_command("import_people", str(path), "--agency", "lead-council", "--no-progress", verbosity=0)
    assert message in str(refused.value) and "Nothing was imported" in str(refused.value)
    assert AgencyRecord.objects.count() == 0


def test_command_errors(lead_agency: Agency, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="No agency with the short name 'nowhere'"):
        call_command("import_people", str(tmp_path / "x.csv"), "--agency", "nowhere", verbosity=0)
    with pytest.raises(CommandError, match="There is no file at"):
        call_command("import_people", str(tmp_path / "x.csv"), "--agency", "lead-council", verbosity=0)
    binary = tmp_path / "binary.csv"
    binary.write_bytes(b"source_id,given_name\n\xff\xfe,\xff\n")
    with pytest.raises(CommandError, match="not UTF-8"):
        call_command("import_people", str(binary), "--agency", "lead-council", verbosity=0)
    with pytest.raises(CommandError, match="fewer than two records"):
        call_command("link_people", "--no-progress", verbosity=0)
    with pytest.raises(CommandError, match="run link_people first"):
        call_command("export_links", str(tmp_path / "out.csv"), verbosity=0)
    with pytest.raises(CommandError, match="no folder"):
        call_command("export_links", str(tmp_path / "missing" / "out.csv"), verbosity=0)
    assert LinkageRun.objects.get().status == "failed"
