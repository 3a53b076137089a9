"""Build dist/sohoa_<version>_<arch>.deb from this checkout, reproducibly.

The package is a Python virtual environment in /opt/sohoa/venv built against
the distribution's own python3.X (see docs/install.md for why not PyInstaller),
holding sohoa and the exact wheels pinned, with their hashes, in
installer/requirements.lock. Everything else in it (wrappers, desktop entry,
icons, man page, maintainer scripts) comes from this folder.

Same commit -> same package: the source is the commit's files (git ls-files),
every time stamp is the commit time (SOURCE_DATE_EPOCH), owners are root,
permissions are normalised, bytecode is hash-based and tar members sorted.

Runs with the system python3 and only its standard library:

    installer/build-deb --maintainer 'Name <mail@domain>' [--site site.toml]
                        [--compression xz|zstd|gzip|none]
    installer/build-deb --relock        # re-resolve pyproject.toml's dependencies

lintian finds nothing in the package but what deb/lintian-overrides explains (the
Python environment under /opt); tests/test_installer.py holds it to that.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
INSTALLER = REPO / "installer"
sys.path.insert(0, str(INSTALLER))
sys.dont_write_bytecode = True  # no __pycache__ in the checkout
import locks  # noqa: E402  (installer/locks.py, shared with the Windows recipe)

TEMPLATES = INSTALLER / "deb"
LOCK = INSTALLER / "requirements.lock"
BUILD_LOCK = INSTALLER / "build-requirements.lock"
PREFIX = "opt/sohoa"
SITE_TARGET = "etc/sohoa/site.toml"
# Who answers for the package (Debian's Maintainer field and changelog) is whoever builds
# it for the desks -- a city or district IT office -- so it is a build setting, not a constant.
MAINTAINER_HELP = ("say who maintains the package: --maintainer 'Name <mail@domain.vn>' (or "
                   "SOHOA_MAINTAINER, or DEBFULLNAME and DEBEMAIL)")
MAINTAINER_RE = re.compile(r"[^<>@\s][^<>@\n]* <[^<>@\s]+@[\w-]+(\.[\w-]+)+>")  # a dotted host
FIRST_YEAR = "2026"  # of the first commit: the copyright notice runs from it
SYNOPSIS = "ward desk station to digitise paper dossiers (OCR, encrypted store)"

# Tesseract with Vietnamese and page orientation, Poppler for PDFs, SANE for scanners,
# a font with every Vietnamese letter (not fonts-liberation 1.x: it lacks some), and the
# libraries Qt's xcb platform plugin loads (the wheels bundle Qt itself).
SYSTEM_DEPENDS = (
    "tesseract-ocr", "tesseract-ocr-vie", "tesseract-ocr-osd", "poppler-utils", "sane-utils",
    "fonts-dejavu-core | fonts-noto-core", "adduser", "libc6",
    "libgl1", "libegl1", "libxkbcommon0", "libxkbcommon-x11-0", "libfontconfig1",
    "libdbus-1-3", "libxcb-cursor0", "libxcb-icccm4", "libxcb-keysyms1", "libxcb-shape0",
    "libxcb-xinerama0", "libxcb-randr0", "libxcb-render-util0", "libxcb-image0",
)
OWN_PACKAGES = ("app", "cli", "scanning", "ocr", "capture", "extract", "store", "sync", "warehouse")
# zstd -9 packs the ~620 MB tree in ~20 s on two cores; xz -6 is 20 % smaller but takes
# ~8 minutes there. Every dpkg since Debian 12 / Ubuntu 21.10 reads zstd.
COMPRESSION_LEVEL = {"zstd": "9", "xz": "6", "gzip": "6", "none": "0"}
START = time.monotonic()


class BuildError(Exception):
    """A reason to stop, said in one line; ``code`` is the exit status."""

    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Options:
    site: Path | None
    out_dir: Path
    build_dir: Path
    compression: str
    level: str
    python: str
    relock: bool
    maintainer: str
    quiet: bool


@dataclass(frozen=True)
class Python:
    """The distribution Python the package runs on (its venv links to it)."""

    path: str          # /usr/bin/python3.11
    version: str       # 3.11.2
    short: str         # 3.11
    platform: str      # linux-x86_64


@dataclass(frozen=True)
class Project:
    version: str
    description: str
    dependencies: tuple[str, ...]
    build_requires: tuple[str, ...]
    commit: str
    dirty: bool
    epoch: int
    schema: int


# ------------------------------------------------------------------ helpers


def log(opts: Options, message: str) -> None:
    if not opts.quiet:
        print(f"build-deb: [{time.monotonic() - START:4.0f} s] {message}", file=sys.stderr,
              flush=True)


def run(cmd: Sequence[str | Path], *, cwd: Path | None = None, env: dict[str, str] | None = None,
        what: str) -> str:
    """Run a tool; on failure stop with its last lines (never a Python traceback)."""
    proc = subprocess.run([str(c) for c in cmd], cwd=cwd, env=env, capture_output=True,
                          text=True, check=False)
    if proc.returncode != 0:
        tail = (proc.stderr.strip() or proc.stdout.strip()).splitlines()[-12:]
        raise BuildError(f"{what} failed (exit {proc.returncode}):\n  " + "\n  ".join(tail))
    return proc.stdout


def requirement_name(spec: str) -> str:
    match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", spec)
    if not match:
        raise BuildError(f"cannot read the requirement {spec!r} in pyproject.toml")
    return str(locks.normalise_name(match.group(1)))


def tool_env(epoch: int) -> dict[str, str]:
    env = dict(os.environ)
    env.update(SOURCE_DATE_EPOCH=str(epoch), PYTHONHASHSEED="0", LC_ALL="C.UTF-8",
               TZ="UTC", PIP_DISABLE_PIP_VERSION_CHECK="1", PIP_NO_INPUT="1")
    for key in ("PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "VIRTUAL_ENV"):
        env.pop(key, None)
    return env


# ------------------------------------------------------------------ inputs


def find_python(requested: str | None) -> Python:
    """The distribution's python3 (resolved to python3.X) unless told otherwise."""
    path = os.path.realpath(requested or "/usr/bin/python3")
    if not os.access(path, os.X_OK):
        raise BuildError(f"no Python at {path}; install python3 and python3-venv")
    if requested is None and not path.startswith("/usr/bin/"):
        raise BuildError(f"/usr/bin/python3 resolves to {path}, not a distribution Python")
    out = run([path, "-c", "import sys, sysconfig; print(sys.version.split()[0]); "
               "print(sysconfig.get_platform()); import venv, ensurepip"],
              what=f"{path} (needs the venv module: apt install python3-venv)").split()
    version, platform = out[0], out[1]
    if tuple(int(x) for x in version.split(".")[:2]) < (3, 11):
        raise BuildError(f"sohoa needs Python 3.11 or newer; {path} is {version}")
    return Python(path, version, ".".join(version.split(".")[:2]), platform)


