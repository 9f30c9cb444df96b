"""The files of an HSDS CSV package: their names (HSDS 3, and the HSDS 2 plural
accepted on import), the columns written on export, and the columns a file must
have when it is present."""

from __future__ import annotations

#: file name -> (HSDS 2 plural alias, columns written on export)
CSV_TABLES: dict[str, tuple[str, tuple[str, ...]]] = {
    "organization.csv": (
        "organizations.csv",
        ("id", "name", "alternate_name", "description", "email", "website"),
    ),
    "service.csv": (
        "services.csv",
        (
            "id",
            "organization_id",
            "name",
            "alternate_name",
            "description",
            "url",
            "email",
            "status",
            "interpretation_services",
            "application_process",
            "fees_description",
            "eligibility_description",
            "minimum_age",
            "maximum_age",
            "assured_date",
            "assurer_email",
            "alert",
            "last_modified",
        ),
    ),
    "location.csv": (
        "locations.csv",
        (
            "id",
            "location_type",
            "url",
            "organization_id",
            "name",
            "alternate_name",
            "description",
            "transportation",
            "latitude",
            "longitude",
        ),
    ),
    "service_at_location.csv": (
        "services_at_location.csv",
        ("id", "service_id", "location_id", "description"),
    ),
    "phone.csv": (
        "phones.csv",
        (
            "id",
            "location_id",
            "service_id",
            "organization_id",
            "number",
            "extension",
            "type",
            "description",
        ),
    ),
    "schedule.csv": (
        "schedules.csv",
        (
            "id",
            "service_id",
            "location_id",
            "valid_from",
            "valid_to",
            "freq",
            "interval",
            "byday",
            "bymonthday",
            "opens_at",
            "closes_at",
            "description",
            "notes",
        ),
    ),
    "service_area.csv": (
        "service_areas.csv",
        ("id", "service_id", "name", "description", "extent", "extent_type", "uri"),
    ),
    "language.csv": (
        "languages.csv",
        ("id", "service_id", "location_id", "phone_id", "name", "code", "note"),
    ),
    "accessibility.csv": (
        "accessibility_for_disabilities.csv",
        ("id", "location_id", "description", "details", "url"),
    ),
    "address.csv": (
        "physical_addresses.csv",
        (
            "id",
            "location_id",
            "attention",
            "address_1",
            "address_2",
            "city",
            "region",
            "state_province",
            "postal_code",
            "country",
            "address_type",
        ),
    ),
    "taxonomy.csv": ("taxonomies.csv", ("id", "name", "description", "uri", "version")),
    "taxonomy_term.csv": (
        "taxonomy_terms.csv",
        (
            "id",
            "code",
            "name",
            "description",
            "parent_id",
            "taxonomy",
            "language",
            "taxonomy_id",
            "term_uri",
        ),
    ),
    "attribute.csv": (
        "attributes.csv",
        ("id", "link_id", "taxonomy_term_id", "link_type", "link_entity", "value", "label"),
    ),
    "peerdesk_town.csv": (
        "peerdesk_towns.csv",
        ("id", "name", "county", "state", "latitude", "longitude"),
    ),
}

#: columns a file must have when it is present
CSV_REQUIRED = {
    "organization.csv": ("id", "name"),
    "service.csv": ("id", "name"),
    "location.csv": ("id",),
    "service_at_location.csv": ("id", "service_id", "location_id"),
    "phone.csv": ("id", "number"),
    "schedule.csv": ("id",),
    "service_area.csv": ("id", "service_id"),
    "language.csv": ("id",),
    "accessibility.csv": ("id", "location_id"),
    "address.csv": ("id", "location_id", "address_1", "city", "state_province", "country"),
    "taxonomy.csv": ("id", "name"),
    "taxonomy_term.csv": ("id", "name"),
    "attribute.csv": ("id", "link_id", "taxonomy_term_id", "link_entity"),
    "peerdesk_town.csv": ("id", "name", "county", "latitude", "longitude"),
}
