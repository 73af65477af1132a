"""Real servers on this machine's loopback for the load, soak and resilience runs.

A throwaway PostgreSQL cluster (Debian's binaries in ``/usr/lib/postgresql/*/bin``, as
``.ci/run`` starts one) on a free port, and gunicorn serving the site against it. Both are
ordinary processes that a test or a benchmark can stop, restart or kill. Everything listens
on 127.0.0.1 only. Used by ``benchmarks/soak.py`` and ``tests/test_resilience_*.py``.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

HOST = "127.0.0.1"
REPO = Path(__file__).resolve().parent.parent


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def wait_for_port(port: int, *, timeout: float = 30.0, host: str = HOST) -> None:
    """Wait until something accepts connections on ``port``; TimeoutError after ``timeout``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection((host, port), timeout=1):
            return
        time.sleep(0.1)
    raise TimeoutError(f"nothing listens on {host}:{port} after {timeout:.0f} s")


def postgres_bin() -> Path:
    """The newest Debian PostgreSQL ``bin`` folder."""
    found = sorted(
        Path("/usr/lib/postgresql").glob("*/bin"),
        key=lambda p: [int(x) for x in p.parent.name.split(".") if x.isdigit()],
    )
    if not found:
        raise FileNotFoundError(
            "no PostgreSQL server binaries in /usr/lib/postgresql/*/bin: "
            "apt-get install postgresql (as .ci/run does)"
        )
    return found[-1]


class PostgresCluster:
    """A PostgreSQL cluster of its own in a temporary folder, on its own port.

    As root (CI), the server runs as the ``postgres`` user, which initdb requires. The
    cluster trusts local connections and listens on 127.0.0.1 only. Use as a context
    manager, or call :meth:`start` and :meth:`destroy`.
    """

    def __init__(self, *, port: int | None = None, settings: Sequence[str] = ()) -> None:
        self.port = port or free_port()
        self.bin = postgres_bin()
        self.root = Path(tempfile.mkdtemp(prefix="mentorwijs-pg-"))
        self.data = self.root / "data"
        self.log = self.root / "log"
        self.settings = list(settings)
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres")
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8")

    def _run(self, tool: str, *args: str) -> None:
        cmd = [str(self.bin / tool), *args]
        if os.geteuid() == 0:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        done = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if done.returncode != 0:
            raise subprocess.CalledProcessError(done.returncode, cmd, stderr=done.stderr)

    def start(self) -> None:
        """Start the server and wait until it accepts connections."""
        options = f"-p {self.port} -k {self.root} -c listen_addresses={HOST} " + " ".join(
            f"-c {s}" for s in self.settings
        )
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.log), "-w",
                  "start")  # fmt: skip

    def stop(self, mode: str = "fast") -> None:
        """Stop the server (``fast``: roll back open transactions, close connections)."""
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")

    def restart(self, *, down_seconds: float = 0.0) -> None:
        """Stop, stay down ``down_seconds``, start again."""
        self.stop()
        time.sleep(down_seconds)
        self.start()

    def url(self, dbname: str = "mentorwijs") -> str:
        return f"postgres://postgres@{HOST}:{self.port}/{dbname}"

    def create_database(self, dbname: str = "mentorwijs", *, template: str | None = None) -> str:
        """Create a database (a copy of ``template`` when given) and return its URL."""
        copy = ["-T", template] if template else []
        self._run("createdb", "-h", HOST, "-p", str(self.port), "-U", "postgres", *copy, dbname)
        return self.url(dbname)

    def destroy(self) -> None:
        """Stop the server if it runs and remove its folder."""
        with contextlib.suppress(subprocess.CalledProcessError):
            self.stop("immediate")
        shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> PostgresCluster:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.destroy()


