"""autograder.grading.exchange on its own: what an inbound entry is worth, and a copy that follows
nothing. The real `nbgrader collect` with real accounts is tests/grading/test_exchange_hostile.py."""
import datetime
import os
import stat
import time

import pytest

from autograder.grading.exchange import Refused, copy_entry, inspect_entry


def entry_with(tmp_path, **files):
    entry = tmp_path / "bob+01_rnn+2026-11-30 12:00:00.000000 UTC+x"
    entry.mkdir()
    for name, text in {"01_rnn.ipynb": "{}", "timestamp.txt": "2020-01-01 00:00:00.000000 UTC",
                       **files}.items():
        (entry / name).write_text(text)
    return entry


def test_a_plain_entry_is_accepted_with_the_time_it_arrived(tmp_path):
    before = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)
    time.sleep(0.01)
    entry = entry_with(tmp_path)
    old = time.time() - 10 * 86400
    for path in (*entry.iterdir(), entry):
        os.utime(path, (old, old))  # mtimes can be set back; ctimes cannot
    verdict = inspect_entry(entry, uid=os.getuid())
    assert verdict.problems == []
    assert verdict.arrived >= before
    assert verdict.claimed == "2020-01-01 00:00:00.000000 UTC"


@pytest.mark.parametrize("make, why", [
    (lambda e, t: os.symlink("/etc/passwd", e / "notes.txt"), "symbolic link"),
    (lambda e, t: os.symlink(t, e / "up"), "symbolic link"),
    (lambda e, t: os.mkfifo(e / "pipe"), "fifo"),
    (lambda e, t: os.link(e / "01_rnn.ipynb", t / "second-name"), "hard link"),
    (lambda e, t: (e / "sub").mkdir() or os.symlink("/", e / "sub" / "root"), "sub/root is a symbolic link"),
    (lambda e, t: (e / "timestamp.txt").unlink() or os.symlink("/etc/hostname", e / "timestamp.txt"),
     "timestamp.txt is a symbolic link"),
])
def test_links_and_special_files_refuse_the_entry(tmp_path, make, why):
    entry = entry_with(tmp_path)
    make(entry, tmp_path)
    verdict = inspect_entry(entry, uid=os.getuid())
    assert any(why in problem for problem in verdict.problems), verdict.problems


def test_an_entry_that_is_itself_a_link_is_refused(tmp_path):
    target = entry_with(tmp_path)
    link = tmp_path / "alice+01_rnn+t+y"
    os.symlink(target, link)
    assert inspect_entry(link, uid=os.getuid()).problems == ["is a symbolic link"]


def test_an_entry_of_another_owner_is_refused(tmp_path):
    entry = entry_with(tmp_path)
    verdict = inspect_entry(entry, uid=os.getuid() + 4242)
    assert any(p.startswith("is owned by") for p in verdict.problems), verdict.problems
    assert any(p.startswith("01_rnn.ipynb is owned by") for p in verdict.problems)
    assert inspect_entry(entry, uid=None).problems == []  # single account: any one owner


def test_the_copy_follows_nothing_skips_the_students_timestamp_and_drops_set_id_bits(tmp_path):
    entry = entry_with(tmp_path, **{"data.csv": "1,2"})
    (entry / "sub").mkdir()
    (entry / "sub" / "more.txt").write_text("more")
    (entry / "data.csv").chmod(0o4777)
    dest = tmp_path / "submitted"
    copy_entry(entry, dest, os.getuid())
    assert sorted(str(p.relative_to(dest)) for p in dest.rglob("*")) == [
        "01_rnn.ipynb", "data.csv", "sub", "sub/more.txt"]
    assert stat.S_IMODE((dest / "data.csv").stat().st_mode) == 0o755
    assert (dest / "sub" / "more.txt").read_text() == "more"


def test_a_link_slipped_in_after_the_check_is_refused_by_the_copy(tmp_path):
    entry = entry_with(tmp_path)
    assert inspect_entry(entry, uid=os.getuid()).problems == []
    (entry / "01_rnn.ipynb").unlink()
    os.symlink("/etc/passwd", entry / "01_rnn.ipynb")  # between the check and the copy
    with pytest.raises(Refused, match="symbolic link"):
        copy_entry(entry, tmp_path / "submitted", os.getuid())
    assert not any("root:" in p.read_text() for p in (tmp_path / "submitted").rglob("*") if p.is_file())
