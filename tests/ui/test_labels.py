"""Every code of the domain has words on screen: a new enum value without a
label fails here rather than showing a raw code (or a KeyError) to a peer."""

from __future__ import annotations

import pytest

from peerdesk.domain.models import (
    TEMPLATE_SECTIONS,
    ContactType,
    DestinationType,
    LocationType,
    NoteState,
    NoteTemplate,
    TripPurpose,
)
from ui import labels


@pytest.mark.parametrize(
    ("names", "enum"),
    [
        (labels.template_short_names, NoteTemplate),
        (labels.template_names, NoteTemplate),
        (labels.state_names, NoteState),
        (labels.contact_names, ContactType),
        (labels.location_names, LocationType),
        (labels.purpose_names, TripPurpose),
        (labels.destination_type_names, DestinationType),
    ],
)
def test_every_code_has_a_label(qapp, names, enum):
    table = names()
    assert set(table) == set(enum)
    assert all(text.strip() for text in table.values())


def test_every_template_section_has_a_label(qapp):
    sections = {s for secs in TEMPLATE_SECTIONS.values() for s in secs}
    assert sections <= set(labels.section_names())