def site_env(database_url: str, data_dir: Path, **extra: str) -> dict[str, str]:
    """The environment of a site process on ``database_url`` (no debug pages)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MENTORWIJS_")}
    src = str(REPO / "src")
    env.update(
        MENTORWIJS_DATABASE_URL=database_url,
        MENTORWIJS_DATA_DIR=str(data_dir),
        DJANGO_SETTINGS_MODULE="mentorwijs.web.settings",
        PYTHONPATH=os.pathsep.join([src, env["PYTHONPATH"]]) if env.get("PYTHONPATH") else src,
        **extra,
    )
    return env


def manage(env: dict[str, str], *args: str) -> str:
    """Run a Django management command in a child process; its standard output."""
    done = subprocess.run(
        [sys.executable, "-m", "django", *args],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout


class Gunicorn:
    """gunicorn serving ``mentorwijs.web.wsgi`` on 127.0.0.1 with sync workers.

    :meth:`worker_pids` lists the workers (children of the master), :meth:`kill_worker`
    sends one SIGKILL; the master starts a new one, as in production.
    """

    def __init__(
        self,
        env: dict[str, str],
        *,
        workers: int = 2,
        port: int | None = None,
        timeout: int = 60,
        log: Path | None = None,
    ) -> None:
        self.env = env
        self.workers = workers
        self.port = port or free_port()
        self.timeout = timeout
        self.log = log
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def start(self) -> None:
        out = open(self.log, "ab") if self.log else subprocess.DEVNULL  # noqa: SIM115
        self.process = subprocess.Popen(
            [
                sys.executable, "-m", "gunicorn", "mentorwijs.web.wsgi:application",
                "--bind", f"{HOST}:{self.port}", "--workers", str(self.workers),
                "--timeout", str(self.timeout), "--graceful-timeout", "5",
                "--access-logfile", "-" if self.log else "/dev/null",
                "--config", str(Path(__file__).with_name("gunicorn_conf.py")),
            ],
            env=self.env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        # Generous: the master imports the whole site first, slow on a busy machine.
        wait_for_port(self.port, timeout=180)
        self.wait_workers(timeout=180)

    def worker_pids(self) -> list[int]:
        """Process ids of the running workers."""
        if self.process is None:
            return []
        master = self.process.pid
        pids = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            with contextlib.suppress(OSError, ValueError, IndexError):
                fields = stat.read_text().rsplit(")", 1)[1].split()
                if int(fields[1]) == master and fields[0] != "Z":
                    pids.append(int(stat.parent.name))
        return sorted(pids)

    def wait_workers(self, *, timeout: float = 60.0) -> list[int]:
        """Wait until all workers run; their ids."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            pids = self.worker_pids()
            if len(pids) >= self.workers:
                return pids
            if self.process is not None and self.process.poll() is not None:
                break  # the master is gone: waiting longer will not help
            time.sleep(0.1)
        log = self.log.read_text(errors="replace")[-2000:] if self.log else "(no log kept)"
        raise TimeoutError(
            f"gunicorn has {len(self.worker_pids())} of {self.workers} workers; log:\n{log}"
        )

    def kill_worker(self, pid: int | None = None) -> int:
        """SIGKILL one worker (the given one, else the oldest); its id."""
        pid = pid or self.worker_pids()[0]
        os.kill(pid, signal.SIGKILL)
        return pid

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None

    def __enter__(self) -> Gunicorn:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


@contextlib.contextmanager
def site_on_postgres(
    *, workers: int = 2, data_dir: Path | None = None, log: Path | None = None
) -> Iterator[tuple[PostgresCluster, Gunicorn, dict[str, str]]]:
    """A throwaway cluster with the site's tables migrated, and gunicorn serving the site."""
    with PostgresCluster() as cluster:
        url = cluster.create_database()
        folder = data_dir or Path(tempfile.mkdtemp(prefix="mentorwijs-site-"))
        env = site_env(url, folder)
        manage(env, "migrate", "--noinput")
        with Gunicorn(env, workers=workers, log=log) as server:
            yield cluster, server, env