def read_project() -> Project:
    meta = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))
    project = meta["project"]
    commit = run(["git", "-C", REPO, "rev-parse", "HEAD"], what="git rev-parse").strip()
    dirty = bool(run(["git", "-C", REPO, "status", "--porcelain"], what="git status").strip())
    epoch_text = os.environ.get("SOURCE_DATE_EPOCH") or run(
        ["git", "-C", REPO, "log", "-1", "--format=%ct", "HEAD"], what="git log").strip()
    migrations = [p for p in (REPO / "store" / "migrations").glob("[0-9][0-9][0-9][0-9]_*.sql")]
    return Project(
        version=str(project["version"]), description=str(project.get("description", "")),
        dependencies=tuple(project.get("dependencies", ())),
        build_requires=tuple(meta.get("build-system", {}).get("requires", ())),
        commit=commit, dirty=dirty, epoch=int(epoch_text), schema=len(migrations))


def source_files() -> list[str]:
    """The commit's files as they are in this checkout (plus new files not ignored)."""
    out = run(["git", "-C", REPO, "ls-files", "-z", "--cached", "--others",
               "--exclude-standard"], what="git ls-files")
    names = sorted({n for n in out.split("\0") if n})
    return [n for n in names if (REPO / n).is_file() and not n.startswith((".ci/", ".git"))]


def export_source(dest: Path) -> Path:
    shutil.rmtree(dest, ignore_errors=True)
    for name in source_files():
        target = dest / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / name, target)
    return dest


# ------------------------------------------------------------------ lock files


@dataclass(frozen=True)
class Lock:
    path: Path
    text: str
    pins: dict[str, str]  # normalised name -> version

    def lines(self) -> list[str]:
        return [line for line in self.text.splitlines() if line and not line.startswith("#")]


