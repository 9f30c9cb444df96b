"""A month of claims for a 20-peer demo team, from the supervisor's review cache:
the claim-line CSV (behind the 42 CFR Part 2 notice) and the ASC X12 5010 837P
file, which an X12 library written by others (pyx12, with its 005010X222A1 map)
validates and parses back; the totals read back equal the CSV's."""

from __future__ import annotations

import csv
import dataclasses
import io
import time
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest

pytest.importorskip("pyx12")

import pyx12.error_handler
import pyx12.params
import pyx12.x12context
import pyx12.x12n_document

from peerdesk.demo.review import demo_provider, seed_review_cache
from peerdesk.domain.claims import CSV_HEADER
from peerdesk.domain.exports import REDISCLOSURE_NOTICE
from peerdesk.services.payers import load_payer_profiles

MONTH = (2026, 3)


def validate(x12: str) -> tuple[bool, str]:
    """pyx12's verdict on an X12 file, and its 999 acknowledgement."""
    ack = io.StringIO()
    ok = pyx12.x12n_document.x12n_document(pyx12.params.params(), io.StringIO(x12), ack, None)
    return bool(ok), ack.getvalue()


def parse_back(x12: str) -> dict[str, object]:
    """Walk the 837P with pyx12: the subscribers (2010BA), their claims (2300)
    and the service lines (2400) as (Medicaid id, date, procedure, units, charge)."""
    errh = pyx12.error_handler.errh_null()
    reader = pyx12.x12context.X12ContextReader(pyx12.params.params(), errh, io.StringIO(x12))
    claims = 0
    charge = Decimal(0)
    member = None
    services: list[tuple[str, str, str, int, Decimal, str]] = []
    for node in reader.iter_segments("2300"):
        if node.id == "NM1" and node.get_value("NM101") == "IL":
            member = node.get_value("NM109")
        if node.id != "2300":
            continue
        claims += 1
        charge += Decimal(node.get_value("CLM02"))
        for line in node.select("2400"):
            proc = "-".join(
                part for part in (line.get_value(f"SV101-{i}") for i in range(2, 7)) if part
            )
            day = line.get_value("DTP[472]03")
            services.append(
                (
                    str(member),
                    f"{day[:4]}-{day[4:6]}-{day[6:]}",
                    proc,
                    int(Decimal(line.get_value("SV104"))),
                    Decimal(line.get_value("SV102")),
                    line.get_value("REF[6R]02"),
                )
            )
    return {"claims": claims, "charge": charge, "services": services}


def read_csv(path: Path) -> tuple[list[list[str]], list[dict[str, str]]]:
    rows = list(csv.reader(io.StringIO(path.read_text("utf-8-sig"))))
    notice = len(REDISCLOSURE_NOTICE.split("\n"))
    header_at = rows.index(list(CSV_HEADER))
    return rows[:notice], [dict(zip(CSV_HEADER, r, strict=True)) for r in rows[header_at + 1 :]]


@pytest.fixture
def team(supervisor):
    seed_review_cache(
        supervisor,
        devices=20,
        notes=1200,
        trips=0,
        seed=11,
        days=31,
        end=datetime(2026, 4, 1, tzinfo=UTC),
        beneficiaries=True,
    )
    return supervisor


def test_a_month_of_837p_parses_back_and_equals_the_claim_lines(team, tmp_path):
    # claim what the peers signed and what the supervisor approved, so the month is full
    payer = dataclasses.replace(
        load_payer_profiles()["medicaid_default"], billable_states={"signed", "approved"}
    )
    provider = demo_provider(team)
    batch = team.reports.claims(*MONTH, provider, payer, tz=UTC)
    # the demo month has overlapping contacts and returned notes: those services
    # are held (issue 19), the rest is claimed
    assert len(batch.lines) > 300 and not {r for h in batch.held for r in h.reasons} - {
        "no_medicaid_id",
        "overlaps_other_contact",
        "day_not_fully_approved",
    }

    csv_path, x12_path = tmp_path / "claims.csv", tmp_path / "claims.837"
    assert team.reports.export_claims(batch, csv_path).value == len(batch.lines)
    team.reports.export_837p(
        batch, x12_path, control_number=42, created=datetime(2026, 4, 2, 9, 30, tzinfo=UTC)
    )

    notice, lines = read_csv(csv_path)
    assert [r[0] for r in notice] == REDISCLOSURE_NOTICE.split("\n")
    x12 = x12_path.read_text("ascii")
    started = time.perf_counter()
    ok, ack = validate(x12)
    parsed = parse_back(x12)
    took = time.perf_counter() - started
    assert ok, ack
    assert "IK5*A" in ack and "AK9*A" in ack  # the 999 says: accepted
    # every subscriber (2010BA) has an address and a date of birth, as the guide wants
    subscribers = x12.count("\nNM1*IL*")
    assert subscribers == x12.count("\nDMG*D8*") == x12.count("\nN3*") - 1  # 1: the agency

    services = parsed["services"]
    assert isinstance(services, list)
    from_csv = sorted(
        (
            r["Medicaid ID"],
            r["Date of service"],
            r["Procedure"],
            int(r["Units"]),
            Decimal(r["Charge"]),
            r["Line id"],
        )
        for r in lines
    )
    assert sorted(services) == from_csv  # line by line: who, when, what, how many
    assert len(services) == len(batch.lines)
    units = sum(s[3] for s in services)
    assert units == sum(int(r["Units"]) for r in lines) == batch.units
    csv_charge = sum(Decimal(r["Charge"]) for r in lines)
    assert parsed["charge"] == sum(s[4] for s in services) == csv_charge == batch.charge
    assert {"H0038", "H0038-HQ", "H0038-95", "H0038-93"} <= {s[2] for s in services}
    assert all(1 <= s[3] <= 16 for s in services)  # the daily cap holds on every line
    print(
        f"\n837P for a 20-peer month: {parsed['claims']} claims, {len(services)} lines,"
        f" {units} units, ${parsed['charge']}, {len(x12)} bytes, {len(batch.held)} held;"
        f" pyx12 validate + parse {took:.2f} s"
    )


