"""The partnership's vocabulary: kinds of agency, roles, and where in the care pathway an agency meets people.

Pure Python: no Django. The names are a contract (docs/api.md); labels are what people read.
"""

from __future__ import annotations

from enum import StrEnum


class AgencyKind(StrEnum):
    POLICE = "police"
    NHS_ACUTE = "nhs_acute"
    AMBULANCE = "ambulance"
    GP = "gp"
    MENTAL_HEALTH = "mental_health"
    ADULT_SOCIAL_CARE = "adult_social_care"
    HOUSING = "housing"
    FIRE_RESCUE = "fire_rescue"
    VICTIM_SUPPORT = "victim_support"
    ADVOCACY = "advocacy"
    PEER_SUPPORT = "peer_support"
    VOLUNTARY = "voluntary"
    OTHER = "other"

    @property
    def label(self) -> str:
        return AGENCY_KIND_LABELS[self]


AGENCY_KIND_LABELS: dict[AgencyKind, str] = {
    AgencyKind.POLICE: "Police",
    AgencyKind.NHS_ACUTE: "NHS acute trust",
    AgencyKind.AMBULANCE: "Ambulance service",
    AgencyKind.GP: "GP practice",
    AgencyKind.MENTAL_HEALTH: "Mental health service",
    AgencyKind.ADULT_SOCIAL_CARE: "Adult social care",
    AgencyKind.HOUSING: "Housing",
    AgencyKind.FIRE_RESCUE: "Fire and rescue",
    AgencyKind.VICTIM_SUPPORT: "Victim support",
    AgencyKind.ADVOCACY: "Advocacy",
    AgencyKind.PEER_SUPPORT: "Peer support",
    AgencyKind.VOLUNTARY: "Voluntary organisation",
    AgencyKind.OTHER: "Other",
}


AGENCY_KIND_CHOICES = [(kind.value, label) for kind, label in AGENCY_KIND_LABELS.items()]


class Role(StrEnum):
    PRACTITIONER = "practitioner"
    KEY_WORKER = "key_worker"
    SAFEGUARDING_LEAD = "safeguarding_lead"
    POLICE_LIAISON = "police_liaison"
    PANEL_CHAIR = "panel_chair"
    DATA_PROTECTION_LEAD = "data_protection_lead"
    COMMISSIONER = "commissioner"
    AGENCY_ADMIN = "agency_admin"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS: dict[Role, str] = {
    Role.PRACTITIONER: "Practitioner",
    Role.KEY_WORKER: "Key worker",
    Role.SAFEGUARDING_LEAD: "Safeguarding lead",
    Role.POLICE_LIAISON: "Police liaison",
    Role.PANEL_CHAIR: "Panel chair",
    Role.DATA_PROTECTION_LEAD: "Data protection lead",
    Role.COMMISSIONER: "Commissioner",
    Role.AGENCY_ADMIN: "Agency administrator",
}

# Roles whose holders work with people's records. Commissioners see de-identified figures only, and agency
# administrators manage their colleagues' accounts; neither reads case records by virtue of that role.
CASEWORK_ROLES: frozenset[Role] = frozenset(
    {
        Role.PRACTITIONER,
        Role.KEY_WORKER,
        Role.SAFEGUARDING_LEAD,
        Role.POLICE_LIAISON,
        Role.PANEL_CHAIR,
        Role.DATA_PROTECTION_LEAD,
    }
)


class Setting(StrEnum):
    """Clusters of points of entry in the Leicestershire hate crime care pathway (seed 002)."""

    ACUTE = "acute"
    PRIMARY = "primary"
    COMMUNITY = "community"
    SPECIALISED = "specialised"


class Need(StrEnum):
    PHYSICAL = "physical"
    MENTAL = "mental"


# Where each kind of agency usually meets people, used as the default point of entry for what its
# practitioners record (they can change it). From the framework table in domain.md §2.
DEFAULT_ENTRY_POINT: dict[AgencyKind, tuple[Setting, Need] | None] = {
    AgencyKind.POLICE: None,
    AgencyKind.NHS_ACUTE: (Setting.ACUTE, Need.PHYSICAL),
    AgencyKind.AMBULANCE: (Setting.ACUTE, Need.PHYSICAL),
    AgencyKind.GP: (Setting.PRIMARY, Need.PHYSICAL),
    AgencyKind.MENTAL_HEALTH: (Setting.COMMUNITY, Need.MENTAL),
    AgencyKind.ADULT_SOCIAL_CARE: (Setting.COMMUNITY, Need.PHYSICAL),
    AgencyKind.HOUSING: (Setting.COMMUNITY, Need.PHYSICAL),
    AgencyKind.FIRE_RESCUE: (Setting.COMMUNITY, Need.PHYSICAL),
    AgencyKind.VICTIM_SUPPORT: (Setting.COMMUNITY, Need.MENTAL),
    AgencyKind.ADVOCACY: (Setting.COMMUNITY, Need.MENTAL),
    AgencyKind.PEER_SUPPORT: (Setting.COMMUNITY, Need.MENTAL),
    AgencyKind.VOLUNTARY: (Setting.COMMUNITY, Need.PHYSICAL),
    AgencyKind.OTHER: None,
}


def normalise_email(email: str) -> str:
    """Sign-in names are e-mail addresses compared without regard to case or surrounding space."""
    return email.strip().lower()
