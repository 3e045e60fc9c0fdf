"""Two learners on one machine, as on a shared hub or lab server: each backend is its own.

The test process is the first learner; a throwaway Unix user (made with ``useradd``, removed
at the end) is the second. Neither pins a port. Both get working backends; the second can read
no file of the first's kit home, no outbox and no mailbox, cannot use its own key or secret on
the first's backend, and makes no admin call there; the first learner's own clients keep
working. The second user's read-only kit home ends in one line, not a traceback.

Needs root (to make the user; CI runs as root) and a Python the second user may run (the
test's own, or a system one of the same version with the kit's packages on PYTHONPATH);
skips with the reason otherwise.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from wildrydes import accounts, launch, mailbox
from wildrydes.kit import Kit, current
from wildrydes.local import process, secret

REPO = Path(__file__).resolve().parents[2]
PASSWORD = "Two-Learners-42"
# Under make test's xdist workers: the two learners (module fixtures) are made once, on one worker.
pytestmark = pytest.mark.xdist_group("second-user")


@dataclass
class OtherUser:
    name: str
    home: Path
    python: str
    pythonpath: str

    def run(self, *command: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        """``command`` as this user, with a clean environment of its own."""
        environment = [
            "PATH=/usr/local/bin:/usr/bin:/bin",
            f"HOME={self.home.parent}",
            f"WILDRYDES_HOME={self.home}",
            f"PYTHONPATH={self.pythonpath}",
            "AWS_ACCESS_KEY_ID=testing",
            "AWS_SECRET_ACCESS_KEY=testing",
            "AWS_DEFAULT_REGION=us-east-1",
            "AWS_EC2_METADATA_DISABLED=true",
            # When this user cannot run our venv's interpreter (it lives under root's home), the
            # system's python3 runs with the venv's packages on PYTHONPATH, and botocore then
            # imports the system's pyOpenSSL (Debian's python3-openssl), which warns about the
            # venv's newer cryptography at import: a mix of two installs no learner has, so
            # that one module's warning is silenced and every other warning still shows.
            "PYTHONWARNINGS=ignore:::OpenSSL.crypto",
        ]
        return subprocess.run(
            ["runuser", "-u", self.name, "--", "env", "-i", *environment, *command],
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    def kit(self, *args: str) -> subprocess.CompletedProcess[str]:
        return self.run(self.python, "-m", "wildrydes", *args)


def _python_for(user: str) -> tuple[str, str] | None:
    """An interpreter ``user`` can run that imports the kit, and its PYTHONPATH."""
    paths = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"], str(REPO)}
    pythonpath = os.pathsep.join(sorted(paths))
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    check = f"import sys, wildrydes; assert sys.version_info[:2] == {sys.version_info[:2]}"
    for candidate in (sys.executable, shutil.which(version), "/usr/bin/python3"):
        if not candidate:
            continue
        probe = subprocess.run(
            ["runuser", "-u", user, "--", "env", "-i", f"PYTHONPATH={pythonpath}", candidate]
            + ["-c", check],
            capture_output=True,
            timeout=60,
        )
        if probe.returncode == 0:
            return candidate, pythonpath
    return None


@pytest.fixture(scope="module")
def other_user() -> Iterator[OtherUser]:
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        pytest.skip("needs root to make a throwaway second user (CI runs as root)")
    if not (shutil.which("useradd") and shutil.which("runuser")):
        pytest.skip("needs useradd and runuser to run a second user")
    name = f"wr{uuid.uuid4().hex[:8]}"
    subprocess.run(["useradd", "--no-create-home", "--shell", "/bin/sh", name], check=True)
    parent = Path(tempfile.mkdtemp(prefix="wildrydes-second-user-", dir="/tmp"))
    try:
        shutil.chown(parent, name)
        found = _python_for(name)
        if found is None:
            pytest.skip(f"no Python that user {name} may run imports the kit here")
        user = OtherUser(name, parent / "kit-home", *found)
        yield user
        user.kit("local", "stop")
    finally:
        subprocess.run(["userdel", name], check=False, capture_output=True)
        shutil.rmtree(parent, ignore_errors=True)


@dataclass
class FirstLearner:
    kit: Kit
    home: Path


@pytest.fixture(scope="module")
def first(other_user) -> Iterator[FirstLearner]:
    """The first learner (this process): no port pinned, `wildrydes up` done, in a kit home
    that starts out readable by everyone, as an older kit (or a umask of 022) left it: the
    folders above it are open to other users, so only the kit's own modes protect it."""
    parent = Path(tempfile.mkdtemp(prefix="wildrydes-first-learner-", dir="/tmp"))
    parent.chmod(0o755)
    home = parent / "kit-home"
    home.mkdir(mode=0o755)
    home.chmod(0o755)
    (home / "local.log").write_text("an older kit's log\n")
    (home / "local.log").chmod(0o644)
    # The control: as it is now, the second user can read it.
    assert other_user.run("cat", str(home / "local.log")).returncode == 0
    try:
        with process.environment(
            WILDRYDES_HOME=str(home), WILDRYDES_LOCAL_PORT=None, WILDRYDES_BACKEND="local"
        ):
            process.start()
            try:
                launch.up()
                yield FirstLearner(current(), home)
            finally:
                process.stop()
    finally:
        shutil.rmtree(parent, ignore_errors=True)


