"""``peerdesk-agency init``, ``migrate``, ``serve`` and ``audit``: the agency itself
(settings, database, keys), its API server and its admin audit log."""

from __future__ import annotations

import argparse
import ipaddress
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO

from peerdesk.agency import keys
from peerdesk.agency.cli.common import (
    EXIT_FAILED,
    EXIT_OK,
    RECOVERY_PASSPHRASE,
    SUPERVISOR_PASSPHRASE,
    CommandFailed,
    Parsers,
    audit_entry,
    load_settings,
    log,
    log_to,
    open_storage,
    print_table,
    read_passphrase,
)
from peerdesk.agency.errors import NotInitialised
from peerdesk.agency.files import code_key_path, create_code_key, load_code_key, tighten
from peerdesk.agency.settings import AgencySettings, check_forwarded_allow_ips
from peerdesk.crypto.passphrase import check_new_passphrase
from peerdesk.ids import now_utc
from peerdesk.wire.urls import LOOPBACK_HOSTS


def cmd_init(args: argparse.Namespace, out: TextIO) -> int:
    root = AgencySettings.resolve_directory(args.dir)
    if (root / "agency.toml").exists():
        settings = AgencySettings.load(root)
    else:
        if not args.name or not args.url:
            raise CommandFailed("a new agency needs --name and --url")
        settings = None
    keys_exist = (root / "keys" / keys.ROOT_FILE).exists()
    supervisor = recovery = ""
    if not keys_exist:
        context = ("agency", args.name or (settings.name if settings else ""))
        supervisor = read_passphrase(
            SUPERVISOR_PASSPHRASE,
            file=args.passphrase_file,
            prompt="Supervisor passphrase (opens the review key): ",
            confirm=True,
        )
        check_new_passphrase(supervisor, context)
        recovery = read_passphrase(
            RECOVERY_PASSPHRASE,
            file=args.recovery_passphrase_file,
            flag="--recovery-passphrase-file",
            prompt="Recovery passphrase (opens the offline recovery key): ",
            confirm=True,
        )
        check_new_passphrase(recovery, context)
    if settings is None:
        settings = AgencySettings.create(
            root, name=args.name, public_url=args.url, database_url=args.database_url
        )
    log_to(settings)
    with open_storage(settings, check=False) as storage:
        status = storage.migrate()
        print(status.describe(), file=out)
        now = now_utc()
        if keys_exist:
            if storage.keys.all():
                raise CommandFailed(f"the agency in {root} is already initialised")
            keys.register_keys(
                settings, storage, now, audit=audit_entry("init", "", "existing keys registered")
            )
            create_code_key(settings)
            tighten(settings)
            print("Registered the existing keys in the database.", file=out)
            return EXIT_OK
        result = keys.create_keys(
            settings,
            supervisor_passphrase=supervisor,
            recovery_passphrase=recovery,
            now=now,
            recovery_out=Path(args.recovery_out) if args.recovery_out else None,
        )
        keys.register_keys(
            settings,
            storage,
            now,
            audit=audit_entry("init", result.root_key_id, "agency keys made"),
        )
    create_code_key(settings)
    tighten(settings)  # the directory 0700, the settings, database, logs and keys 0600
    log.info("agency initialised; root key %s", result.root_key_id)
    print(
        f"Agency {settings.name!r} initialised in {root}\n"
        f"  root key id:       {result.root_key_id}\n"
        f"  root public key:   {result.root_public.hex()}\n"
        f"  review key id:     {result.review_key_id}\n"
        f"  recovery key id:   {result.recovery_key_id}\n"
        f"\nThe recovery key is in {result.recovery_path}\n"
        "Move it to offline storage (e.g. a USB stick in a safe) and delete it here;\n"
        "it is needed only to recover a peer who forgot their passphrase.\n"
        "\nNext: peerdesk-agency provisioning --url URL  and  peerdesk-agency enroll",
        file=out,
    )
    return EXIT_OK


def cmd_migrate(args: argparse.Namespace, out: TextIO) -> int:
    settings = load_settings(args)
    with open_storage(settings, check=False) as storage:
        if args.check:
            status = storage.schema_status()
            print(status.describe(), file=out)
            return EXIT_OK if status.up_to_date else EXIT_FAILED
        status = storage.migrate()
        # an agency older than code keys gets one; one that had a key (it stored
        # keyed codes) must get its file back, never a new key
        missing = not code_key_path(settings).exists()
        if missing and not storage.codes.any_keyed():
            create_code_key(settings)
            missing = False
    tighten(settings)
    print(status.describe(), file=out)
    if missing:
        print(
            f"The enrollment code key {code_key_path(settings)} is missing and the database "
            "holds codes made with one: restore the file from the backup or another API "
            "host (a new key would refuse every code issued).",
            file=out,
        )
        return EXIT_FAILED
    return EXIT_OK


#: prometheus_client's multiprocess folder (see peerdesk.agency.metrics)
MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"

#: glibc's M_MMAP_THRESHOLD (mallopt), and the value serve fixes it at
_M_MMAP_THRESHOLD, _MMAP_THRESHOLD = -3, 128 * 1024


