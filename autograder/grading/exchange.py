"""`nbgrader collect` that believes nothing a student put into the exchange (issue 11, class 6),
and `nbgrader release_feedback` that reaches a student who renamed their notebook
(ReleaseFeedbackUnderSubmittedNames, at the end; c.ExchangeFactory.release_feedback).

Wired in through nbgrader's own extension point, in nbgrader_config.py:

    c.ExchangeFactory.collect = "autograder.grading.exchange.SafeCollect"

Every student can write into the exchange's ``inbound/``, and stock nbgrader's collect
believes what it finds there: an entry named ``bob+01_rnn+...`` made by mallory is
collected as bob's (with a warning), the ``timestamp.txt`` inside an entry is the
submission time the late-penalty logic uses, and the entry is copied with
``shutil.copytree`` by the grader (root), which follows symbolic links: a link to the
course secret or the gradebook lands in submitted/ and from there in the feedback.

SafeCollect keeps nbgrader's selection (the latest entry of each student, ``--update``,
``--before-duedate``) and changes what an entry is worth:

* **Owner.** The entry and every file in it must belong to the account of the student it
  is named for (student id -> uid with pwd). An entry for an id with no account, or with
  anything owned by someone else, is refused. With ``SafeCollect.single_account = True``
  (or ``AUTOGRADER_SINGLE_ACCOUNT=1``: a tutorial or a laptop, where one account submits
  for everyone) any owner is accepted, but the entry must still have a single owner.
* **Only plain files and folders.** Symbolic links, hard links (a regular file with more
  than one name), fifos, sockets and device files refuse the entry. The copy opens every
  file and folder with O_NOFOLLOW and checks it again once open, so an entry changed
  while it is being collected cannot slip a link in either.
* **The exchange's own clock.** The submission time is the latest status-change time
  (ctime) of anything in the entry: the moment the last byte arrived, which no user can
  set backwards. It is written as the collected ``timestamp.txt`` (the student's is not
  copied), so nbgrader's late-submission logic uses it. A student's timestamp.txt that
  claims an earlier time is reported.

A refused entry is logged with its name, the student and why, and is never chosen: the
student's latest acceptable entry is collected instead (if any). The run ends with a
summary and exits 0 as long as nbgrader itself does; every honest student is collected.
"""
import datetime
import glob
import os
import pwd
import shutil
import stat
from dataclasses import dataclass, field

from dateutil.tz import gettz
from nbgrader.exchange.default.collect import ExchangeCollect
from nbgrader.exchange.default.release_feedback import ExchangeReleaseFeedback
from nbgrader.utils import ignore_patterns, notebook_hash, parse_utc
from traitlets import Bool, Float, Integer, default

ENV_SINGLE_ACCOUNT = "AUTOGRADER_SINGLE_ACCOUNT"
NEVER = datetime.datetime.max  # the "time" of a refused entry: never before any due date
MAX_ENTRIES = 10_000           # files and folders in one inbound entry
MAX_DEPTH = 32
MAX_TIMESTAMP_BYTES = 200
_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
_FILE_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
_KINDS = {stat.S_IFIFO: "fifo", stat.S_IFSOCK: "socket", stat.S_IFCHR: "character device",
          stat.S_IFBLK: "block device", stat.S_IFLNK: "symbolic link"}


class Refused(Exception):
    """An inbound entry that must not be collected; the message says why."""


def shown(text):
    """A student-chosen name for a log line: non-printable characters escaped."""
    return "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in str(text))


def account_name(uid):
    try:
        return f"{pwd.getpwuid(uid).pw_name} (uid {uid})"
    except KeyError:
        return f"uid {uid} (no account)"


def utc(seconds):
    """A POSIX time as the naive UTC datetime nbgrader stores."""
    return datetime.datetime.fromtimestamp(seconds, datetime.timezone.utc).replace(tzinfo=None)


@dataclass
class Verdict:
    """What an inbound entry is: its problems (empty: acceptable), when it arrived
    (latest ctime, naive UTC), what its timestamp.txt claims, its size in bytes."""
    problems: list = field(default_factory=list)
    arrived: datetime.datetime = None
    claimed: str = None
    size: int = 0
    named_time: str = None  # the time in the entry's name, as chosen by whoever made it


