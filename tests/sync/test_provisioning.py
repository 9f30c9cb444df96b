"""The provisioning file IT puts on a laptop: validated, each problem named."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from peerdesk.config import check_agency_url, load_provisioning
from peerdesk.crypto.seal import SigningKeyPair
from peerdesk.errors import ConfigError

ROOT = SigningKeyPair.generate()


def good() -> dict:
    return {
        "format": 1,
        "agency_name": "Hollow Creek Peer Services",
        "agency_url": "https://agency.example.org/",
        "root_public_key": ROOT.public_raw.hex(),
        "root_key_id": ROOT.key_id,
    }


def write(tmp_path: Path, data: object) -> Path:
    path = tmp_path / "provisioning.json"
    path.write_text(json.dumps(data) if not isinstance(data, str) else data)
    return path


def test_a_good_file_loads(tmp_path):
    data = good() | {"enrollment_code": " 7K3M-Q9XD-2B "}
    prov = load_provisioning(write(tmp_path, data))
    assert prov.agency_url == "https://agency.example.org"
    assert prov.root_public_key == ROOT.public_raw and prov.root_key_id == ROOT.key_id
    assert prov.enrollment_code == "7K3M-Q9XD-2B" and prov.ca_cert_pem is None
    assert "7K3M" not in repr(prov)


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"format": 2}, "format must be 1"),
        ({"format": True}, "format must be 1"),
        ({"agency_name": ""}, "agency_name"),
        ({"agency_url": "ftp://agency.example.org"}, "https://"),
        ({"agency_url": "http://agency.example.org"}, "must use https://"),
        ({"agency_url": "https://user:pw@agency.example.org"}, "user name"),
        ({"agency_url": "https://"}, "name a host"),
        ({"agency_url": 5}, "agency_url"),
        ({"root_public_key": "abcd"}, "root_public_key must be 64"),
        ({"root_public_key": "zz" * 32}, "root_public_key must be 64"),
        ({"root_key_id": "0" * 16}, "does not match"),
        ({"root_key_id": "short"}, "root_key_id must be 16"),
        ({"ca_cert_pem": "not a pem"}, "ca_cert_pem"),
        (
            {"ca_cert_pem": "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"},
            "not a usable certificate",
        ),
        ({"enrollment_code": ""}, "enrollment_code"),
        ({"agency_ulr": "https://typo"}, "unknown field(s): agency_ulr"),
    ],
)
def test_each_problem_is_named(tmp_path, change, words):
    path = write(tmp_path, good() | change)
    with pytest.raises(ConfigError) as err:
        load_provisioning(path)
    assert words in str(err.value)
    assert err.value.path == str(path)


@pytest.mark.parametrize("field", ["agency_name", "agency_url", "root_public_key", "root_key_id"])
def test_required_fields(tmp_path, field):
    data = good()
    del data[field]
    with pytest.raises(ConfigError, match=field):
        load_provisioning(write(tmp_path, data))


@pytest.mark.parametrize("text", ["", "{", "[1, 2]", "\udcff"])
def test_not_json_or_not_an_object(tmp_path, text):
    path = tmp_path / "p.json"
    path.write_bytes(text.encode("utf-8", "surrogateescape"))
    with pytest.raises(ConfigError):
        load_provisioning(path)


def test_a_missing_file_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="cannot read"):
        load_provisioning(tmp_path / "nope.json")


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:8765", "http://localhost:8000/", "http://[::1]:9000"]
)
def test_plain_http_is_allowed_to_this_computer_only(url):
    assert check_agency_url(url).startswith("http://")