def test_two_users_get_two_working_backends_with_no_port_set(first, other_user):
    started = other_user.kit("local", "start")
    assert started.returncode == 0, started.stderr
    their_url = started.stdout.strip().splitlines()[-1]
    assert their_url.startswith("http://127.0.0.1:")
    assert their_url != first.kit.backend.endpoint_url
    up = other_user.kit("up", "--json")
    assert up.returncode == 0, up.stderr
    assert json.loads(up.stdout)["endpoint_url"] == their_url
    assert json.loads(up.stdout)["user_pool_id"] != first.kit.user_pool_id


def test_the_second_user_reads_no_file_of_the_first_home(first, other_user):
    home = first.home
    names = ("cognito.sqlite3", "credentials.json", "local-secret", "local.json", "state.json")
    for name in (*names, "local.log"):
        assert (home / name).exists(), name  # the control: the file is there
        read = other_user.run("cat", str(home / name))
        assert read.returncode != 0 and "Permission denied" in read.stderr, name
    listing = other_user.run("ls", str(home))
    assert listing.returncode != 0 and "Permission denied" in listing.stderr
    # Whatever the umask: the folder 0700, every file in it (the store's -wal/-shm too) 0600.
    loose = [f"{p} {p.stat().st_mode & 0o777:o}" for p in [home, *home.rglob("*")]
             if not p.is_symlink() and p.stat().st_mode & 0o077]  # fmt: skip
    assert loose == []
    assert (home / "cognito.sqlite3-wal").exists()


def test_the_second_user_gets_no_outbox_mailbox_or_admin_call(first, other_user):
    kit = first.kit
    email = f"first-{uuid.uuid4().hex[:8]}@example.com"
    accounts.register(kit, email, PASSWORD)
    base = kit.backend.endpoint_url
    started = other_user.kit("local", "start")  # their own backend, made its secret (idempotent)
    assert started.returncode == 0, started.stderr
    other_secret = other_user.run("cat", str(other_user.home / "local-secret")).stdout.strip()
    assert len(other_secret) >= 32  # the second user's own secret, for their own backend
    for headers in ([], ["-H", f"{secret.HEADER}: {other_secret}"]):
        for path in ("/_wildrydes/outbox", "/_wildrydes/mailbox", "/_wildrydes/health"):
            answer = other_user.run(
                "curl", "-s", "-w", "\\n%{http_code}", *headers, f"{base}{path}"
            )
            body, status = answer.stdout.rsplit("\n", 1)
            assert status == "403", (path, answer.stdout[:200])
            assert email not in body and "code" not in body.lower().split("message")[0]
    link = other_user.run(
        "curl", "-s", "-o", "/dev/null", "-w", "%{http_code}",
        f"{base}/_wildrydes/mailbox?secret={other_secret}",
    )  # fmt: skip
    assert link.stdout == "403"
    # An admin call signed with the second user's own key: the first backend does not know it.
    script = (
        "import boto3, json, sys\n"
        "from wildrydes.local import credentials\n"
        "key = credentials.load()\n"
        "c = boto3.client('cognito-idp', endpoint_url=sys.argv[1], region_name='us-east-1',"
        " **key.boto3_kwargs())\n"
        "try:\n"
        "    c.admin_set_user_password(UserPoolId=sys.argv[2], Username=sys.argv[3],"
        " Password='Taken-Over-1', Permanent=True)\n"
        "    print('ACCEPTED')\n"
        "except Exception as e:\n"
        "    print(e.response['Error']['Code'])\n"
    )
    username = email.replace("@", "-at-")
    admin = other_user.run(other_user.python, "-c", script, base, kit.user_pool_id, username)
    assert admin.stdout.strip() == "UnrecognizedClientException", admin
    # The first learner's own clients still read the outbox and sign in.
    code = mailbox.latest_code(kit.backend, email)
    accounts.confirm(kit, email, code)
    assert accounts.sign_in(kit, email, PASSWORD).id_token.count(".") == 2


def test_a_read_only_kit_home_ends_in_one_line(first, other_user):
    assert other_user.kit("local", "stop").returncode == 0
    other_user.run("chmod", "-R", "a-w", str(other_user.home))
    try:
        for command in (("local", "start"), ("up",)):
            result = other_user.kit(*command)
            assert result.returncode == 2, result
            assert "Traceback" not in result.stderr, result.stderr
            (line,) = result.stderr.strip().splitlines()
            assert str(other_user.home) in line and "writable" in line
    finally:
        other_user.run("chmod", "-R", "u+w", str(other_user.home))