def _walk(dir_fd, prefix="", depth=0):
    """(relative path, lstat, parent fd, name) of everything under the open folder
    ``dir_fd``, depth first; never follows a symbolic link (folders are opened with
    O_NOFOLLOW relative to their parent)."""
    if depth > MAX_DEPTH:
        raise Refused(f"folders nested deeper than {MAX_DEPTH}")
    for name in sorted(os.listdir(dir_fd)):
        st = os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
        yield prefix + name, st, dir_fd, name
        if stat.S_ISDIR(st.st_mode):
            fd = os.open(name, _DIR_FLAGS, dir_fd=dir_fd)
            try:
                yield from _walk(fd, f"{prefix}{name}/", depth + 1)
            finally:
                os.close(fd)


def _kind_problem(rel, st, dir_fd, name):
    """Why a file of this type may not be collected, or None for a folder or a plain file."""
    kind = stat.S_IFMT(st.st_mode)
    if kind == stat.S_IFLNK:
        return f"{shown(rel)} is a symbolic link (to {shown(os.readlink(name, dir_fd=dir_fd))})"
    if kind in _KINDS:
        return f"{shown(rel)} is a {_KINDS[kind]}"
    if kind == stat.S_IFREG and st.st_nlink > 1:
        return f"{shown(rel)} is a hard link ({st.st_nlink} names: a file from elsewhere)"
    return None


def _read_small(dir_fd, name):
    """The text of a small plain file, or None; never follows a link, never blocks."""
    try:
        fd = os.open(name, _FILE_FLAGS, dir_fd=dir_fd)
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        return os.read(fd, MAX_TIMESTAMP_BYTES).decode("utf-8", "replace").strip()
    finally:
        os.close(fd)


def inspect_entry(path, uid=None, max_bytes=None, max_entries=MAX_ENTRIES):
    """The Verdict on one inbound entry. ``uid``: the account every file must belong to;
    None accepts any single owner (the single-account setting). Only reads metadata and
    the entry's timestamp.txt."""
    verdict = Verdict()
    try:
        top = os.stat(path, follow_symlinks=False)
    except OSError as exc:
        verdict.problems.append(f"cannot be read ({exc.strerror})")
        return verdict
    if stat.S_ISLNK(top.st_mode) or not stat.S_ISDIR(top.st_mode):
        verdict.problems.append("is a symbolic link" if stat.S_ISLNK(top.st_mode) else "is not a folder")
        return verdict
    owner = top.st_uid if uid is None else uid
    if top.st_uid != owner:
        verdict.problems.append(f"is owned by {account_name(top.st_uid)}")
    latest, count = top.st_ctime, 0
    fd = os.open(path, _DIR_FLAGS)
    try:
        for rel, st, dir_fd, name in _walk(fd):
            count += 1
            if count > max_entries:
                verdict.problems.append(f"holds more than {max_entries} files")
                break
            latest = max(latest, st.st_ctime)
            problem = _kind_problem(rel, st, dir_fd, name)
            if problem:
                verdict.problems.append(problem)
            if st.st_uid != owner:
                verdict.problems.append(f"{shown(rel)} is owned by {account_name(st.st_uid)}")
            if stat.S_ISREG(st.st_mode):
                verdict.size += st.st_size
        verdict.claimed = _read_small(fd, "timestamp.txt")
    except Refused as exc:
        verdict.problems.append(str(exc))
    except OSError as exc:
        verdict.problems.append(f"changed or could not be read while it was checked ({exc.strerror})")
    finally:
        os.close(fd)
    if max_bytes and verdict.size > max_bytes:
        verdict.problems.append(f"is {verdict.size} bytes, over the limit of {max_bytes}")
    verdict.arrived = utc(latest)
    return verdict


def copy_entry(src, dest, uid, ignore=None, skip=("timestamp.txt",)):
    """Copy the inbound entry ``src`` to the new folder ``dest``, never following a link.

    Every file and folder is opened with O_NOFOLLOW and checked again once open (a plain
    file or folder with one name, owned by ``uid``, the same inode that was listed), so a
    change made while the entry is copied cannot slip anything in: it raises Refused.
    ``ignore`` is nbgrader's ignore_patterns (CourseDirectory.ignore, include,
    max_file_size); ``skip``: top-level names never copied (the student's timestamp)."""
    os.mkdir(dest, 0o755)
    fd = os.open(src, _DIR_FLAGS)
    try:
        _copy_folder(fd, src, dest, uid, ignore, set(skip), 0)
    finally:
        os.close(fd)