def lock_target(python: Python) -> str:
    return f"cp{python.short.replace('.', '')}-{python.platform}"


def read_lock(path: Path, python: Python) -> Lock:
    if not path.exists():
        raise BuildError(f"{path.relative_to(REPO)} is missing; run installer/build-deb --relock")
    try:
        target, pins = locks.read_pins(path)
    except locks.LockError as exc:
        raise BuildError(str(exc)) from None
    if target != lock_target(python):
        raise BuildError(f"{path.name} is for {target or 'no target'}, this build needs "
                         f"{lock_target(python)}; run installer/build-deb --relock here")
    return Lock(path, path.read_text("utf-8"), pins)


_PLATFORM_MARKER = re.compile(r"""^\s*sys_platform\s*(==|!=)\s*['"]([^'"]+)['"]\s*$""")


def applies_to_linux(spec: str) -> bool:
    """Whether a requirement is for this (Linux) build: "comtypes; sys_platform == 'win32'"
    is the Windows recipe's (installer/windows/requirements.lock pins it), not the .deb's.
    Only a plain sys_platform marker is read; any other marker counts as applying."""
    if ";" not in spec:
        return True
    found = _PLATFORM_MARKER.match(spec.split(";", 1)[1])
    if found is None:
        return True
    return (found.group(2) == "linux") == (found.group(1) == "==")


def check_lock_covers(lock: Lock, requirements: Sequence[str]) -> None:
    missing = [r for r in requirements
               if applies_to_linux(r) and requirement_name(r) not in lock.pins]
    if missing:
        raise BuildError(f"{lock.path.name} does not pin {', '.join(missing)} "
                         "(pyproject.toml changed?); run installer/build-deb --relock")


def relock(opts: Options, python: Python, project: Project, src: Path) -> None:
    """Resolve pyproject's dependencies now and pin them, with wheel hashes, in the locks."""
    with tempfile.TemporaryDirectory(prefix="sohoa-relock-") as tmp:
        venv = Path(tmp) / "venv"
        run([python.path, "-m", "venv", venv], what="python -m venv")
        jobs = ((LOCK, [str(src)], "the wheels the Debian package installs"),
                (BUILD_LOCK, list(project.build_requires), "the wheels that build sohoa's wheel"))
        for path, requirements, purpose in jobs:
            try:
                report = locks.resolve(str(venv / "bin" / "python"), requirements)
                locks.write_lock(path, locks.pins_from_report(report),
                                 target=lock_target(python), purpose=purpose)
            except locks.LockError as exc:
                raise BuildError(str(exc)) from None
            log(opts, f"wrote {path.relative_to(REPO)}")


# ------------------------------------------------------------------ the environment


