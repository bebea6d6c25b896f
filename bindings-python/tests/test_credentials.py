"""The credential chain (issue #7): explicit arguments, then the environment, then the profile
file ``~/.tencentcloud/credentials`` parsed by the core; clear errors naming what was looked
for, and no secret in any of them."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import essbasic
import pytest
from conftest import AGENT, StubServer
from essbasic.errors import SigningError

ENV = (
    "TENCENTCLOUD_SECRET_ID",
    "TENCENTCLOUD_SECRET_KEY",
    "TENCENTCLOUD_SESSION_TOKEN",
    "TENCENTCLOUD_TOKEN",
    "TENCENTCLOUD_PROFILE",
)

PROFILE = """\
# written by tccli
[default]
secret_id = AKIDfromTheDefaultProfile
secret_key = key-of-the-default-profile

[prod]
secret_id=AKIDfromTheProdProfile0
secret_key = "key-of-the-prod-profile"
token = token-of-the-prod-profile

[broken]
secret_id = AKIDbroken
"""


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty home directory and no credential variables."""
    monkeypatch.setenv("HOME", str(tmp_path))
    for name in ENV:
        monkeypatch.delenv(name, raising=False)
    yield tmp_path


def write_profile(home: Path, text: str = PROFILE) -> Path:
    path = home / ".tencentcloud" / "credentials"
    path.parent.mkdir()
    path.write_text(text, encoding="utf-8")
    return path


def test_nothing_found_names_what_was_looked_for(home: Path) -> None:
    with pytest.raises(SigningError) as err:
        essbasic.Client()
    message = str(err.value)
    for expected in (
        "secret_id",
        "TENCENTCLOUD_SECRET_ID",
        "TENCENTCLOUD_SECRET_KEY",
        "[default]",
        str(home / ".tencentcloud" / "credentials"),
        "no such file",
    ):
        assert expected in message, message


def test_the_profile_file_is_the_last_resort(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_profile(home)
    c = essbasic.Client()
    assert c.secret_id == "AKIDfromTheDefaultProfile"
    assert c.credentials_source.startswith("profile [default] in ")
    assert "key-of-the-default-profile" not in repr(c)
    # TENCENTCLOUD_PROFILE picks the section; the token comes with it.
    monkeypatch.setenv("TENCENTCLOUD_PROFILE", "prod")
    c = essbasic.Client()
    assert c.secret_id == "AKIDfromTheProdProfile0"
    assert c._credentials.get() == (
        "AKIDfromTheProdProfile0",
        "key-of-the-prod-profile",
        "token-of-the-prod-profile",
    )
    # The environment comes before the file.
    monkeypatch.setenv("TENCENTCLOUD_SECRET_ID", "AKIDfromTheEnvironment01")
    monkeypatch.setenv("TENCENTCLOUD_SECRET_KEY", "key-from-the-environment")
    c = essbasic.Client()
    assert (c.secret_id, c.credentials_source) == ("AKIDfromTheEnvironment01", "the environment")
    # Explicit arguments come first of all.
    c = essbasic.Client("AKIDexplicitArguments001", "explicit-key")
    assert (c.secret_id, c.credentials_source) == ("AKIDexplicitArguments001", "arguments")
    # An explicit profile= is used as asked, even with the environment set.
    c = essbasic.Client(profile="default")
    assert c.secret_id == "AKIDfromTheDefaultProfile"


def test_profile_errors(home: Path) -> None:
    path = write_profile(home)
    with pytest.raises(SigningError) as err:
        essbasic.Client(profile="staging")
    assert "[staging]" in str(err.value) and str(path) in str(err.value)
    assert "no [staging] section" in str(err.value)
    with pytest.raises(SigningError) as err:
        essbasic.Client(profile="broken")
    message = str(err.value)
    assert "[broken]" in message and "secret_key" in message and str(path) in message
    assert "AKIDbroken" not in message
    with pytest.raises(ValueError):
        essbasic.Client("AKIDx", "k", profile="default")


def test_partial_settings_are_refused(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_profile(home)
    monkeypatch.setenv("TENCENTCLOUD_SECRET_ID", "AKIDonlyTheId")
    with pytest.raises(SigningError) as err:
        essbasic.Client()
    assert "TENCENTCLOUD_SECRET_KEY is not" in str(err.value)
    with pytest.raises(SigningError) as err:
        essbasic.Client(secret_id="AKIDonlyTheId")
    assert "secret_key is missing" in str(err.value)


def test_profile_credentials_sign_requests(home: Path, stub: StubServer) -> None:
    write_profile(home)
    with essbasic.Client(profile="prod", endpoint=stub.url) as c:
        c.describe_templates(Agent=AGENT)
    headers = stub.requests[-1]["headers"]
    assert "Credential=AKIDfromTheProdProfile0/" in headers["Authorization"]
    assert headers["X-TC-Token"] == "token-of-the-prod-profile"


def test_the_core_parses_the_file() -> None:
    parse = essbasic._core.parse_profile
    assert parse(PROFILE, "PROD") == (
        "AKIDfromTheProdProfile0",
        "key-of-the-prod-profile",
        "token-of-the-prod-profile",
    )
    assert parse(PROFILE, "missing") is None
    assert essbasic._core.PROFILE_RELATIVE_PATH == ".tencentcloud/credentials"
