"""The command line as a user runs it: real processes, a real database file, a real server."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from benchmarks.api_bench import serve


def cli(cwd: Path, *args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1"}
    env.pop("CEASEFIRE_CONFIG", None)
    return subprocess.run(
        [sys.executable, "-m", "ceasefire", *args],
        cwd=cwd,
        input=stdin.decode() if stdin is not None else None,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def _row(output: str, label: str) -> int:
    line = next(ln for ln in output.splitlines() if label in ln)
    return int(line.split("│")[-2].strip())


def test_help_everywhere(tmp_path: Path) -> None:
    for args in (
        [],
        ["init"],
        ["ingest"],
        ["articles"],
        ["serve"],
        ["process"],
        ["incidents"],
        ["violations"],
        ["commitments"],
        ["export"],
        ["report"],
        ["users"],
        ["backup"],
        ["restore"],
        ["watch"],
    ):
        result = cli(tmp_path, *args, "--help")
        assert result.returncode == 0, result.stderr
        assert "Usage" in result.stdout


def test_ingest_before_init_explains_what_to_do(tmp_path: Path) -> None:
    result = cli(tmp_path, "ingest", "anything.txt")
    assert result.returncode == 3
    assert "ceasefire init" in result.stderr


def test_init_ingest_reingest(tmp_path: Path, seeds_dir: Path) -> None:
    assert cli(tmp_path, "init").returncode == 0
    assert (tmp_path / "ceasefire.db").exists()
    first = cli(tmp_path, "ingest", str(seeds_dir))
    assert first.returncode == 0, first.stderr
    assert _row(first.stdout, "new articles") == 7
    assert _row(first.stdout, "new documents") == 5
    again = cli(tmp_path, "ingest", str(seeds_dir))
    assert again.returncode == 0
    assert _row(again.stdout, "new articles") == 0
    assert _row(again.stdout, "duplicate documents") == 5
    listing = cli(tmp_path, "articles")
    assert "Articles (7 stored)" in listing.stdout
    assert "2020-06-05" in listing.stdout and "undated" in listing.stdout


def test_failed_items_set_the_exit_code_and_are_listed(tmp_path: Path) -> None:
    assert cli(tmp_path, "init").returncode == 0
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "ok.txt").write_text("Talks in Tunis\n\nDelegates met in Tunis on Monday.\n")
    result = cli(
        tmp_path, "ingest", "empty.txt", "ok.txt", "--source", "Field team", "--kind", "field"
    )
    assert result.returncode == 1
    assert _row(result.stdout, "new articles") == 1
    assert "dropped: empty" in result.stdout
    assert "Dropped items" in result.stdout and "empty.txt" in result.stdout


def test_bad_options_are_rejected(tmp_path: Path) -> None:
    assert cli(tmp_path, "init").returncode == 0
    result = cli(tmp_path, "ingest", "x.txt", "--published", "19/02/2020")
    assert result.returncode == 2
    assert "YYYY-MM-DD" in result.stderr
    result = cli(tmp_path, "ingest", "x.txt", "--kind", "blog")
    assert result.returncode == 2


def test_stdin(tmp_path: Path) -> None:
    assert cli(tmp_path, "init").returncode == 0
    text = b"Port reopens\n\nThe port of Misrata reopened on Monday, officials said.\n"
    result = cli(tmp_path, "ingest", "-", "--published", "2020-03-02", stdin=text)
    assert result.returncode == 0, result.stderr
    assert _row(result.stdout, "new articles") == 1


def test_serve_shows_signed_in_readers_what_was_ingested_and_escapes_it(tmp_path: Path) -> None:
    assert cli(tmp_path, "init").returncode == 0
    record = {
        "title": "<script>alert(1)</script> Clashes in Zawiya",
        "text": "Clashes broke out in Zawiya on Friday <img src=x onerror=alert(2)>, people said.",
        "published": "2020-02-19",
        "source": "Field team",
    }
    (tmp_path / "r.jsonl").write_text(json.dumps(record) + "\n")
    assert cli(tmp_path, "ingest", "r.jsonl").returncode == 0
    password = "correct horse battery staple"
    added = cli(
        tmp_path,
        "users",
        "add",
        "reader",
        "--role",
        "viewer",
        "--password-stdin",
        stdin=password.encode(),
    )
    assert added.returncode == 0, added.stderr
    with serve("sqlite:///ceasefire.db", tmp_path / "server.log") as base:
        health = httpx.get(f"{base}/api/health", timeout=2)
        assert health.json()["articles"] == 1
        # nobody reads without signing in: data and pages answer 401 with a way to log in
        refused = httpx.get(f"{base}/api/articles")
        assert refused.status_code == 401 and refused.json()["error"] == "unauthenticated"
        page = httpx.get(f"{base}/", headers={"Accept": "text/html"})
        assert page.status_code == 401 and 'href="/login?next=/"' in page.text
        assert httpx.get(f"{base}/docs").status_code == 200
        with httpx.Client(base_url=base) as client:
            login = client.post("/api/session", json={"username": "reader", "password": password})
            assert login.status_code == 200, login.text
            listed = client.get("/api/articles").json()
            assert listed["items"][0]["title"].startswith("<script>")  # data kept as written
            html = client.get("/articles", headers={"Accept": "text/html"})
            assert html.status_code == 200
            assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html.text
            assert "<script>alert(1)</script>" not in html.text
            assert "content-security-policy" in html.headers
            # a viewer may not ingest
            upload = client.post(
                "/api/ingest-url",
                json={"url": "https://example.org/"},
                headers={"X-CSRF-Token": login.json()["csrf_token"]},
            )
            assert upload.status_code == 403


@pytest.mark.parametrize("entry", [["-m", "ceasefire"], []])
def test_console_script_and_module_both_run(tmp_path: Path, entry: list[str]) -> None:
    command = (
        [sys.executable, *entry] if entry else [str(Path(sys.executable).parent / "ceasefire")]
    )
    result = subprocess.run([*command, "--version"], capture_output=True, text=True, check=False)
    assert result.returncode == 0
    assert result.stdout.startswith("ceasefire ")


def test_process_then_incidents_violations_and_commitments(tmp_path: Path, seeds_dir: Path) -> None:
    assert cli(tmp_path, "init").returncode == 0
    assert cli(tmp_path, "ingest", str(seeds_dir)).returncode == 0
    processed = cli(tmp_path, "process")
    assert processed.returncode == 0, processed.stderr
    assert "incidents" in processed.stdout
    listed = cli(tmp_path, "incidents", "--from", "2020-02-18", "--to", "2020-02-18", "--json")
    incidents = [json.loads(line) for line in listed.stdout.splitlines()]
    assert incidents and all(i["date"] <= "2020-02-18" <= i["date_end"] for i in incidents)
    assert any(i["status"] == "corroborated" for i in incidents)
    table = cli(tmp_path, "incidents", "--type", "Explosions/Remote violence")
    assert table.returncode == 0 and "Shelling" in table.stdout
    violations = cli(tmp_path, "violations", "--agreement", "moscow_ankara_truce", "--json")
    found = [json.loads(line) for line in violations.stdout.splitlines()]
    assert found and {v["party"] for v in found} >= {"lna"}
    due = cli(tmp_path, "commitments", "--as-of", "2021-02-01", "--json")
    states = {c["term"]: c for c in map(json.loads, due.stdout.splitlines())}
    fighters = states["geneva_foreign_fighters_out"]
    assert (fighters["due"], fighters["status"]) == ("2021-01-23", "overdue")
    bad = cli(tmp_path, "override-commitment", "no_such_term", "met", "--reason", "x")
    assert bad.returncode != 0 and "no obligation" in bad.stderr
    set_ = cli(
        tmp_path,
        "override-commitment",
        "geneva_foreign_fighters_out",
        "partly_met",
        "--reason",
        "JMC counted 2,000 departures",
        "--by",
        "analyst",
    )
    assert set_.returncode == 0, set_.stderr
    after = cli(tmp_path, "commitments", "--as-of", "2021-02-01", "--json")
    states = {c["term"]: c for c in map(json.loads, after.stdout.splitlines())}
    overridden = states["geneva_foreign_fighters_out"]
    assert overridden["status"] == "partly_met" and overridden["computed"] == "overdue"
    assert overridden["override"]["reason"] == "JMC counted 2,000 departures"


def test_backup_and_restore_from_the_command_line(tmp_path: Path) -> None:
    source, target = tmp_path / "a", tmp_path / "b"
    source.mkdir()
    target.mkdir()
    assert cli(source, "init").returncode == 0
    (source / "r.jsonl").write_text(
        json.dumps({"text": "Clashes broke out in Zawiya on Friday.", "published": "2020-02-21"})
        + "\n"
    )
    assert cli(source, "ingest", "r.jsonl").returncode == 0
    saved = cli(source, "backup", str(tmp_path / "snapshot.db"))
    assert saved.returncode == 0, saved.stderr
    assert "1 documents" in saved.stdout
    restored = cli(target, "restore", str(tmp_path / "snapshot.db"))
    assert restored.returncode == 0, restored.stderr
    listed = cli(target, "articles")
    assert listed.returncode == 0 and "Articles (1 stored)" in listed.stdout
    again = cli(target, "restore", str(tmp_path / "snapshot.db"))
    assert again.returncode != 0 and "--force" in again.stderr