def return_large_buffers() -> None:
    """Keep request buffers from staying in the worker's memory after use (glibc).

    glibc serves an allocation of 128 KiB or more with its own mmap, given back to
    the system when freed, but after the first such free it raises that threshold
    (up to 32 MiB) and serves them from its heaps, which keep the memory: a burst of
    2 MB sync bodies then left a worker gigabytes bigger for good. A fixed
    threshold keeps every big buffer an mmap of its own. The variable reaches the
    worker processes uvicorn spawns; ``mallopt`` this one. Elsewhere a no-op."""
    os.environ.setdefault("MALLOC_MMAP_THRESHOLD_", str(_MMAP_THRESHOLD))
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        libc = ctypes.CDLL(None)
        libc.mallopt(_M_MMAP_THRESHOLD, _MMAP_THRESHOLD)
    except (OSError, AttributeError):  # not glibc (musl has no mallopt): nothing to fix
        pass


#: seconds an idle keep-alive connection stays open (uvicorn counts idle
#: connections towards --limit-concurrency; its default is 5 s as well)
KEEP_ALIVE_S = 5

#: seconds a worker may take to answer the supervisor's ping before it is restarted
WORKER_HEALTHCHECK_S = 60

#: the proxies ``serve`` believes X-Forwarded-* from, when --forwarded-allow-ips is
#: not given (the Docker image sets no default: the operator names its proxy)
ENV_FORWARDED_ALLOW_IPS = "PEERDESK_FORWARDED_ALLOW_IPS"
NO_PROXY_WARNING = (
    "warning: serving on a network address with no reverse proxy configured "
    "(no --forwarded-allow-ips): uvicorn has no timeout for reading request headers "
    "and counts idle connections towards --limit-concurrency, so a few hundred idle "
    "sockets make every later request 503. An internet-facing agency must sit behind "
    "a reverse proxy with header and body timeouts and per-address connection limits "
    "(see SECURITY.md, 'Denial of service')."
)


def _is_loopback(host: str) -> bool:
    if host in LOOPBACK_HOSTS:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def cmd_serve(args: argparse.Namespace, out: TextIO) -> int:
    # one worker keeps its metrics in memory; several share a private folder (below)
    os.environ.pop(MULTIPROC_ENV, None)
    import uvicorn

    from peerdesk.agency.app import create_app

    settings = load_settings(args)
    log_to(settings)
    tighten(settings)
    return_large_buffers()
    if bool(args.ssl_certfile) != bool(args.ssl_keyfile):
        raise CommandFailed("give both --ssl-certfile and --ssl-keyfile, or neither")
    if not args.ssl_certfile and not _is_loopback(args.host):
        print(
            "warning: serving plain HTTP on a network address; put a TLS proxy in front "
            "or pass --ssl-certfile/--ssl-keyfile",
            file=sys.stderr,
        )
    tls: dict[str, Any] = (
        {"ssl_certfile": args.ssl_certfile, "ssl_keyfile": args.ssl_keyfile}
        if args.ssl_certfile
        else {}
    )
    if args.workers < 1:
        raise CommandFailed("--workers must be at least 1")
    if args.limit_concurrency < 1:
        raise CommandFailed("--limit-concurrency must be at least 1")
    if not 1 <= args.timeout_keep_alive <= 300:
        raise CommandFailed("--timeout-keep-alive must be 1-300 seconds")
    if not 1 <= args.worker_healthcheck_timeout <= 3600:
        raise CommandFailed("--worker-healthcheck-timeout must be 1-3600 seconds")
    given = args.forwarded_allow_ips
    if given is None:  # then the environment (the container's way), then agency.toml
        given = os.environ.get(ENV_FORWARDED_ALLOW_IPS, "").strip() or None
    proxies = settings.forwarded_allow_ips if given is None else check_forwarded_allow_ips(given)
    if not proxies and not _is_loopback(args.host):
        print(NO_PROXY_WARNING, file=sys.stderr)
    # X-Forwarded-For is believed from these proxies only; by default from none
    # (uvicorn's own default would trust 127.0.0.1)
    options: dict[str, Any] = {
        **tls,
        "proxy_headers": bool(proxies),
        "forwarded_allow_ips": ",".join(proxies) if proxies else None,
        "limit_concurrency": args.limit_concurrency,
        # idle keep-alive connections count towards limit_concurrency: close them soon
        "timeout_keep_alive": args.timeout_keep_alive,
    }
    if args.workers > 1:
        # each worker builds its own app; check the database here, once, with clear words
        with open_storage(settings) as storage:
            if storage.keys.latest_bundle() is None:
                raise NotInitialised("the database holds no signed key bundle")
        load_code_key(settings)  # refuses a missing code key, naming the file
        print(f"Agency {settings.name!r} listening on {args.host}:{args.port}", file=out)
        os.environ["PEERDESK_AGENCY_DIR"] = str(settings.directory)
        os.environ.pop("FORWARDED_ALLOW_IPS", None)  # only what was configured here
        with shared_metrics_dir():  # the workers' /metrics add up all of them
            uvicorn.run(
                "peerdesk.agency.app:app_from_env",
                factory=True,
                host=args.host,
                port=args.port,
                workers=args.workers,
                # a worker starved by a burst may answer uvicorn's ping late; a restart
                # (uvicorn's default: after 5 s) drops every connection it holds
                timeout_worker_healthcheck=args.worker_healthcheck_timeout,
                log_level=args.log_level,
                server_header=False,
                **options,
            )
    else:
        app = create_app(settings)  # refuses a database that is behind, ahead or without keys
        print(f"Agency {settings.name!r} listening on {args.host}:{args.port}", file=out)
        uvicorn.run(
            app,
            host=args.host,
            port=args.port,
            log_level=args.log_level,
            server_header=False,
            **options,
        )
    return EXIT_OK