def test_the_claims_equal_the_reports_approved_units(team):
    payer = load_payer_profiles()["medicaid_default"]  # approved notes only
    batch = team.reports.claims(*MONTH, demo_provider(team), payer, tz=UTC)
    report = team.reports.billing_report(*MONTH, payer, tz=UTC)
    held = sum(h.line.units for h in batch.held)
    assert batch.units + held == sum(r.approved_units for r in report.rows)
    assert batch.units + held == sum(c.approved_units for c in report.codes)


def test_a_damaged_837p_is_refused_by_the_validator(team, tmp_path):
    payer = load_payer_profiles()["medicaid_default"]
    batch = team.reports.claims(*MONTH, demo_provider(team), payer, tz=UTC)
    path = tmp_path / "claims.837"
    team.reports.export_837p(batch, path, control_number=7, created=datetime(2026, 4, 2))
    x12 = path.read_text("ascii")
    assert validate(x12)[0]
    assert not validate(x12.replace("*UN*", "*XX*", 1))[0]  # a unit code X12 does not have
    segments = x12.count("~") - 4  # ST..SE, without ISA, GS, GE, IEA
    assert f"SE*{segments}*0001~" in x12
    assert not validate(x12.replace(f"SE*{segments}*", f"SE*{segments - 1}*"))[0]


def test_peerdesk_cli_claims_writes_both_files_and_says_what_it_held(
    team, tmp_path, data_dir, capsys
):
    from peerdesk import cli
    from tests.conftest import PASSPHRASE, drop_log_handlers

    provider = demo_provider(team)
    name = team.name
    data = data_dir
    team.close()
    rows = "\n".join(f'"{peer}" = "{npi}"' for peer, npi in provider.renderers.items())
    provider_file = tmp_path / "provider.toml"
    provider_file.write_text(
        f'name = "{provider.name}"\nnpi = "{provider.npi}"\ntax_id = "{provider.tax_id}"\n'
        f'address = "{provider.address}"\ncity = "{provider.city}"\nstate = "{provider.state}"\n'
        f'zip = "{provider.zip_code}"\nsubmitter_id = "{provider.submitter_id}"\n'
        f'receiver_id = "{provider.receiver_id}"\nreceiver_name = "{provider.receiver_name}"\n'
        f'contact_name = "{provider.contact_name}"\ncontact_phone = "{provider.contact_phone}"\n'
        f"[renderers]\n{rows}\n"
    )
    secret = tmp_path / "pass.txt"
    secret.write_text(PASSPHRASE + "\n")
    out_csv, out_x12 = tmp_path / "out" / "march.csv", tmp_path / "out" / "march.837"
    out_csv.parent.mkdir()
    argv = ["--data-dir", str(data), "claims", "--profile", name, "--passphrase-file", str(secret)]
    argv += ["--month", "2026-03", "--provider", str(provider_file)]
    argv += ["--csv", str(out_csv), "--x12", str(out_x12), "--control-number", "5"]
    assert cli.main(argv) == 1  # no --yes: refused, nothing written
    assert not out_csv.exists() and not out_x12.exists()
    code = cli.main([*argv, "--yes"])
    drop_log_handlers()
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert "NOT encrypted" in captured.err
    _notice, lines = read_csv(out_csv)
    assert f"{len(lines)} claim line(s)" in captured.out
    assert validate(out_x12.read_text("ascii"))[0]
    assert oct(out_csv.stat().st_mode & 0o777) == oct(out_x12.stat().st_mode & 0o777) == "0o600"


def test_peerdesk_cli_claims_numbers_each_837p_from_the_profile(team, tmp_path, data_dir, capsys):
    # issue 19 (LOW 6): --control-number defaulted to 1, so every file was ISA13 000000001
    from peerdesk import cli
    from tests.conftest import PASSPHRASE, drop_log_handlers

    provider = demo_provider(team)
    name = team.name
    team.close()
    rows = "\n".join(f'"{peer}" = "{npi}"' for peer, npi in provider.renderers.items())
    provider_file = tmp_path / "provider.toml"
    provider_file.write_text(
        f'name = "{provider.name}"\nnpi = "{provider.npi}"\ntax_id = "{provider.tax_id}"\n'
        f'address = "{provider.address}"\ncity = "{provider.city}"\nstate = "{provider.state}"\n'
        f'zip = "{provider.zip_code}"\nsubmitter_id = "{provider.submitter_id}"\n'
        f'receiver_id = "{provider.receiver_id}"\nreceiver_name = "{provider.receiver_name}"\n'
        f'contact_name = "{provider.contact_name}"\ncontact_phone = "{provider.contact_phone}"\n'
        f"[renderers]\n{rows}\n"
    )
    secret = tmp_path / "pass.txt"
    secret.write_text(PASSPHRASE + "\n")
    numbers = []
    for i in range(2):
        out = tmp_path / f"{i}.837"
        argv = ["--data-dir", str(data_dir), "claims", "--profile", name]
        argv += ["--passphrase-file", str(secret), "--month", "2026-03"]
        argv += ["--provider", str(provider_file), "--x12", str(out), "--yes"]
        code = cli.main(argv)
        drop_log_handlers()
        assert code == 0, capsys.readouterr().err
        numbers.append(out.read_text("ascii").split("~")[0].split("*")[13])
    assert numbers == ["000000001", "000000002"]