def deps_venv(opts: Options, python: Python, locks: Sequence[Lock], epoch: int) -> Path:
    """A venv with every pinned wheel, cached by the locks' content (site builds reuse it)."""
    key = hashlib.sha256("\0".join([python.path, python.version, *(lk.text for lk in locks)])
                         .encode()).hexdigest()[:16]
    cached = opts.build_dir / "cache" / f"venv-{key}"
    if (cached / ".complete").exists():
        log(opts, f"reusing the dependency environment {cached}")
        return cached
    partial = cached.with_name(cached.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    log(opts, "installing the pinned wheels into a fresh environment")
    run([python.path, "-m", "venv", partial], what="python -m venv")
    cmd: list[str | Path] = [partial / "bin" / "python", "-m", "pip", "install", "--quiet",
                             "--no-deps", "--require-hashes", "--only-binary=:all:",
                             "--no-compile"]
    for lock in locks:
        cmd += ["-r", lock.path]
    run(cmd, env=tool_env(epoch), what="pip install of the locked wheels")
    log(opts, "compiling the dependencies' bytecode")
    compile_tree(partial, [site_packages(partial)], strip=partial,
                 prepend=Path("/") / PREFIX / "venv", epoch=epoch, strict=False)
    (partial / ".complete").write_text("ok\n")
    shutil.rmtree(cached, ignore_errors=True)
    partial.rename(cached)
    for stale in cached.parent.glob("venv-*"):  # an older lock's environment: ~600 MB each
        if stale != cached:
            shutil.rmtree(stale, ignore_errors=True)
    return cached


def check_site(opts: Options, deps: Path, src: Path, epoch: int) -> dict[str, str]:
    """Check the site file with the very code the package ships (`sohoa site check`)."""
    assert opts.site is not None
    code = ("import sys; sys.path.insert(0, sys.argv[1]); from cli import main; "
            "sys.exit(main(['site', 'check', '--json', sys.argv[2]]))")
    proc = subprocess.run([str(deps / "bin" / "python"), "-I", "-B", "-c", code, str(src),
                           str(opts.site)], capture_output=True, text=True,
                          env=tool_env(epoch), check=False)
    if proc.returncode != 0:
        message = proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else "failed"
        raise BuildError(f"bad site file: {message.removeprefix('sohoa: error: ')}",
                         code=proc.returncode)
    result: dict[str, str] = json.loads(proc.stdout)
    return result


def build_wheel(opts: Options, deps: Path, src: Path, epoch: int) -> Path:
    out = opts.build_dir / "wheel"
    shutil.rmtree(out, ignore_errors=True)
    run([deps / "bin" / "python", "-m", "pip", "wheel", "--quiet", "--no-deps",
         "--no-build-isolation", "--wheel-dir", out, src],
        env=tool_env(epoch), what="building the sohoa wheel")
    wheels = sorted(out.glob("sohoa-*.whl"))
    if len(wheels) != 1:
        raise BuildError(f"expected one sohoa wheel in {out}, found {len(wheels)}")
    return wheels[0]


def stage_venv(root: Path, deps: Path, wheel: Path, src: Path, python: Python,
               epoch: int) -> Path:
    venv = root / PREFIX / "venv"
    shutil.copytree(deps, venv, symlinks=True)
    (venv / ".complete").unlink()
    py = venv / "bin" / "python"
    env = tool_env(epoch)
    run([py, "-B", "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", "--no-compile",
         wheel], env=env, what="installing the sohoa wheel")
    run([py, "-B", "-m", "pip", "uninstall", "--quiet", "--yes", "setuptools", "wheel", "pip"],
        env=env, what="removing the build tools")
    tidy_venv(venv, python)
    stage_resources(src, venv, epoch)
    return venv


def stage_resources(src: Path, venv: Path, epoch: int) -> None:
    """Icons, translations, samples: the app finds them beside its packages.

    app/context.py looks in <site-packages>/resources, and the wheel does not
    carry that folder (it is not a package), so it is copied here. A translation
    whose .qm is not committed is compiled with PySide6's lrelease.
    """
    resources = src / "resources"
    if not resources.is_dir():
        return
    target = site_packages(venv) / "resources"
    shutil.copytree(resources, target, ignore=shutil.ignore_patterns("README*"))
    sources = sorted(target.glob("i18n/*.ts"))
    if any(not ts.with_suffix(".qm").exists() for ts in sources):
        run([venv / "bin" / "python", "-I", "-B", "-m", "app.i18n"], env=tool_env(epoch),
            what="compiling the translations")
    for ts in sources:
        ts.unlink()


def tidy_venv(venv: Path, python: Python) -> None:
    """Drop what refers to the build machine; link the interpreter to python3.X."""
    for entry in (venv / "bin").iterdir():
        entry.unlink()
    exe = f"python{python.short}"
    (venv / "bin" / exe).symlink_to(python.path)
    (venv / "bin" / "python3").symlink_to(exe)
    (venv / "bin" / "python").symlink_to(exe)
    (venv / "pyvenv.cfg").write_text(
        f"home = {os.path.dirname(python.path)}\ninclude-system-site-packages = false\n"
        f"version = {python.version}\n", encoding="ascii")
    for junk in venv.rglob("direct_url.json"):
        junk.unlink()


def site_packages(venv: Path) -> Path:
    return next((venv / "lib").glob("python3*/site-packages"))


def compile_tree(venv: Path, targets: Sequence[Path], *, strip: Path, prepend: Path, epoch: int,
                 strict: bool) -> None:
    """Hash-based .pyc naming the installed paths: fast start, same bytes every build.

    ``unchecked-hash`` because dpkg owns these files: nothing edits a source
    behind its .pyc, so Python need not read the source to check it.
    """
    proc = subprocess.run(
        [str(venv / "bin" / "python"), "-I", "-m", "compileall", "-q", "-q", "-j", "0",
         "--invalidation-mode", "unchecked-hash", "-s", str(strip), "-p", str(prepend),
         *map(str, targets)],
        env=tool_env(epoch), capture_output=True, text=True, check=False)
    # Exit 1 only means some file did not compile: third-party wheels carry a few
    # Python 2 test files. sohoa's own modules must all compile (strict).
    if proc.returncode > (0 if strict else 1):
        raise BuildError(f"compileall failed: {(proc.stderr or proc.stdout).strip()[-500:]}")


def compile_own(root: Path, venv: Path, epoch: int) -> None:
    site = site_packages(venv)
    targets = [site / pkg for pkg in OWN_PACKAGES if (site / pkg).is_dir()] + [site / "main.py"]
    compile_tree(venv, targets, strip=root, prepend=Path("/"), epoch=epoch, strict=True)


# ------------------------------------------------------------------ the package tree


def template(name: str, **values: str) -> str:
    text = (TEMPLATES / name).read_text("utf-8")
    for key, value in values.items():
        text = text.replace(f"@{key}@", value)
    if re.search(r"@[A-Z_]+@", text):
        raise BuildError(f"{name}: a @PLACEHOLDER@ was left unfilled")
    return text


def write(path: Path, data: str | bytes, mode: int = 0o644) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    path.chmod(mode)


def gzip_bytes(data: bytes) -> bytes:
    return gzip.compress(data, compresslevel=9, mtime=0)


def stage_files(root: Path, opts: Options, project: Project, python: Python, version: str,
                locks: Sequence[Lock]) -> None:
    venv_py = root / PREFIX / "venv" / "bin" / "python"
    env = tool_env(project.epoch)
    for name in ("sohoa",):
        write(root / PREFIX / "bin" / name, template(name), 0o755)
        link = root / "usr" / "bin" / name
        link.parent.mkdir(parents=True, exist_ok=True)
        # absolute: Debian policy 10.5 for links between top-level folders (lintian
        # relative-symlink); an unpacked copy runs /opt/sohoa/bin/sohoa itself
        link.symlink_to(f"/{PREFIX}/bin/{name}")
    write(root / "usr/share/applications/sohoa.desktop", template("sohoa.desktop"))
    run([venv_py, "-I", "-B", INSTALLER / "icon.py", "--hicolor",
         root / "usr/share/icons/hicolor"], env=env, what="drawing the icons")
    date = time.strftime("%Y-%m-%d", time.gmtime(project.epoch))
    manpage = run([venv_py, "-I", "-B", INSTALLER / "manpage.py", "--version", version,
                   "--date", date], env=env, what="writing the man page")
    write(root / "usr/share/man/man1/sohoa.1.gz", gzip_bytes(manpage.encode("utf-8")))
    doc = root / "usr/share/doc/sohoa"
    year = time.strftime("%Y", time.gmtime(project.epoch))
    years = FIRST_YEAR if year == FIRST_YEAR else f"{FIRST_YEAR}-{year}"
    write(doc / "copyright", template("copyright", YEARS=years))
    # a native package (no Debian revision) names its changelog changelog.gz
    write(doc / "changelog.gz", gzip_bytes(changelog(opts, project, version).encode()))
    write(root / "usr/share/lintian/overrides/sohoa", template("lintian-overrides"))
    write(doc / "examples/site.example.toml", (INSTALLER / "site.example.toml").read_bytes())
    write(root / PREFIX / "requirements.lock", recorded_lock(project, locks[0]))
    write(root / PREFIX / "BUILD-INFO", build_info(project, python, version))
    if opts.site is not None:
        write(root / SITE_TARGET, opts.site.read_bytes(), 0o640)


def changelog(opts: Options, project: Project, version: str) -> str:
    when = time.strftime("%a, %d %b %Y %H:%M:%S +0000", time.gmtime(project.epoch))
    return (f"sohoa ({version}) stable; urgency=medium\n\n"
            f"  * Built by installer/build-deb from commit\n    {project.commit}.\n\n"
            f" -- {opts.maintainer}  {when}\n")


def recorded_lock(project: Project, runtime: Lock) -> str:
    return (f"# The Python packages inside /opt/sohoa/venv, exactly (pip install --require-hashes"
            f" -r this file reproduces it).\n# sohoa=={project.version} itself is built from "
            f"commit {project.commit}.\n" + "\n".join(runtime.lines()) + "\n")


def build_info(project: Project, python: Python, version: str) -> str:
    return "".join(f"{k}={v}\n" for k, v in (
        ("package", "sohoa"), ("version", version), ("commit", project.commit),
        ("dirty", str(project.dirty).lower()), ("source_date_epoch", project.epoch),
        ("python", python.version), ("schema", project.schema)))


def walk(root: Path) -> Iterator[Path]:
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(dirnames + filenames):
            yield Path(dirpath) / name


def normalise_tree(root: Path, epoch: int) -> None:
    """Modes 0755/0644 (site file 0640), every time stamp the commit's."""
    for path in walk(root):
        if path.is_symlink():
            pass
        elif path.is_dir():
            path.chmod(0o755)
        elif path.relative_to(root).as_posix() == SITE_TARGET:
            path.chmod(0o640)
        else:
            path.chmod(0o755 if path.stat().st_mode & 0o111 else 0o644)
    for path in [*walk(root), root]:
        os.utime(path, (epoch, epoch), follow_symlinks=False)


def installed_size_kib(root: Path) -> int:
    total = 0
    for path in walk(root):
        if path.is_symlink() or path.is_dir():
            total += 1
        else:
            total += (path.stat().st_size + 1023) // 1024
    return total


def control_files(root: Path, opts: Options, project: Project, python: Python, version: str,
                  arch: str) -> None:
    debian = root / "DEBIAN"
    conffiles = [f"/{SITE_TARGET}"] if opts.site is not None else []
    sums = []
    for path in walk(root):
        rel = path.relative_to(root).as_posix()
        if path.is_file() and not path.is_symlink() and f"/{rel}" not in conffiles:
            sums.append(f"{hashlib.md5(path.read_bytes()).hexdigest()}  {rel}\n")
    depends = ", ".join((f"python{python.short}", *SYSTEM_DEPENDS))
    control = "".join(f"{k}: {v}\n" for k, v in (
        ("Package", "sohoa"), ("Version", version), ("Architecture", arch),
        ("Maintainer", opts.maintainer), ("Installed-Size", installed_size_kib(root)),
        ("Depends", depends), ("Recommends", "tesseract-ocr-eng"),
        ("Section", "utils"), ("Priority", "optional"),
        ("Description", SYNOPSIS),
    )) + (" The ward clerks' desk station: scan or import pages, clean them, read them\n"
          " with Tesseract (Vietnamese), extract the metadata of Nghi dinh 30/2020, keep\n"
          " everything in an encrypted local store and send approved batches to the city\n"
          " warehouse. Python and its libraries are bundled in /opt/sohoa; stores are\n"
          " never touched by upgrades or removal.\n")
    write(debian / "control", control)
    write(debian / "md5sums", "".join(sums))
    if conffiles:
        write(debian / "conffiles", "".join(f"{c}\n" for c in conffiles))
    for script in ("preinst", "postinst", "postrm"):
        write(debian / script, template(script, VERSION=version, SCHEMA=str(project.schema)),
              0o755)


def pack(root: Path, opts: Options, version: str, arch: str, epoch: int) -> Path:
    opts.out_dir.mkdir(parents=True, exist_ok=True)
    final = opts.out_dir / f"sohoa_{version}_{arch}.deb"
    partial = final.with_name(final.name + ".partial")
    level = opts.level or COMPRESSION_LEVEL[opts.compression]
    run(["dpkg-deb", "--root-owner-group", f"-Z{opts.compression}", f"-z{level}",
         "--build", root, partial], env=tool_env(epoch), what="dpkg-deb --build")
    partial.replace(final)
    return final


# ------------------------------------------------------------------ main


def package_version(project: Project, site: dict[str, str] | None) -> str:
    """A site package sorts after the plain one of the same release, and names its site."""
    if site is None:
        return project.version
    return f"{project.version}+site.{site['agency_code']}"


def build(opts: Options) -> Path:
    for tool in ("git", "dpkg-deb", "dpkg"):
        if shutil.which(tool) is None:
            raise BuildError(f"{tool} is missing; run this on Debian/Ubuntu with git installed")
    if opts.site is not None and not opts.site.is_file():
        raise BuildError(f"no site file at {opts.site}", code=3)
    python = find_python(opts.python or None)
    project = read_project()
    if project.dirty:
        log(opts, "warning: the checkout has uncommitted changes; this package is not "
            "reproducible from a commit")
    src = export_source(opts.build_dir / "src")
    if opts.relock:
        relock(opts, python, project, src)
    locks = [read_lock(LOCK, python), read_lock(BUILD_LOCK, python)]
    check_lock_covers(locks[0], project.dependencies)
    check_lock_covers(locks[1], project.build_requires)
    deps = deps_venv(opts, python, locks, project.epoch)
    site = check_site(opts, deps, src, project.epoch) if opts.site else None
    version = package_version(project, site)
    arch = run(["dpkg", "--print-architecture"], what="dpkg --print-architecture").strip()
    wheel = build_wheel(opts, deps, src, project.epoch)
    root = opts.build_dir / "root"
    shutil.rmtree(root, ignore_errors=True)
    log(opts, f"staging sohoa {version} for {arch}")
    venv = stage_venv(root, deps, wheel, src, python, project.epoch)
    stage_files(root, opts, project, python, version, locks)
    compile_own(root, venv, project.epoch)
    control_files(root, opts, project, python, version, arch)
    normalise_tree(root, project.epoch)
    log(opts, f"compressing ({opts.compression})")
    deb = pack(root, opts, version, arch, project.epoch)
    shutil.rmtree(root, ignore_errors=True)
    return deb


def default_maintainer() -> str:
    """SOHOA_MAINTAINER, else Debian's own DEBFULLNAME/DEBEMAIL (as dch uses them)."""
    if os.environ.get("SOHOA_MAINTAINER"):
        return os.environ["SOHOA_MAINTAINER"]
    name, mail = os.environ.get("DEBFULLNAME", ""), os.environ.get("DEBEMAIL", "")
    return f"{name} <{mail}>" if name and mail else ""


def check_maintainer(maintainer: str) -> None:
    """A name and a mail address on a real domain (lintian: bogus-mail-host)."""
    if not maintainer:
        raise BuildError(MAINTAINER_HELP, code=2)
    if not MAINTAINER_RE.fullmatch(maintainer):
        raise BuildError(f"maintainer {maintainer!r} is not 'Name <mail@domain>'; "
                         + MAINTAINER_HELP, code=2)


def parse_args(argv: Sequence[str] | None) -> Options:
    parser = argparse.ArgumentParser(prog="installer/build-deb",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, metavar="FILE",
                        help="bake this site file in as /etc/sohoa/site.toml (checked first)")
    parser.add_argument("--out-dir", type=Path, default=REPO / "dist", metavar="DIR",
                        help="where the .deb goes (default: dist/)")
    parser.add_argument("--build-dir", type=Path, default=REPO / "build" / "deb", metavar="DIR",
                        help="work and cache folder (default: build/deb/)")
    parser.add_argument("--compression", choices=sorted(COMPRESSION_LEVEL), default="zstd",
                        help="zstd (default; dpkg >= 1.21.18: Debian 12, Ubuntu 21.10), or "
                        "xz for older desks (smaller, much slower to build)")
    parser.add_argument("--level", metavar="N", help="compression level (default: zstd 9, "
                        "xz 6, gzip 6)")
    parser.add_argument("--python", default="", metavar="PATH",
                        help="the Python the package runs on (default: /usr/bin/python3)")
    parser.add_argument("--relock", action="store_true",
                        help="resolve pyproject.toml's dependencies again and rewrite "
                        "installer/*.lock before building")
    parser.add_argument("--maintainer", default=default_maintainer(), metavar="'NAME <MAIL>'",
                        help="who maintains the package on the desks (default: "
                        "SOHOA_MAINTAINER, else DEBFULLNAME <DEBEMAIL>); required")
    parser.add_argument("--quiet", action="store_true", help="only print the package path")
    ns = parser.parse_args(argv)
    return Options(site=ns.site.resolve() if ns.site else None, out_dir=ns.out_dir.resolve(),
                   build_dir=ns.build_dir.resolve(), compression=ns.compression,
                   level=ns.level or "",
                   python=ns.python, relock=ns.relock, maintainer=ns.maintainer,
                   quiet=ns.quiet)


def main(argv: Sequence[str] | None = None) -> int:
    opts = parse_args(argv)
    started = time.monotonic()
    try:
        check_maintainer(opts.maintainer)
        deb = build(opts)
    except BuildError as exc:
        print(f"build-deb: error: {exc}", file=sys.stderr)
        return exc.code
    except KeyboardInterrupt:
        print("build-deb: cancelled", file=sys.stderr)
        return 130
    size = deb.stat().st_size
    log(opts, f"wrote {deb} ({size / 1e6:.1f} MB) in {time.monotonic() - started:.0f} s")
    print(deb)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