@contextmanager
def shared_metrics_dir() -> Iterator[Path]:
    """A private (0700) folder for the workers' metrics, named in
    ``PROMETHEUS_MULTIPROC_DIR`` while the workers run, removed afterwards (a new
    one each start: the figures of a previous run do not linger)."""
    folder = Path(tempfile.mkdtemp(prefix="peerdesk-metrics-"))
    os.environ[MULTIPROC_ENV] = str(folder)
    try:
        yield folder
    finally:
        os.environ.pop(MULTIPROC_ENV, None)
        shutil.rmtree(folder, ignore_errors=True)


def cmd_audit(args: argparse.Namespace, out: TextIO) -> int:
    settings = load_settings(args)
    if not 1 <= args.limit <= 100_000:
        raise CommandFailed("--limit must be 1-100000")
    with open_storage(settings) as storage:
        entries = storage.audit.entries(limit=args.limit)
    if not entries:
        print("No admin actions recorded yet.", file=out)
        return EXIT_OK
    rows = [["SEQ", "AT", "ACTOR", "ACTION", "TARGET", "DETAIL"]]
    rows += [[str(e.seq), e.at[:19], e.actor, e.action, e.target, e.detail] for e in entries]
    print_table(rows, out)
    return EXIT_OK


# --- parsers --------------------------------------------------------------------------


def add_init(parsers: Parsers) -> None:
    p = parsers.add("init", cmd_init, "create the agency: settings, database and keys")
    p.add_argument("--name", help="the agency's name, shown to peers")
    p.add_argument("--url", help="public https:// URL of the agency")
    p.add_argument("--database-url", help="default: sqlite:///<dir>/agency.db")
    p.add_argument("--recovery-out", help="where to write the recovery key (move it offline)")
    p.add_argument("--passphrase-file", help="supervisor passphrase (first line)")
    p.add_argument("--recovery-passphrase-file", help="recovery passphrase (first line)")


def cmd_serve_locked(args: argparse.Namespace, out: TextIO) -> int:
    """``serve`` holding the agency directory's serve lock (``restore`` asks it)."""
    from peerdesk.agency.backup import serving

    with serving(load_settings(args)):
        return cmd_serve(args, out)


def add_serve(parsers: Parsers) -> None:
    p = parsers.add("serve", cmd_serve_locked, "run the API server (uvicorn)")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8443)
    p.add_argument("--workers", type=int, default=1)
    p.add_argument("--ssl-certfile")
    p.add_argument("--ssl-keyfile")
    p.add_argument("--log-level", default="info", choices=["warning", "info", "debug"])
    p.add_argument(
        "--forwarded-allow-ips",
        metavar="IPS",
        help="comma-separated addresses or networks of the reverse proxies whose "
        f"X-Forwarded-For is believed (default: ${ENV_FORWARDED_ALLOW_IPS}, then "
        "forwarded_allow_ips of agency.toml, "
        "else none: the header is ignored)",
    )
    p.add_argument(
        "--limit-concurrency",
        type=int,
        default=512,
        help="connections and tasks one worker takes at once; more get 503 (default 512; "
        "idle connections count too: put a reverse proxy with connection limits in front)",
    )
    p.add_argument(
        "--worker-healthcheck-timeout",
        type=int,
        default=WORKER_HEALTHCHECK_S,
        metavar="SECONDS",
        help="with --workers: restart a worker that does not answer the supervisor's "
        f"ping for this long (default {WORKER_HEALTHCHECK_S}; uvicorn's own is 5)",
    )
    p.add_argument(
        "--timeout-keep-alive",
        type=int,
        default=KEEP_ALIVE_S,
        metavar="SECONDS",
        help=f"close an idle keep-alive connection after this long (default {KEEP_ALIVE_S})",
    )


def add_migrate(parsers: Parsers) -> None:
    p = parsers.add("migrate", cmd_migrate, "bring the database schema up to date")
    p.add_argument("--check", action="store_true", help="only report; exit 1 if not up to date")


def add_audit(parsers: Parsers) -> None:
    p = parsers.add("audit", cmd_audit, "list the admin actions recorded, oldest first")
    p.add_argument("--limit", type=int, default=1000)