def _copy_folder(dir_fd, src, dest, uid, ignore, skip, depth):
    if depth > MAX_DEPTH:
        raise Refused(f"folders nested deeper than {MAX_DEPTH}")
    names = sorted(os.listdir(dir_fd))
    ignored = set(ignore(src, names)) if ignore else set()
    for name in names:
        if name in ignored or name in skip:
            continue
        st = os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
        problem = _kind_problem(name, st, dir_fd, name)
        if problem or st.st_uid != uid:
            raise Refused(problem or f"{shown(name)} is owned by {account_name(st.st_uid)}")
        flags = _DIR_FLAGS if stat.S_ISDIR(st.st_mode) else _FILE_FLAGS
        fd = os.open(name, flags, dir_fd=dir_fd)
        try:
            opened = os.fstat(fd)
            if ((opened.st_dev, opened.st_ino) != (st.st_dev, st.st_ino) or opened.st_uid != uid
                    or (stat.S_ISREG(opened.st_mode) and opened.st_nlink > 1)):
                raise Refused(f"{shown(name)} changed while it was collected")
            target = os.path.join(dest, name)
            if stat.S_ISDIR(opened.st_mode):
                os.mkdir(target, 0o755)
                _copy_folder(fd, os.path.join(src, name), target, uid, ignore, set(), depth + 1)
            else:
                _copy_file(fd, opened, target)
        finally:
            os.close(fd)


def _copy_file(fd, st, target):
    """The bytes of the open file (as many as it had when opened), its mode without
    set-id bits or group/other write, and its modification time."""
    out = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC,
                  stat.S_IMODE(st.st_mode) & 0o755 | 0o600)
    try:
        left = st.st_size
        while left > 0:
            block = os.read(fd, min(left, 1 << 20))
            if not block:
                break
            os.write(out, block)
            left -= len(block)
    finally:
        os.close(out)
    os.utime(target, ns=(st.st_atime_ns, st.st_mtime_ns))


