"""The subject access page for data protection leads: what the export holds, and the two downloads."""

from __future__ import annotations

import json

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from joinedup.accounts.selectors import acting_user
from joinedup.dataprotection import pdf
from joinedup.dataprotection.selectors import subject_access_export, subject_access_person

PURPOSE = "Subject access request"


@never_cache
@login_required
def subject_access_page(request: HttpRequest, person_id: str) -> HttpResponse:
    person = subject_access_person(actor=acting_user(request), person_uuid=person_id)
    return render(
        request, "dataprotection/subject_access.html", {"person": person, "pdf_available": pdf.font_path().exists()}
    )


@never_cache
@login_required
def subject_access_download(request: HttpRequest, person_id: str, kind: str) -> HttpResponse:
    export = subject_access_export(actor=acting_user(request), person_uuid=person_id, purpose=PURPOSE)
    if kind == "pdf":
        response = HttpResponse(pdf.render(export), content_type="application/pdf")
    else:
        body = json.dumps(export, indent=2, ensure_ascii=False)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="subject-access-{person_id}.{kind}"'
    return response
