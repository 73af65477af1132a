"""``mentorwijs instruments import`` and ``export``: files written, reports printed, exit
codes, and nothing written from a broken file."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from mentorwijs.cli import main
from mentorwijs.protocol import load_protocol
from mentorwijs.protocol.redcap import export_dictionary, import_dictionary

DICTIONARY = Path(__file__).parent / "data" / "instruments" / "redcap_dictionary.csv"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_import_writes_the_protocol_and_prints_the_report(tmp_path):
    code, out = run("instruments", "import", str(DICTIONARY), "--out", str(tmp_path / "p"))
    assert code == 0, out
    target = tmp_path / "p" / "protocol.yaml"
    assert f"29 items in 2 vragenlijsten geschreven naar {target}." in out
    assert "Verslag (26 melding(en), 5 veld(en) niet overgenomen):" in out
    assert (
        "  follow_up.total_score (rij 24): [niet overgenomen] een berekend veld bevat geen " in out
    )
    assert "Traceback" not in out
    written = load_protocol(target)
    assert written == import_dictionary(DICTIONARY).protocol


def test_import_takes_role_waves_and_version_and_speaks_english(tmp_path):
    code, out = run(
        "--lang", "en", "instruments", "import", str(DICTIONARY), "--out", str(tmp_path),
        "--role", "employee", "--waves", "T0,T2", "--version", "pilot-1",
    )  # fmt: skip
    assert code == 0, out
    assert "Report (26 message(s), 5 field(s) not imported):" in out
    p = load_protocol(tmp_path / "protocol.yaml")
    assert p.version == "pilot-1"
    assert {(i.role, i.waves) for i in p.instruments.values()} == {("employee", ("T0", "T2"))}


def test_import_refuses_waves_that_are_not_the_roles(tmp_path):
    code, out = run(
        "--lang", "en", "instruments", "import", str(DICTIONARY), "--out", str(tmp_path / "p"),
        "--role", "employee", "--waves", "T1",
    )  # fmt: skip
    assert code == 2
    assert "the waves ['T1'] are not waves of the protocol for employee: choose from T0, T2" in out
    assert not (tmp_path / "p").exists()


def test_a_broken_file_exits_2_with_a_clear_message_and_writes_nothing(tmp_path):
    bad = tmp_path / "export.csv"
    bad.write_text("name,age\nAnna,34\n", encoding="utf-8")
    out_dir = tmp_path / "out"
    code, out = run("instruments", "import", str(bad), "--out", str(out_dir))
    assert code == 2
    assert f"fout: {bad} kan niet worden ingelezen: de kolommen variable / field name" in out
    assert not out_dir.exists()
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    code, out = run("--lang", "en", "instruments", "import", str(empty), "--out", str(out_dir))
    assert code == 2
    assert f"error: {empty} cannot be imported: the file is empty" in out
    code, out = run("--lang", "en", "instruments", "import", str(tmp_path / "x.csv"), "--out", "o")
    assert code == 2
    assert "cannot be imported: it cannot be read (No such file or directory)" in out
    assert not out_dir.exists()


def test_an_unknown_file_type_exits_2(tmp_path):
    odd = tmp_path / "form.json"
    odd.write_text("{}", encoding="utf-8")
    code, out = run("--lang", "en", "instruments", "import", str(odd), "--out", str(tmp_path / "o"))
    assert code == 2
    assert "give a REDCap data dictionary (.csv) or an XLSForm (.xlsx)" in out


def test_export_writes_the_redcap_dictionary(tmp_path):
    target = tmp_path / "dictionary.csv"
    code, out = run("instruments", "export", "--format", "redcap", "--out", str(target))
    assert code == 0, out
    assert "REDCap-datawoordenboek met 50 velden geschreven naar" in out
    assert target.read_text(encoding="utf-8") == export_dictionary(load_protocol())
    # ... and importing it gives the shipped protocol back.
    code, out = run("instruments", "import", str(target), "--out", str(tmp_path / "back"))
    assert code == 0, out
    assert load_protocol(tmp_path / "back" / "protocol.yaml") == load_protocol()


def test_export_of_another_protocol_in_english(tmp_path):
    run("instruments", "import", str(DICTIONARY), "--out", str(tmp_path))
    target = tmp_path / "again.csv"
    code, out = run(
        "--lang", "en", "instruments", "export", "--protocol", str(tmp_path / "protocol.yaml"),
        "--out", str(target),
    )  # fmt: skip
    assert code == 0, out
    assert "REDCap data dictionary with 30 fields written to" in out
    assert (
        "\norg_size,intake,,radio,Hoeveel medewerkers heeft uw organisatie?," in target.read_text()
    )


def test_export_of_a_broken_protocol_says_so(tmp_path):
    bad = tmp_path / "p.yaml"
    bad.write_text("version: 1\nwaves: {}\n", encoding="utf-8")
    code, out = run(
        "--lang",
        "en",
        "instruments",
        "export",
        "--protocol",
        str(bad),
        "--out",
        str(tmp_path / "x"),
    )
    assert code == 1
    assert f"error: the protocol {bad} is not valid: version: Input should be a valid string" in out
    assert "answer_scales: Field required" in out
    assert not (tmp_path / "x").exists()
