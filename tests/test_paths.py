"""Nothing an input names can reach outside the project, and the output folder never lands on (or
deletes) anything but a folder Dossier built: path-like slugs, seed names and references; content
and seed files that are symlinks to files outside the project; `--out` (and config `output`) aimed
at the project's own folders, a parent of the project, a file, or a non-empty foreign folder. Each
is refused with a clear, located error, and the files around the project — a sibling folder, marker
files in /tmp — are byte for byte as they were.

The preview server listens on 127.0.0.1 only (unless told otherwise) and serves nothing but the
site: no path (`/../config.yaml`, `/%2e%2e/config.yaml`, `//etc/passwd`, `/content/index.md`,
`/.dossier`…) reaches a file outside it.
"""

from __future__ import annotations

import hashlib
import http.client
import os
import socket
import subprocess
import uuid
from pathlib import Path

import pytest

from tests.helpers import MINIMAL, SOURCE, error_lines, make_project, patched, run, running_preview

DIAGNOSTIC_PREFIX = r"^[^:]+:\d+:\d+: error: "


# -- snapshots of everything around the project ------------------------------------------------------

def digest_tree(folder: Path, skip: tuple[Path, ...] = ()) -> dict[str, str]:
    """path -> sha256 (or '<dir>' / '-> target' for folders and symlinks) of everything below `folder`."""
    found = {}
    for path in sorted(folder.rglob("*")):
        if any(path == s or s in path.parents for s in skip):
            continue
        rel = path.relative_to(folder).as_posix()
        if path.is_symlink():
            found[rel] = "-> " + os.readlink(path)
        elif path.is_dir():
            found[rel] = "<dir>"
        else:
            found[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


class Surroundings:
    """A project inside tmp_path, a sibling folder with files of its own, and marker files in /tmp."""

    def __init__(self, tmp_path: Path, files=MINIMAL):
        self.base = tmp_path
        self.root = make_project(tmp_path, files)
        self.sibling = tmp_path / "sibling"
        (self.sibling / "deep").mkdir(parents=True)
        (self.sibling / "notes.txt").write_text("the editor's own notes\n")
        (self.sibling / "deep" / "draft.md").write_text("draft\n")
        tag = uuid.uuid4().hex[:12]
        self.markers = [Path(f"/tmp/dossier-marker-{tag}-{i}") for i in range(2)]
        for marker in self.markers:
            marker.write_text(f"marker {marker.name}\n")
        # a previous site, so that "nothing deleted" covers the output folder too
        site = self.root / "site"
        site.mkdir()
        (site / ".dossier").write_text("This folder was built by Dossier and is replaced by each build.\n")
        (site / "index.html").write_text("<!doctype html><title>previous</title>")
        self.before = self.snapshot()

    def snapshot(self) -> dict:
        # the cache is the engine's own and may be written by any run
        return {"tree": digest_tree(self.base, skip=(self.root / ".dossier-cache",)),
                "markers": {str(m): m.read_bytes() if m.exists() else None for m in self.markers},
                "tmp": sorted(p.name for p in Path("/tmp").iterdir() if p.name.startswith("dossier-marker-"))}

    def unchanged(self) -> bool:
        return self.snapshot() == self.before

    def cleanup(self) -> None:
        for marker in self.markers:
            marker.unlink(missing_ok=True)


@pytest.fixture
def around(tmp_path):
    surroundings = Surroundings(tmp_path)
    yield surroundings
    surroundings.cleanup()


def assert_refused(code: int, out: str, err: str, where: str, words: str = "") -> None:
    assert "Traceback" not in out + err, err
    assert code == 1, (code, out, err)
    lines = error_lines(err)
    assert any(line.startswith(where) and ": error: " in line for line in lines), err
    if words:
        assert words in err, err


# -- names that look like paths ----------------------------------------------------------------------

def yaml_string(value: str) -> str:
    """A YAML double-quoted scalar holding `value` exactly."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\u0000", "\\0") + '"'


PATHS = ["../../etc/passwd", "/etc/passwd", "seeds/../config.yaml", "..%2f..%2fconfig.yaml", "..\\..\\config.yaml",
         "./001_test.txt", "001_test.txt/", "~/.ssh/id_rsa", "file:///etc/passwd", "001_test.txt\u0000.md"]


@pytest.mark.parametrize("name", PATHS)
def test_a_seed_name_that_is_a_path_is_refused(around, name):
    source = MINIMAL[SOURCE].replace("seed: 001_test.txt", f"seed: {yaml_string(name)}")
    (around.root / SOURCE).write_text(source, encoding="utf-8")
    around.before = around.snapshot()
    code, out, err = run(around.root, "build")
    assert_refused(code, out, err, "content/sources/test-report.md:2:7: error: ")
    assert around.unchanged()


@pytest.mark.parametrize("name", PATHS)
@pytest.mark.parametrize("field, old, line", [
    ("fact id", "  - id: detained-3000", "  - id: {}"),
    ("note id", "  - id: rigged", "  - id: {}"),
    ("claim", "    claim: detentions", "    claim: {}"),
    ("topics", "topics: [election]", "topics: [{}]"),
])
def test_a_slug_that_is_a_path_is_refused(around, name, field, old, line):
    (around.root / SOURCE).write_text(MINIMAL[SOURCE].replace(old, line.format(yaml_string(name))), encoding="utf-8")
    around.before = around.snapshot()
    code, out, err = run(around.root, "build")
    assert_refused(code, out, err, "content/sources/test-report.md:")
    assert around.unchanged()


@pytest.mark.parametrize("name", [p for p in PATHS if "\u0000" not in p])
@pytest.mark.parametrize("template", ["[[{}]]", "[[{}|label]]", "[[{}#vote-80]]", "[[test-report#{}]]", "\n![[{}]]\n",
                                      "\n![[test-report#{}]]\n"])
def test_a_cross_reference_that_is_a_path_is_refused(around, name, template):
    index = "---\ntitle: Test dossier\n---\nAn introduction linking [[test-report]].\n" + template.format(name) + "\n"
    (around.root / "content/index.md").write_text(index, encoding="utf-8")
    around.before = around.snapshot()
    code, out, err = run(around.root, "build")
    assert_refused(code, out, err, "content/index.md:")
    assert around.unchanged()


@pytest.mark.parametrize("name", ["x..%2f..%2fevil", "x..evil", "evil..", "EVIL", "evil%00", "e vil", "evil.html",
                                  "evil\\..\\x"])
def test_a_content_file_name_that_is_not_a_slug_is_refused(around, name):
    (around.root / f"content/topics/{name}.md").write_text("---\ntitle: Evil\n---\nBody.\n")
    around.before = around.snapshot()
    code, out, err = run(around.root, "build")
    assert_refused(code, out, err, f"content/topics/{name}.md:1:1: error: ", "is not a valid slug")
    assert around.unchanged()


@pytest.mark.parametrize("slug", ["../../evil", "/tmp/evil", "..", "evil/../../x", "Evil"])
def test_new_refuses_a_slug_that_is_a_path(around, slug):
    code, out, err = run(around.root, "new", "001_test.txt", "--slug", slug)
    assert code == 1 and "Traceback" not in err
    assert "not a valid slug" in err
    assert around.unchanged()


# -- symlinks out of the project -----------------------------------------------------------------------

def test_a_content_file_symlinked_to_a_file_outside_the_project_is_refused(around):
    outside = around.sibling / "secret.md"
    outside.write_text("---\ntitle: Outside\n---\nTOP-SECRET-OUTSIDE-THE-PROJECT\n")
    os.symlink(outside, around.root / "content/topics/secret.md")
    around.before = around.snapshot()
    code, out, err = run(around.root, "build")
    assert_refused(code, out, err, "content/topics/secret.md:")
    assert around.unchanged()
    assert not any(b"TOP-SECRET" in p.read_bytes() for p in (around.root / "site").rglob("*") if p.is_file())


def test_a_seed_symlinked_to_etc_passwd_is_refused(around):
    os.symlink("/etc/passwd", around.root / "seeds/002_passwd.txt")
    source = ("---\nseed: 002_passwd.txt\ntitle: Passwords\noutlet: Local\npublished: 2020-08-10\n---\n"
              "The machine's accounts.\n")
    (around.root / "content/sources/passwd.md").write_text(source)
    around.before = around.snapshot()
    code, out, err = run(around.root, "build")
    assert_refused(code, out, err, "seeds/002_passwd.txt:")
    assert around.unchanged()
    assert not any(b"root:x:0:0" in p.read_bytes() for p in (around.root / "site").rglob("*") if p.is_file())


# -- the output folder ----------------------------------------------------------------------------

def out_targets(around: Surroundings) -> dict[str, Path]:
    (around.base / "a-file.txt").write_text("not a folder\n")
    link_to_content = around.base / "link-to-content"
    if not link_to_content.exists():
        os.symlink(around.root / "content", link_to_content)
    return {
        "content folder": around.root / "content",
        "seeds folder": around.root / "seeds",
        "templates folder": around.root / "templates",
        "inside content": around.root / "content" / "site",
        "inside seeds": around.root / "seeds" / "site",
        "the project root": around.root,
        "the project root, dotted": around.root / "site" / "..",
        "content via ..": around.root / "site" / ".." / "content",
        "a parent of the project": around.base,
        "the grandparent": around.base.parent,
        "a file": around.base / "a-file.txt",
        "a non-empty foreign folder": around.sibling,
        "a symlink to the content folder": link_to_content,
        "the git folder": around.root / ".git",
    }


@pytest.mark.parametrize("target", ["content folder", "seeds folder", "templates folder", "inside content",
                                    "inside seeds", "the project root", "the project root, dotted", "content via ..",
                                    "a parent of the project", "the grandparent", "a file",
                                    "a non-empty foreign folder", "a symlink to the content folder", "the git folder"])
@pytest.mark.parametrize("how", ["--out", "config"])
def test_an_output_folder_that_is_not_the_sites_own_is_refused(around, target, how):
    out = out_targets(around)[target]
    if target == "the git folder":
        (out / "objects").mkdir(parents=True, exist_ok=True)
        (out / "HEAD").write_text("ref: refs/heads/main\n")
    if how == "config":
        (around.root / "config.yaml").write_text(MINIMAL["config.yaml"] + f"output: {str(out)!r}\n")
    around.before = around.snapshot()
    args = ["build", "--out", str(out)] if how == "--out" else ["build"]
    code, out_text, err = run(around.root, *args)
    assert "Traceback" not in err
    assert code == 1, (code, out_text, err)
    assert err.splitlines()[-1].startswith("build failed: ")
    assert any(": error: " in line and ("output" in line or "folder" in line or "file" in line)
               for line in error_lines(err)), err
    assert around.unchanged()


def test_the_default_output_replaces_only_its_own_site(around):
    code, out, err = run(around.root, "build")
    assert code == 0, err
    after = around.snapshot()
    changed = {k for k in set(after["tree"]) | set(around.before["tree"])
               if after["tree"].get(k) != around.before["tree"].get(k)}
    assert changed and all(k.startswith("project/site/") or k == "project/site" for k in changed), sorted(changed)[:10]
    assert after["markers"] == around.before["markers"]


def test_an_output_folder_outside_the_project_gets_only_the_site(around):
    """A new folder beside the project is allowed; nothing else around it changes."""
    out = around.base / "published"
    code, _, err = run(around.root, "build", "--out", str(out))
    assert code == 0, err
    after = around.snapshot()
    changed = {k for k in set(after["tree"]) | set(around.before["tree"])
               if after["tree"].get(k) != around.before["tree"].get(k)}
    assert all(k == "published" or k.startswith("published/") for k in changed), sorted(changed)[:10]
    assert (out / ".dossier").is_file()


# -- the preview server ------------------------------------------------------------------------------


def non_loopback_address() -> str | None:
    try:
        words = subprocess.run(["hostname", "-I"], capture_output=True, text=True, timeout=5).stdout.split()
    except (OSError, subprocess.SubprocessError):
        return None
    return next((w for w in words if "." in w and not w.startswith("127.")), None)


SECRET = "SECRET-" + uuid.uuid4().hex


@pytest.fixture(scope="module")
def preview(tmp_path_factory):
    """`build.py serve` on a copy of the minimal project whose unpublished files hold a secret."""
    base = tmp_path_factory.mktemp("serve")
    files = patched({"config.yaml": MINIMAL["config.yaml"] + f"# {SECRET}\n",
                     "content/index.md": MINIMAL["content/index.md"].replace("title: Test dossier",
                                                                             f"title: Test dossier  # {SECRET}")})
    root = make_project(base, files)
    (root / "site").mkdir()
    (root / "site" / ".dossier").write_text(f"{SECRET}\n")
    (root / "site" / "stale.html").write_text(f"<p>{SECRET}</p>")
    with running_preview(root) as (port, _):
        yield root, port


def raw_get(port: int, path: str) -> tuple[int, bytes]:
    """GET `path` exactly as written (no client-side normalisation)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.putrequest("GET", path, skip_host=True, skip_accept_encoding=True)
        conn.putheader("Host", f"127.0.0.1:{port}")
        conn.endheaders()
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def test_the_preview_answers_on_loopback(preview):
    _, port = preview
    status, body = raw_get(port, "/")
    assert status == 200 and b"</html>" in body


def test_the_preview_does_not_listen_on_other_addresses(preview):
    _, port = preview
    address = non_loopback_address()
    if address is None:
        pytest.skip("this machine has no non-loopback IPv4 address (hostname -I)")
    with socket.socket() as sock:
        sock.settimeout(2)
        assert sock.connect_ex((address, port)) != 0, f"the preview answers on {address}:{port}"


TRAVERSALS = ["/../config.yaml", "/%2e%2e/config.yaml", "/%2E%2E/config.yaml", "/..%2fconfig.yaml",
              "/%2e%2e%2fconfig.yaml", "/..%5cconfig.yaml", "/.%2e/.%2e/config.yaml", "//etc/passwd",
              "/%2f%2fetc/passwd", "/../../../../etc/passwd", "/..%2f..%2f..%2f..%2fetc/passwd", "/config.yaml",
              "/content/index.md", "/content/sources/test-report.md", "/seeds/../config.yaml",
              "/sources/../../config.yaml", "/templates/base.html", "/.dossier", "/.dossier-cache/",
              "/stale.html", "/%00", "/index.html%00.md", "/.nojekyll", "/sources/test-report/../../../config.yaml",
              "/\\..\\config.yaml", "/%c0%ae%c0%ae/config.yaml", "/file:///etc/passwd"]


@pytest.mark.parametrize("path", TRAVERSALS)
def test_the_preview_serves_nothing_outside_the_site(preview, path):
    root, port = preview
    status, body = raw_get(port, path)
    assert status < 500 or status == 500 and b"Build failed" in body, (status, body[:200])
    assert SECRET.encode() not in body, f"{path} served a file outside the site"
    assert b"root:x:0:0" not in body
    assert (root / "config.yaml").read_bytes() not in body
    if status == 200:  # whatever answers must be a page of the site (e.g. its 404 page)
        assert b"<!doctype html>" in body[:200].lower() or path == "/.nojekyll" and body == b""
