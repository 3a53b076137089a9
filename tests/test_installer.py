"""The Debian package as IT meets it: built, installed, upgraded, removed; Windows script compiled.

Three packages are built once for the module (the dependency environment is
cached in build/deb-test, so a warm run takes about a minute): the default one,
the same again with gzip (to prove the build reproducible; lintian reads it), and a site
package. The installed copy runs from `dpkg -x` into a temporary root, and — where
this machine allows mount namespaces — a real `dpkg -i`/upgrade/remove runs in
a chroot onto a copy-on-write overlay of `/`, so the host is never changed.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from store import audit, db, outbox, site, users
from store.roles import Role
from store.session import init_store, open_session
from store.settings import StoreSettings
from tests.conftest import FAST_KDF, PASSWORDS, REPO
from tests.corpus.generate import generate, write_samples
from tests.test_sync_support import Warehouse, running_warehouse

BUILD_DEB = REPO / "installer" / "build-deb"
BUILD_DIR = REPO / "build" / "deb-test"  # gitignored; keeps the dependency venv warm
AGENCY = "000.00.12.H29"
SITE_TEMPLATE = """ward_name = "Phường Bến Nghé"
agency_code = "{agency}"
warehouse_url = "{url}"
enrolment_token = "{token}"
idle_lock_minutes = 12
"""
MAINTAINER = "Phòng CNTT Quận 1 <cntt@quan1.example.gov.vn>"
REQUIRED_DEPENDS = ("tesseract-ocr", "tesseract-ocr-vie", "tesseract-ocr-osd", "poppler-utils",
                    "sane-utils", "python3.11")


def _can_build() -> str:
    if not sys.platform.startswith("linux"):
        return "Debian packages are built on Linux"
    for tool in ("dpkg-deb", "dpkg", "git"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed"
    if not Path("/usr/bin/python3").exists():
        return "no distribution python3"
    return ""


pytestmark = [pytest.mark.slow, pytest.mark.timeout(900),
              pytest.mark.skipif(bool(_can_build()), reason=_can_build() or "ok")]


def _clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("SOHOA_", "PYTHON", "VIRTUAL_ENV"))}
    env.update(extra)
    return env


def _build(out: Path, *args: str) -> Path:
    proc = subprocess.run([str(BUILD_DEB), "--build-dir", str(BUILD_DIR), "--out-dir", str(out),
                           "--maintainer", MAINTAINER, *args], capture_output=True, text=True,
                          env=_clean_env(), timeout=900, check=False)
    assert proc.returncode == 0, proc.stderr
    deb = Path(proc.stdout.strip().splitlines()[-1])
    assert deb.parent == out and deb.exists()
    return deb


@dataclass(frozen=True)
class Built:
    plain: Path        # the default build (zstd)
    again: Path        # the same commit built again, gzip (which lintian can read)
    site: Path         # with --site: a ward's package, enrolling with `warehouse`
    site_text: str
    token: str
    lint: Lint         # lintian on `again`, started at once: it runs beside the tests below


@dataclass(frozen=True)
class Lint:
    """lintian in the background: about two CPU minutes for 6,500 files."""

    proc: subprocess.Popen[bytes]
    out: Path

    def result(self) -> tuple[int, str]:
        code = self.proc.wait(timeout=900)
        return code, self.out.read_text("utf-8", errors="replace")


def _start_lintian(deb: Path, work: Path) -> Lint:
    """Lints the gzip build: Debian 12's lintian calls zstd members malformed
    (malformed-deb-archive), though its dpkg reads them; the files are the same."""
    out = work / "lintian.txt"
    with open(out, "wb") as fh:
        # binaries/spelling runs `strings` over every ELF object (95 s of the 390 s that
        # lintian's checks took here, under load) to report spelling-error-in-binary, an
        # info tag that --fail-on never counts: skipping it changes no outcome.
        proc = subprocess.Popen(["lintian", "--fail-on", "error,warning", "--tag-display-limit",
                                 "0", "-X", "binaries/spelling", str(deb)], stdout=fh,
                                stderr=subprocess.STDOUT, env=_clean_env(TMPDIR=str(work)))
    return Lint(proc, out)


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Warehouse]:
    """The reference warehouse: the site package enrols with it for real."""
    with running_warehouse(tmp_path_factory.mktemp("warehouse") / "wh") as house:
        yield house


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, warehouse: Warehouse) -> Iterator[Built]:
    work = tmp_path_factory.mktemp("deb")
    token = warehouse.token("ward-desk-1")
    site_text = SITE_TEMPLATE.format(agency=AGENCY, url=warehouse.url, token=token)
    site_file = work / "site.toml"
    site_file.write_text(site_text, encoding="utf-8")
    plain = _build(work / "plain")
    again = _build(work / "again", "--compression", "gzip", "--level", "1")
    assert shutil.which("lintian"), "lintian is missing: run bash installer/dev-setup.sh --dev"
    lint = _start_lintian(again, work)
    try:
        site_deb = _build(work / "site", "--site", str(site_file), "--compression", "none")
        yield Built(plain, again, site_deb, site_text, token, lint)
    finally:
        if lint.proc.poll() is None:
            lint.proc.kill()
            lint.proc.wait()


def _field(deb: Path, name: str) -> str:
    return subprocess.run(["dpkg-deb", "-f", str(deb), name], capture_output=True, text=True,
                          check=True).stdout.strip()


def _listing(deb: Path) -> list[list[str]]:
    out = subprocess.run(["dpkg-deb", "-c", str(deb)], capture_output=True, text=True,
                         check=True).stdout
    return [line.split(None, 5) for line in out.splitlines()]


def _tar_digest(deb: Path, what: str) -> str:
    proc = subprocess.run(["dpkg-deb", what, str(deb)], capture_output=True, check=True)
    return hashlib.sha256(proc.stdout).hexdigest()


# ------------------------------------------------------------------ the package itself


def test_package_metadata_dependencies_and_files(built: Built) -> None:
    version = _field(built.plain, "Version")
    assert re.fullmatch(r"\d+\.\d+\.\d+", version)
    assert built.plain.name == f"sohoa_{version}_{_field(built.plain, 'Architecture')}.deb"
    depends = [d.strip() for d in _field(built.plain, "Depends").split(",")]
    for needed in REQUIRED_DEPENDS:
        assert needed in depends
    assert "fonts-dejavu-core | fonts-noto-core" in depends
    assert not any(re.search(r"fonts-liberation(?!2)", d) for d in depends)

    entries = _listing(built.plain)
    names = {e[5].split(" -> ")[0].removeprefix(".") for e in entries}
    assert _field(built.plain, "Maintainer") == MAINTAINER
    for path in ("/usr/bin/sohoa", "/opt/sohoa/bin/sohoa", "/opt/sohoa/requirements.lock",
                 "/opt/sohoa/BUILD-INFO", "/usr/share/applications/sohoa.desktop",
                 "/usr/share/icons/hicolor/256x256/apps/sohoa.png",
                 "/usr/share/man/man1/sohoa.1.gz", "/usr/share/doc/sohoa/copyright",
                 "/usr/share/doc/sohoa/changelog.gz", "/usr/share/lintian/overrides/sohoa",
                 "/opt/sohoa/venv/pyvenv.cfg"):
        assert path in names, path
    assert not any(n.startswith("/etc/") for n in names)  # only site packages carry /etc
    assert {e[1] for e in entries} == {"root/root"}
    assert len({(e[3], e[4]) for e in entries}) == 1  # one time stamp: the commit's
    link = next(e[5] for e in entries if e[5].startswith("./usr/bin/sohoa "))
    assert link.endswith("-> /opt/sohoa/bin/sohoa")  # absolute between top-level folders
    assert not any("/build/" in n or n.endswith(("/activate", "/pip")) for n in names)


def test_the_lock_and_build_info_are_recorded(built: Built, tmp_path: Path) -> None:
    subprocess.run(["dpkg-deb", "-x", str(built.plain), str(tmp_path)], check=True)
    recorded = (tmp_path / "opt/sohoa/requirements.lock").read_text()
    committed = (REPO / "installer/requirements.lock").read_text()
    pins = [line for line in committed.splitlines() if line and not line.startswith("#")]
    assert pins and all(pin in recorded.splitlines() for pin in pins)
    info = dict(line.split("=", 1) for line in
                (tmp_path / "opt/sohoa/BUILD-INFO").read_text().splitlines())
    assert info["schema"] == str(db.latest_version())
    assert info["version"] == _field(built.plain, "Version")
    desktop = (tmp_path / "usr/share/applications/sohoa.desktop").read_text("utf-8")
    assert "Name[vi]=Số hóa hồ sơ" in desktop and "Exec=sohoa gui" in desktop
    assert "Icon=sohoa" in desktop
    assert shutil.which("desktop-file-validate"), "run bash installer/dev-setup.sh --dev"
    valid = subprocess.run(["desktop-file-validate",
                            str(tmp_path / "usr/share/applications/sohoa.desktop")],
                           capture_output=True, text=True, check=False)
    assert valid.returncode == 0 and not valid.stdout + valid.stderr, valid.stdout
    man = gzip.decompress((tmp_path / "usr/share/man/man1/sohoa.1.gz").read_bytes()).decode()
    assert man.startswith(".TH SOHOA 1") and 'sohoa site apply"' in man
    assert 'sohoa ingest"' in man


def _md5sums(deb: Path, tmp: Path) -> list[str]:
    subprocess.run(["dpkg-deb", "-e", str(deb), str(tmp)], check=True)
    return (tmp / "md5sums").read_text().splitlines()


def test_same_commit_gives_the_same_package(built: Built, tmp_path: Path) -> None:
    """Byte for byte, apart from the compression: every file, mode, owner and time stamp.

    (Run from a checkout someone is editing, the two builds may see different files.)
    """
    first, second = _md5sums(built.plain, tmp_path / "a"), _md5sums(built.again, tmp_path / "b")
    assert set(first) ^ set(second) == set()
    assert _listing(built.plain) == _listing(built.again)
    assert _tar_digest(built.plain, "--fsys-tarfile") == _tar_digest(built.again,
                                                                      "--fsys-tarfile")
    assert _tar_digest(built.plain, "--ctrl-tarfile") == _tar_digest(built.again,
                                                                      "--ctrl-tarfile")


def test_site_package_carries_the_checked_site_file(built: Built, tmp_path: Path) -> None:
    assert _field(built.site, "Version") == f"{_field(built.plain, 'Version')}+site.{AGENCY}"
    site_entry = next(e for e in _listing(built.site) if e[5] == "./etc/sohoa/site.toml")
    assert site_entry[0] == "-rw-r-----"
    control = tmp_path / "control"
    subprocess.run(["dpkg-deb", "-e", str(built.site), str(control)], check=True)
    assert (control / "conffiles").read_text() == "/etc/sohoa/site.toml\n"
    subprocess.run(["dpkg-deb", "-x", str(built.site), str(tmp_path / "root")], check=True)
    assert (tmp_path / "root/etc/sohoa/site.toml").read_text("utf-8") == built.site_text


def test_a_bad_site_file_stops_the_build_with_one_clear_line(built: Built,
                                                             tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(built.site_text.replace(AGENCY, "H29"), encoding="utf-8")
    out = tmp_path / "out"
    proc = subprocess.run([str(BUILD_DEB), "--build-dir", str(BUILD_DIR), "--out-dir", str(out),
                           "--maintainer", MAINTAINER, "--site", str(bad)], capture_output=True,
                          text=True, env=_clean_env(), timeout=600, check=False)
    assert proc.returncode == 3
    errors = [line for line in proc.stderr.splitlines() if "error" in line]
    assert len(errors) == 1 and "agency_code must look like 000.00.12.H29" in errors[0]
    assert "Traceback" not in proc.stderr
    assert not out.exists() or not list(out.glob("*.deb"))


def test_the_maintainer_is_a_build_setting_with_a_real_address(tmp_path: Path) -> None:
    """Whoever builds for the desks answers for the package: no made-up sohoa@localhost."""
    base = [str(BUILD_DEB), "--build-dir", str(tmp_path / "b"), "--out-dir", str(tmp_path)]
    for extra in ([], ["--maintainer", "sohoa maintainers <sohoa@localhost>"]):
        proc = subprocess.run([*base, *extra], capture_output=True, text=True,
                              env=_clean_env(), timeout=60, check=False)
        assert proc.returncode == 2, proc.stderr
        assert proc.stderr.count("\n") == 1 and "--maintainer 'Name <mail@" in proc.stderr
    assert not list(tmp_path.glob("*.deb")) and not (tmp_path / "b").exists()


def test_install_md_states_the_sizes_in_one_unit_as_measured(built: Built) -> None:
    doc = (REPO / "docs/install.md").read_text("utf-8")
    found = re.search(r"about (\d+) MB; (\d+) MB installed", doc)
    assert found, "docs/install.md: 'about N MB; M MB installed' (MB = 1,000,000 bytes)"
    size_mb = built.plain.stat().st_size / 1e6
    installed_mb = int(_field(built.plain, "Installed-Size")) * 1024 / 1e6
    assert abs(int(found[1]) - size_mb) <= 0.05 * size_mb, size_mb
    assert abs(int(found[2]) - installed_mb) <= 0.05 * installed_mb, installed_mb


# ------------------------------------------------------------------ the installed copy


@pytest.fixture(scope="module")
def installed(built: Built, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("root")
    subprocess.run(["dpkg-deb", "-x", str(built.plain), str(root)], check=True)
    return root


def _run(root: Path, *args: str, password: str = PASSWORDS["admin"], **extra: str,
         ) -> subprocess.CompletedProcess[str]:
    env = _clean_env(SOHOA_PASSWORD=password, **extra)
    return subprocess.run([str(root / "opt/sohoa/bin/sohoa"), *args], capture_output=True,
                          text=True, env=env, timeout=300, check=False)


@pytest.fixture(scope="module")
def sample_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("page")
    write_samples(generate(11, 1, mode="clean", dpi=150, max_pages=1), folder)
    return next(folder.glob("*.png"))


def test_installed_copy_inits_a_store_and_ingests_a_page(installed: Path, sample_page: Path,
                                                         tmp_path: Path) -> None:
    before = sorted((installed / "opt").rglob("*"))
    version = _run(installed, "--version")
    assert version.returncode == 0 and re.fullmatch(r"sohoa \d+\.\d+\.\d+\n", version.stdout)
    data = tmp_path / "data"
    init = _run(installed, "--data", str(data), "init", "--admin", "admin")
    assert init.returncode == 0, init.stderr
    added = _run(installed, "--data", str(data), "--user", "admin", "user", "add", "lan",
                 "--role", "clerk", SOHOA_NEW_PASSWORD=PASSWORDS["lan"])
    assert added.returncode == 0, added.stderr
    ingest = _run(installed, "--quiet", "--data", str(data), "--user", "lan", "ingest",
                  str(sample_page), "--json", password=PASSWORDS["lan"])
    assert ingest.returncode == 0, ingest.stderr
    document = json.loads(ingest.stdout.splitlines()[0])
    assert document["pages"] == 1 and document["type_name"]
    info = json.loads(_run(installed, "--data", str(data), "--user", "lan", "info", "--json",
                           password=PASSWORDS["lan"]).stdout)
    assert info["documents"] == 1 and info["schema"] == db.latest_version()
    assert sorted((installed / "opt").rglob("*")) == before  # nothing written under /opt


def _store_at_previous_schema(data: Path) -> StoreSettings:
    """A store as the previous release left it: every migration but the newest."""
    previous = db.migrations()[:-1]
    settings = StoreSettings(data_dir=data, kdf=FAST_KDF, station="old-desk")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(db, "migrations", lambda: previous)
        init_store(settings, "admin", PASSWORDS["admin"])
        with open_session(settings, "admin", PASSWORDS["admin"]) as session:
            users.add_user(session, "lan", Role.CLERK, PASSWORDS["lan"])
            assert db.user_version(session.conn) == len(previous)
    return settings


def test_installed_copy_migrates_an_old_store_and_refuses_a_newer_one(installed: Path,
                                                                      tmp_path: Path) -> None:
    if db.latest_version() < 2:
        pytest.skip("only one schema so far")
    settings = _store_at_previous_schema(tmp_path / "old")
    info = _run(installed, "--data", str(settings.data_dir), "--user", "admin", "info",
                "--json")
    assert info.returncode == 0, info.stderr
    assert json.loads(info.stdout)["schema"] == db.latest_version()
    with open_session(settings, "admin", PASSWORDS["admin"]) as session:
        assert [u.name for u in users.list_users(session)] == ["admin", "lan"]
        assert audit.verify(session.conn).ok
        session.conn.execute(f"PRAGMA user_version = {db.latest_version() + 1}")
    refused = _run(installed, "--data", str(settings.data_dir), "--user", "admin", "info")
    assert refused.returncode == 20
    assert refused.stderr.startswith("sohoa: error: This store was written by a newer sohoa")
    assert refused.stderr.count("\n") == 1


# ------------------------------------------------------------------ real dpkg, in an overlay


class Overlay:
    """A chroot onto `/` seen through a copy-on-write overlay: dpkg may do as it likes.

    Every `run` enters a fresh private mount namespace (nothing leaks to the host);
    the overlay's upper layer lives in ``base`` so changes persist from one run to
    the next. ``binds`` are host folders shared for real (packages, stores).
    """

    def __init__(self, base: Path, binds: list[Path]) -> None:
        self.upper, self.work, self.merged = base / "upper", base / "work", base / "merged"
        for d in (self.upper, self.work, self.merged):
            d.mkdir(parents=True)
        self.binds = binds

    def run(self, script: str, **env: str) -> subprocess.CompletedProcess[str]:
        m = shlex.quote(str(self.merged))
        setup = [
            "set -e",
            f"mount -t overlay overlay -o lowerdir=/,upperdir={self.upper},"
            f"workdir={self.work} {m}",
            f"mount --rbind /dev {m}/dev",
            f"mount -t proc proc {m}/proc",
            *(f"mkdir -p {m}{shlex.quote(str(b))} && mount --bind {shlex.quote(str(b))} "
              f"{m}{shlex.quote(str(b))}" for b in self.binds),
            f"exec chroot {m} /bin/sh -c {shlex.quote(script)}",
        ]
        base_env = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "HOME": "/root",
                    "LC_ALL": "C.UTF-8", "DEBIAN_FRONTEND": "noninteractive"}
        return subprocess.run(["unshare", "--mount", "--propagation", "private", "sh", "-c",
                               "\n".join(setup)], capture_output=True, text=True,
                              env={**base_env, **env}, timeout=600, check=False)


@pytest.fixture
def overlay(tmp_path: Path, built: Built) -> Iterator[Overlay]:
    if os.geteuid() != 0 or shutil.which("unshare") is None:
        pytest.skip("a real dpkg install needs root and unshare (mount namespaces)")
    ov = Overlay(tmp_path / "overlay", [built.site.parent, built.plain.parent, tmp_path / "data"])
    (tmp_path / "data").mkdir()
    probe = ov.run("test -x /usr/bin/dpkg")
    if probe.returncode != 0:
        pytest.skip(f"no overlay chroot here: {probe.stderr.strip()[:200]}")
    yield ov
    shutil.rmtree(tmp_path / "overlay", ignore_errors=True)


def _snapshot(folder: Path) -> dict[str, tuple[str, float]]:
    return {str(p.relative_to(folder)): (hashlib.sha256(p.read_bytes()).hexdigest(),
                                         p.stat().st_mtime)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _newer_fake_package(tmp_path: Path) -> Path:
    """A 'future' sohoa whose stores use a schema this build does not know."""
    root = tmp_path / "fake"
    (root / "DEBIAN").mkdir(parents=True)
    (root / "DEBIAN/control").write_text(
        "Package: sohoa\nVersion: 99.0\nArchitecture: all\nMaintainer: test <t@t>\n"
        "Description: a future sohoa\n")
    (root / "opt/sohoa").mkdir(parents=True)
    (root / "opt/sohoa/BUILD-INFO").write_text("package=sohoa\nversion=99.0\nschema=99\n")
    deb = tmp_path / "data" / "sohoa_99.0_all.deb"
    subprocess.run(["dpkg-deb", "--root-owner-group", "-Znone", "--build", str(root), str(deb)],
                   check=True, capture_output=True)
    return deb


def test_real_install_upgrade_remove_keep_the_data(built: Built, overlay: Overlay,
                                                   tmp_path: Path) -> None:
    data = tmp_path / "data" / "store"
    old = _store_at_previous_schema(data)
    pw = {"SOHOA_PASSWORD": PASSWORDS["admin"]}

    first = overlay.run(f"dpkg -i {built.plain} && sohoa --version && getent group sohoa")
    assert first.returncode == 0, first.stderr
    assert re.search(r"^sohoa \d+\.\d+", first.stdout, re.M) and "sohoa:x:" in first.stdout

    # The site package over the plain one: an upgrade; the store migrates at first start.
    upgrade = overlay.run(f"dpkg -i {built.site} && stat -c '%U:%G %a' /etc/sohoa/site.toml"
                          f" && sohoa --data {data} --user admin info --json", **pw)
    assert upgrade.returncode == 0, upgrade.stderr
    assert "root:sohoa 640" in upgrade.stdout
    assert json.loads(upgrade.stdout.splitlines()[-1])["schema"] == db.latest_version()

    # Only members of the sohoa group may read the site file (it holds the token).
    group = overlay.run("useradd -m desk && "
                        "runuser -u desk -- sohoa site check /etc/sohoa/site.toml; "
                        "echo rc=$?; usermod -aG sohoa desk && "
                        "runuser -u desk -- sohoa site check /etc/sohoa/site.toml")
    assert "rc=3" in group.stdout and "'sohoa' group" in group.stderr
    assert group.returncode == 0 and "valid" in group.stdout

    # First start of the admin: the site file is applied and the station enrols, once.
    applied = overlay.run(f"sohoa --data {data} --user admin site apply --json", **pw)
    assert applied.returncode == 0, applied.stderr
    assert json.loads(applied.stdout)["enrolment"] == "enrolled"
    again = overlay.run(f"sohoa --data {data} --user admin site apply --json", **pw)
    assert json.loads(again.stdout)["enrolment"] == "already enrolled"
    with open_session(old, "admin", PASSWORDS["admin"]) as session:
        assert site.load(session.conn).agency_code == AGENCY
        assert outbox.load_credential(session) is not None
        assert built.token not in json.dumps([e.as_dict() for e in audit.entries(session.conn)])

    before = _snapshot(data)
    removed = overlay.run("dpkg -r sohoa && test ! -e /opt/sohoa && test ! -e /usr/bin/sohoa"
                          " && test -f /etc/sohoa/site.toml && getent group sohoa"
                          " && gpasswd -d desk sohoa && dpkg -P sohoa"
                          " && test ! -e /etc/sohoa/site.toml && ! getent group sohoa")
    assert removed.returncode == 0, removed.stdout + removed.stderr
    assert _snapshot(data) == before  # remove and purge never touch a store

    # A group someone is still in stays (taking it away would change their groups).
    control = tmp_path / "data" / "control"
    subprocess.run(["dpkg-deb", "-e", str(built.plain), str(control)], check=True)
    kept = overlay.run(f"addgroup --system sohoa && adduser --quiet desk sohoa"
                       f" && sh {control}/postrm purge && getent group sohoa")
    assert kept.returncode == 0, kept.stdout + kept.stderr
    assert "keeping the group 'sohoa': desk still in it" in kept.stderr


def test_a_package_downgrade_is_refused_clearly(built: Built, overlay: Overlay,
                                                tmp_path: Path) -> None:
    fake = _newer_fake_package(tmp_path)
    proc = overlay.run(f"dpkg -i {fake} && dpkg -i {built.site}; echo rc=$?;"
                       " dpkg-query -W -f='${Version}' sohoa")
    assert "rc=1" in proc.stdout and proc.stdout.endswith("99.0")
    assert f"sohoa: refusing to downgrade from 99.0 to {_field(built.site, 'Version')}" in (
        proc.stderr)


def test_lintian_finds_nothing_but_the_documented_overrides(built: Built) -> None:
    """Every override is about the venv under /opt/sohoa (installer/deb/lintian-overrides)."""
    code, report = built.lint.result()
    hints = [line for line in report.splitlines() if re.match(r"[EW]: ", line)]
    assert code == 0 and not hints, "\n".join(hints[:40]) or report[-2000:]
    overrides = (REPO / "installer/deb/lintian-overrides").read_text("utf-8")
    for line in overrides.splitlines():
        if line and not line.startswith("#"):
            assert re.fullmatch(r"sohoa: [a-z0-9-]+ (\* )?\[opt/sohoa/(venv/)?\*\]", line), line


# ------------------------------------------------------------------ Windows, as far as here


def _stage_windows(stage: Path) -> None:
    for name in ("sohoa/sohoa.exe", "sohoa/sohoa-gui.exe", "sohoa/_internal/python311.dll",
                 "tesseract-setup.exe", "tessdata/vie.traineddata", "tessdata/osd.traineddata",
                 "poppler/Library/bin/pdftoppm.exe"):
        (stage / name).parent.mkdir(parents=True, exist_ok=True)
        (stage / name).write_bytes(b"stand-in for " + name.encode())
    subprocess.run([sys.executable, str(REPO / "installer/icon.py"), "--ico",
                    str(stage / "sohoa.ico")], check=True)
    (stage / "site.toml").write_text(SITE_TEMPLATE.format(
        agency=AGENCY, url="https://kho.tphcm.gov.vn", token="t" * 20), encoding="utf-8")


def _makensis(script: Path, stage: Path, out: Path, *extra: str) -> subprocess.CompletedProcess[
        str]:
    return subprocess.run(["makensis", "-WX", "-V2", "-DVERSION=0.1.0",
                           f"-DSCHEMA={db.latest_version()}", f"-DSTAGE={stage}",
                           f"-DOUTFILE={out}", *extra, str(script)],
                          capture_output=True, text=True, timeout=300, check=False)


@pytest.mark.skipif(shutil.which("makensis") is None, reason="makensis (apt: nsis) missing")
def test_the_nsis_script_compiles_against_a_staged_tree(tmp_path: Path) -> None:
    stage = tmp_path / "stage"
    _stage_windows(stage)
    script = REPO / "installer/windows/sohoa.nsi"
    plain = _makensis(script, stage, tmp_path / "sohoa-setup-0.1.0.exe")
    assert plain.returncode == 0, plain.stdout + plain.stderr
    ward = _makensis(script, stage, tmp_path / "setup-ward.exe",
                     f"-DSITEFILE={stage / 'site.toml'}")
    assert ward.returncode == 0, ward.stdout + ward.stderr
    for exe in ("sohoa-setup-0.1.0.exe", "setup-ward.exe"):
        assert (tmp_path / exe).read_bytes()[:2] == b"MZ"
    broken = tmp_path / "broken.nsi"
    broken.write_text(script.read_text("utf-8").replace("${EndIf}", "${EndIff}", 1), "utf-8")
    assert _makensis(broken, stage, tmp_path / "x.exe").returncode != 0


def test_the_pyinstaller_spec_describes_both_programs(monkeypatch: pytest.MonkeyPatch) -> None:
    """PyInstaller is not run here (it builds on Windows); its spec is run against stand-ins."""
    calls: dict[str, list[dict[str, object]]] = {"Analysis": [], "EXE": [], "COLLECT": []}

    def record(kind: str) -> object:
        def make(*args: object, **kwargs: object) -> object:
            calls.setdefault(kind, []).append({"args": args, **kwargs})
            return type(kind, (), {"pure": [], "scripts": [], "binaries": [], "datas": []})()
        return make

    hooks = type(sys)("PyInstaller.utils.hooks")
    hooks.collect_data_files = lambda package, includes=(): []  # type: ignore[attr-defined]
    hooks.collect_submodules = lambda package: [package]  # type: ignore[attr-defined]
    hooks.copy_metadata = lambda dist: [("meta", dist)]  # type: ignore[attr-defined]
    for name in ("PyInstaller", "PyInstaller.utils"):
        monkeypatch.setitem(sys.modules, name, type(sys)(name))
    monkeypatch.setitem(sys.modules, "PyInstaller.utils.hooks", hooks)
    spec = REPO / "installer/windows/sohoa.spec"
    namespace = {"SPECPATH": str(spec.parent), "__file__": str(spec),
                 **{k: record(k) for k in ("Analysis", "PYZ", "EXE", "COLLECT")}}
    exec(compile(spec.read_text("utf-8"), str(spec), "exec"), namespace)
    exes = {c["name"]: c["console"] for c in calls["EXE"]}
    assert exes == {"sohoa": True, "sohoa-gui": False}
    for analysis in calls["Analysis"]:
        script = Path(analysis["args"][0][0])  # type: ignore[index]
        assert script.exists() and script.parent == spec.parent
        assert all(Path(h).exists() for h in analysis["runtime_hooks"])  # type: ignore[attr-defined]
        assert "store" in analysis["hiddenimports"]  # type: ignore[operator]
    assert len(calls["COLLECT"]) == 1 and calls["COLLECT"][0]["name"] == "sohoa"


def test_the_windows_entry_point_runs_the_command_line() -> None:
    proc = subprocess.run([sys.executable, str(REPO / "installer/windows/entry_cli.py"),
                           "--version"], capture_output=True, text=True, env=_clean_env(),
                          timeout=60, check=False)
    assert proc.returncode == 0 and proc.stdout.startswith("sohoa ")