class SafeCollect(ExchangeCollect):
    """nbgrader's ExchangeCollect that refuses entries not made by the named student or
    holding anything but plain files and folders, and records the exchange's time."""

    single_account = Bool(
        help="One account submits for every student (a tutorial, a laptop): do not require "
             "an entry to be owned by the account of the student it names. Symbolic links, "
             "special files and forged timestamps are still refused. Default: the "
             f"environment variable {ENV_SINGLE_ACCOUNT}=1, otherwise False."
    ).tag(config=True)

    @default("single_account")
    def _single_account_default(self):
        return os.environ.get(ENV_SINGLE_ACCOUNT, "").strip().lower() in ("1", "true", "yes")

    timestamp_tolerance = Float(
        60.0,
        help="Seconds a student's timestamp.txt may be earlier than the exchange's record "
             "without being reported (an honest `nbgrader submit` copies for a moment)."
    ).tag(config=True)

    max_entries = Integer(MAX_ENTRIES, help="Files and folders allowed in one entry.").tag(config=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.refused = []       # (entry name, student, problems)
        self._records = {}      # inbound path -> record

    # -- which entries: nbgrader's selection, on the exchange's own times -----------------

    def init_src(self):
        self._check_inbound_mode()
        super().init_src()

    def _check_inbound_mode(self):
        """Warn when inbound/ lets students list, rename or delete each other's entries."""
        inbound = os.path.join(self.root, self.coursedir.course_id, "inbound")
        try:
            mode = os.stat(inbound).st_mode
        except OSError:
            return  # nbgrader's own init_src reports a missing folder
        if mode & (stat.S_IRGRP | stat.S_IROTH) or not mode & stat.S_ISVTX:
            self.log.warning("%s has mode %o: students can list it or remove each other's "
                             "entries. As the grader: chmod 1733 %s", inbound,
                             stat.S_IMODE(mode), inbound)

    def _path_to_record(self, path):
        filename = os.path.basename(path)
        parts = filename.rsplit("+", 3)
        username = parts[0]
        verdict = self._judge(path, username)
        if len(parts) >= 3:
            verdict.named_time = parts[2]
        record = {"username": username, "filename": filename, "verdict": verdict,
                  "timestamp": NEVER if verdict.problems else verdict.arrived}
        self._records[path] = record
        if verdict.problems:
            self._refuse(record, verdict.problems)
        else:
            self._check_claim(record)
        return record

    def _sort_by_timestamp(self, records):
        """Acceptable entries first, latest first: a refused entry is chosen only when a
        student has nothing else, and is then left out by copy_files."""
        return sorted(records, key=lambda r: (not r["verdict"].problems, r["timestamp"]), reverse=True)

    def _judge(self, path, username):
        """The Verdict on one entry for the student it names (the glob that found it
        guarantees a name of the form student+assignment+...)."""
        uid = None
        if not self.single_account:
            try:
                uid = pwd.getpwnam(username).pw_uid
            except KeyError:
                return Verdict(problems=[f"names {shown(username)!r}, but there is no account "
                                         "of that name on this machine"])
        max_bytes = 1000 * self.coursedir.max_dir_size if self.coursedir.max_dir_size else None
        return inspect_entry(path, uid, max_bytes, self.max_entries)

    def _refuse(self, record, problems):
        shown_problems = problems[:5] + ([f"and {len(problems) - 5} more"] if len(problems) > 5 else [])
        rule = ("single-account mode: one owner, plain files only" if self.single_account else
                f"only the account {shown(record['username'])} may make it, of plain files only")
        self.log.warning(
            "Refused inbound entry %r (student %s; %s): %s. Not collected; the student's "
            "latest acceptable entry, if any, is collected instead.",
            shown(record["filename"]), shown(record["username"]), rule, "; ".join(shown_problems))
        self.refused.append((record["filename"], record["username"], problems))

    def _check_claim(self, record):
        """Report a timestamp.txt or entry name that claims an earlier time than the
        exchange's record (or no readable time); the exchange's record is used anyway."""
        verdict = record["verdict"]
        earliest_honest = verdict.arrived - datetime.timedelta(seconds=self.timestamp_tolerance)
        for where, text in (("timestamp.txt", verdict.claimed), ("name", verdict.named_time)):
            if text is None:
                continue
            try:
                claimed = parse_utc(text)
            except Exception:  # anything a student wrote: unparseable is reported, not fatal
                claimed = None
            if claimed is None or claimed < earliest_honest:
                self.log.warning(
                    "Inbound entry %r (student %s): its %s claims %r, but the exchange received "
                    "it at %s UTC; that time is recorded as the submission time (late "
                    "submissions are judged on it).", shown(record["filename"]),
                    shown(record["username"]), where, shown(text), verdict.arrived)

    # -- copying ----------------------------------------------------------------------------

    def copy_files(self):
        chosen = self.src_records
        self.src_records = [r for r in chosen if not r["verdict"].problems]
        for record in chosen:
            if record["verdict"].problems:
                self.log.warning("No submission of %s collected: every inbound entry in that "
                                 "name was refused (above).", shown(record["username"]))
        owner_check, self.check_owner = self.check_owner, False  # _judge checked every file
        try:
            super().copy_files()
        finally:
            self.check_owner = owner_check
        self._summary()

    def do_copy(self, src, dest, log=None):
        """Copy one accepted entry without following links, then write the exchange's
        time as its timestamp.txt."""
        record = self._records.get(src) or self._path_to_record(src)
        try:
            uid = (os.stat(src, follow_symlinks=False).st_uid if self.single_account
                   else pwd.getpwnam(record["username"]).pw_uid)
        except (KeyError, OSError) as exc:
            self._refuse(record, [f"its owner could not be checked again ({exc})"])
            return
        ignore = ignore_patterns(exclude=self.coursedir.ignore, include=self.coursedir.include,
                                 max_file_size=self.coursedir.max_file_size, log=self.log)
        try:
            copy_entry(src, dest, uid, ignore=ignore)
        except (Refused, OSError) as exc:
            shutil.rmtree(dest, ignore_errors=True)
            why = str(exc) if isinstance(exc, Refused) else f"could not be copied ({exc})"
            self._refuse(record, [why])
            return
        arrived = max(record["verdict"].arrived, inspect_entry(src, uid).arrived)  # changed since?
        tz = gettz(self.timezone)
        moment = arrived.replace(tzinfo=datetime.timezone.utc).astimezone(tz)
        with open(os.path.join(dest, "timestamp.txt"), "w") as fh:
            fh.write(moment.strftime(self.timestamp_format))

    def _summary(self):
        if not self.refused:
            self.log.info("No inbound entry of '%s' was refused.", self.coursedir.assignment_id)
            return
        lines = [f"  {shown(name)} (student {shown(student)}): {shown(problems[0])}"
                 for name, student, problems in self.refused]
        count = len(self.refused)
        self.log.warning(
            "%d inbound %s refused for '%s' (the student named, and why; left in the exchange "
            "untouched, for you to look at):\n%s", count, "entry" if count == 1 else "entries",
            self.coursedir.assignment_id, "\n".join(lines))


class ReleaseFeedbackUnderSubmittedNames(ExchangeReleaseFeedback):
    """nbgrader's release_feedback that also releases the feedback of a renamed notebook
    under the name the student submitted (issue 16, item 1).

    `python -m autograder.instructor.intake` grades a single renamed notebook (``03_lstm-Copy1.ipynb``)
    under its expected name, so the feedback is ``feedback/<student>/<A>/03_lstm.html`` and
    stock release_feedback names it after notebook_hash(secret, "03_lstm"). The student's
    fetch_feedback looks for notebook_hash(secret, <each notebook in the submission of
    their cache>), i.e. "03_lstm-Copy1", and finds nothing. This class releases the same
    page under that name too (it logs each one), and warns about every submitted notebook
    that will find no feedback (an extra notebook intake ignored), so the instructor knows.
    Which renamed notebook was graded is decided again by intake's own check of
    ``submitted/<student>/<A>/`` (read only)."""

    def copy_files(self):
        super().copy_files()
        exclude = set(filter(None, (self.coursedir.student_id_exclude or "").split(",")))
        for html in sorted(glob.glob(os.path.join(self.src_path, "*.html"))):
            feedback_dir = os.path.dirname(html)
            student = os.path.basename(os.path.dirname(feedback_dir))
            if student in exclude:
                continue
            try:
                self._release_renamed(html, feedback_dir, student)
            except Exception as exc:  # a student's odd folder must not stop the others
                self.log.warning("Feedback of student %r: could not check the submitted names "
                                 "(%s: %s)", shown(student), type(exc).__name__, shown(exc))

    def _release_renamed(self, html, feedback_dir, student):
        from autograder.grading.submitted_files import submitted_names_of  # nbformat, only when releasing

        notebook_id = os.path.splitext(os.path.basename(html))[0]
        assignment = self.coursedir.assignment_id
        submitted = self.coursedir.format_path(self.coursedir.submitted_directory, student, assignment)
        source = self.coursedir.format_path(self.coursedir.source_directory, ".", assignment)
        if not os.path.isdir(submitted):
            return
        graded_as, ignored = submitted_names_of(submitted, source, notebook_id)
        where = f"{self.coursedir.course_id}/{assignment}"
        for name in ignored:
            self.log.warning(
                "Student '%s' submitted %s.ipynb in %s, which was not graded (intake's Grading "
                "note says why); their fetch_feedback will print \"Could not find feedback for "
                "'%s/%s'\" for it. Their feedback is %s (fetched only if they submitted "
                "%s.ipynb too).", shown(student), shown(name), where, where, shown(name), html,
                notebook_id)
        if graded_as is None:
            return
        with open(os.path.join(feedback_dir, "submission_secret.txt")) as fh:
            secret = fh.read()
        checksum = notebook_hash(secret=secret, notebook_id=graded_as)
        tmp = os.path.join(self.dest_path, f"{checksum}-tmp.html")
        shutil.copy(html, tmp)
        shutil.move(tmp, os.path.join(self.dest_path, f"{checksum}.html"))
        self.log.warning(
            "Student '%s' submitted %s.ipynb, not %s.ipynb; intake graded it as %s.ipynb. Its feedback "
            "is also released under the submitted name, so their fetch_feedback finds it "
            "(as %s/feedback/<time>/%s.html).", shown(student), shown(graded_as), notebook_id,
            notebook_id, assignment, shown(graded_as))
