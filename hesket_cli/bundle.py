"""bundle.py: one sealed file of a case for a solicitor or the police, and the check that it is intact.

A case about a parent's post may end with a solicitor, the police or a
tribunal, who need the record and its evidence in one piece, with a way to
show nothing in it changed after it left the school. A bundle is a zip:
`case.toml` (the case file as it is), `evidence/<name>` (every attachment),
`chronology.html` (and `chronology.pdf` where a converter is installed) and
`manifest.json`, which lists every other file with its SHA-256 and size, the
case id, when the bundle was made and the case's chain head (see chain.py).

`verify_bundle` needs nothing but the zip: no workspace, no policy. It treats
the zip as hostile: names with `..`, absolute paths or drive letters are
refused and never extracted (nothing is ever extracted: files are hashed as
they stream), and no member is read past the size its manifest declares, so
a zip bomb costs nothing. It never writes anything.

Writing is atomic (files.write_atomically: a temporary file beside the
target, fsynced, swapped in with os.replace) and the bundle is readable by
its owner only: it holds the same personal data as the case. Evidence is
read with files.open_regular, so a FIFO or device put in its place is refused
rather than blocking. Nothing here opens a socket.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import tomllib
import zipfile
import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from . import __version__
from .chain import chain_head as case_chain_head
from .chain import check_chain
from .chronology import chronology_html, chronology_pdf
from .errors import EvidenceError, InvalidInput
from .files import open_regular, write_atomically

__all__ = ["BundleFile", "BundleReport", "bundle_case", "chronology_html", "chronology_pdf", "verify_bundle",
           "write_bundle"]

FORMAT = "hesket-case-bundle"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
CASE_FILE = "case.toml"
CHRONOLOGY_HTML = "chronology.html"
CHRONOLOGY_PDF = "chronology.pdf"
EVIDENCE_DIR = "evidence/"
# Limits for reading a bundle that may have been made by anyone.
MAX_MEMBERS = 10_000
MAX_MANIFEST_BYTES = 4 << 20
MAX_TOTAL_BYTES = 8 << 30
CHUNK = 1 << 20

_EVIDENCE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,199}", re.ASCII)
_SHA256 = re.compile(r"[0-9a-f]{64}", re.ASCII)


@dataclass(frozen=True)
class BundleFile:
    """One file a manifest lists: its name inside the zip, its size and its SHA-256."""

    name: str
    size: int
    sha256: str


@dataclass(frozen=True)
class BundleReport:
    """What verify_bundle found: each problem names the file it is about."""

    path: Path
    problems: tuple[str, ...]
    case_id: str | None = None
    created_at: str | None = None
    chain_head: str | None = None
    files: tuple[BundleFile, ...] = ()
    manifest_sha256: str | None = None

    @property
    def ok(self) -> bool:
        """True when every listed file is present and unchanged, and nothing else is in the zip."""
        return not self.problems


def write_bundle(target: Path, *, case_id: str, case_file: bytes, evidence: Sequence[tuple[str, Path]],
                 chronology_html: str, chain_head: str | None, pdf: bytes | None,
                 created_at: dt.datetime | None = None) -> Path:
    """Write the case's bundle to `target` (a .zip) atomically, readable by its owner only; return `target`.

    `evidence` pairs each file's name in the bundle (a plain file name, as
    the store keeps it, like `001-screenshot.png`) with where it is now.
    Raises InvalidInput for a name that cannot go in a zip safely or a
    folder that does not exist, and EvidenceError for evidence that cannot be
    read; nothing is left behind on failure.
    """
    made = (created_at or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).replace(microsecond=0)
    names = [name for name, _ in evidence]
    for name in names:
        if not _EVIDENCE_NAME.fullmatch(name) or name.strip(".") == "":
            raise InvalidInput(f"evidence name {name[:80]!r} cannot go in a bundle: use a plain file name of "
                               "letters, digits, '.', '_' and '-', like 001-screenshot.png")
    if len(set(names)) != len(names):
        raise InvalidInput(f"two pieces of evidence share a name in the bundle of case {case_id}; names must differ")
    if not target.parent.is_dir():
        raise InvalidInput(f"{target.parent}: no such folder; create it or choose another place for the bundle")

    def write(handle: IO[bytes]) -> None:
        listed: list[BundleFile] = []
        with zipfile.ZipFile(handle, "w") as archive:
            listed.append(_add(archive, CASE_FILE, made, _bytes_source(case_file)))
            for name, path in evidence:
                listed.append(_add(archive, EVIDENCE_DIR + name, made, _file_source(name, path)))
            listed.append(_add(archive, CHRONOLOGY_HTML, made, _bytes_source(chronology_html.encode("utf-8"))))
            if pdf is not None:
                listed.append(_add(archive, CHRONOLOGY_PDF, made, _bytes_source(pdf)))
            manifest = {
                "format": FORMAT, "version": FORMAT_VERSION, "generator": f"hesket {__version__}",
                "case_id": case_id, "created_at": made.isoformat().replace("+00:00", "Z"),
                "chain_head": chain_head,
                "files": [{"name": f.name, "size": f.size, "sha256": f.sha256} for f in listed],
            }
            text = json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"
            _add(archive, MANIFEST, made, _bytes_source(text.encode("utf-8")))

    write_atomically(target, write)
    return target


def bundle_case(target: Path, document: Mapping[str, Any], *, case_file: bytes,
                evidence: Sequence[tuple[str, Path]], quotes: Mapping[str, str], school: str, pdf: bool,
                created_at: dt.datetime, titles: Mapping[str, str] | None = None) -> BundleReport:
    """Write a case's bundle from its document (the JSON contract) with its chronology, then check it.

    The chronology is made as HTML and, with `pdf` and where LibreOffice is
    installed, as PDF too. The bundle is read back with verify_bundle, so
    what is handed over is known to verify; its report is returned.
    """
    import tempfile

    page = chronology_html(document, quotes, school, titles)
    made_pdf = None
    if pdf:
        with tempfile.TemporaryDirectory(prefix="hesket-chronology-") as work:
            html_path = Path(work) / "chronology.html"
            html_path.write_text(page, encoding="utf-8")
            made_pdf = chronology_pdf(html_path)
    case_id = str(document.get("id"))
    write_bundle(target, case_id=case_id, case_file=case_file, evidence=evidence, chronology_html=page,
                 chain_head=_text(document.get("chain_head")), pdf=made_pdf, created_at=created_at)
    return verify_bundle(target)


def verify_bundle(path: Path) -> BundleReport:
    """Check a bundle against its own manifest, with no workspace; every problem names its file.

    Raises InvalidInput only when the file cannot be opened at all; anything
    wrong inside it (not a zip, a damaged or changed file, a file missing or
    extra, an unsafe name, a malformed manifest) comes back as a problem.
    """
    if not path.is_file():
        raise InvalidInput(f"{path}: no such bundle; give the path of a .zip made by `hesket case export --bundle`")
    try:
        with zipfile.ZipFile(path) as archive:
            return _verify(path, archive)
    except zipfile.BadZipFile as exc:
        return BundleReport(path, (f"{path}: not a zip file hesket can read ({exc})",))
    except OSError as exc:
        raise InvalidInput(f"{path}: cannot read the bundle: {exc.strerror or exc}") from None


# -- verifying ---------------------------------------------------------------


def _verify(path: Path, archive: zipfile.ZipFile) -> BundleReport:
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        return BundleReport(path, (f"{path}: holds {len(infos)} files, more than a bundle ever does",))
    members, problems = _members(path, infos)
    raw, found = _read_manifest_bytes(archive, members.get(MANIFEST))
    if raw is None:
        return BundleReport(path, tuple(problems + found))
    manifest, files, found = _parse_manifest(raw)
    problems += found
    if manifest is None:
        return BundleReport(path, tuple(problems), manifest_sha256=hashlib.sha256(raw).hexdigest())
    for listed in files:
        problems += _check_member(archive, members.get(listed.name), listed)
    problems += [f"{name}: in the zip but not listed in the manifest" for name in sorted(members)
                 if name != MANIFEST and name not in {f.name for f in files}]
    if not problems:
        problems += _check_case_file(archive, members[CASE_FILE], manifest, files)
    return BundleReport(
        path, tuple(problems), case_id=_text(manifest.get("case_id")), created_at=_text(manifest.get("created_at")),
        chain_head=_text(manifest.get("chain_head")), files=tuple(files),
        manifest_sha256=hashlib.sha256(raw).hexdigest(),
    )


def _members(path: Path, infos: Sequence[zipfile.ZipInfo]) -> tuple[dict[str, zipfile.ZipInfo], list[str]]:
    """The zip's members by name, leaving out (and reporting) unsafe and repeated names."""
    problems = [f"{info.filename[:120]!r}: an unsafe name (absolute, or with '..'); it was not read"
                for info in infos if not _safe_member(info.filename)]
    members = {info.filename: info for info in infos if _safe_member(info.filename)}
    if len(members) + len(problems) != len(infos):
        problems.append(f"{path}: the same name appears twice in the zip")
    return members, problems


def _read_manifest_bytes(archive: zipfile.ZipFile, info: zipfile.ZipInfo | None) -> tuple[bytes | None, list[str]]:
    if info is None:
        return None, [f"{MANIFEST}: missing, so nothing in the bundle can be checked"]
    if info.file_size > MAX_MANIFEST_BYTES:
        return None, [f"{MANIFEST}: {info.file_size} bytes, far larger than a manifest; not read"]
    try:
        with archive.open(info) as handle:
            return handle.read(MAX_MANIFEST_BYTES + 1)[:MAX_MANIFEST_BYTES], []
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
        return None, [f"{MANIFEST}: damaged, cannot be read ({exc})"]


def _parse_manifest(raw: bytes) -> tuple[dict[str, Any] | None, list[BundleFile], list[str]]:
    """The manifest and its file list, or the reasons it is not one hesket wrote."""
    try:
        manifest = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        return None, [], [f"{MANIFEST}: not valid JSON ({exc})"]
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        return None, [], [f"{MANIFEST}: not a hesket bundle manifest (no \"format\": \"{FORMAT}\")"]
    if manifest.get("version") != FORMAT_VERSION:
        return None, [], [(f"{MANIFEST}: bundle format version {manifest.get('version')!r}; this hesket reads "
                          f"version {FORMAT_VERSION}: upgrade hesket")]
    files, problems = _listed_files(manifest.get("files"))
    if sum(f.size for f in files) > MAX_TOTAL_BYTES:
        return None, [], [f"{MANIFEST}: declares more than {MAX_TOTAL_BYTES >> 30} GiB of files; not read"]
    if not isinstance(manifest.get("case_id"), str) or not any(f.name == CASE_FILE for f in files):
        problems.append(f"{MANIFEST}: must name the case (\"case_id\") and list {CASE_FILE}")
    return manifest, files, problems


def _listed_files(rows: Any) -> tuple[list[BundleFile], list[str]]:
    if not isinstance(rows, list) or not rows:
        return [], [f"{MANIFEST}: \"files\" must list the bundle's files"]
    files: list[BundleFile] = []
    problems: list[str] = []
    for index, row in enumerate(rows):
        listed = _listed_file(row)
        if listed is None or listed.name == MANIFEST or listed.name in {f.name for f in files}:
            problems.append(f"{MANIFEST}: files[{index}] is not a file entry (a safe unique name, a size and a "
                            "SHA-256)")
        else:
            files.append(listed)
    return files, problems


def _listed_file(row: Any) -> BundleFile | None:
    if not isinstance(row, dict):
        return None
    name, size, digest = row.get("name"), row.get("size"), row.get("sha256")
    if not isinstance(name, str) or not _safe_member(name) or name.endswith("/"):
        return None
    if not isinstance(size, int) or isinstance(size, bool) or size < 0:
        return None
    if not isinstance(digest, str) or not _SHA256.fullmatch(digest):
        return None
    return BundleFile(name, size, digest)


def _check_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo | None, listed: BundleFile) -> list[str]:
    """One listed file: present, of its declared size, with its hash; read no further than declared."""
    if info is None:
        return [f"{listed.name}: listed in the manifest but missing from the zip"]
    if info.file_size != listed.size:
        return [f"{listed.name}: {info.file_size} bytes, but the manifest says {listed.size}: changed"]
    digest = hashlib.sha256()
    size = 0
    try:
        with archive.open(info) as handle:
            while chunk := handle.read(min(CHUNK, listed.size + 1 - size)):
                digest.update(chunk)
                size += len(chunk)
                if size > listed.size:
                    return [f"{listed.name}: longer than the manifest says ({listed.size} bytes): changed"]
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
        return [f"{listed.name}: damaged, cannot be read back ({exc}): changed after the bundle was made"]
    if size != listed.size or digest.hexdigest() != listed.sha256:
        return [(f"{listed.name}: changed since the bundle was made (SHA-256 was {listed.sha256[:12]}..., "
                f"now {digest.hexdigest()[:12]}...)")]
    return []


def _check_case_file(archive: zipfile.ZipFile, info: zipfile.ZipInfo, manifest: Mapping[str, Any],
                     files: Sequence[BundleFile]) -> list[str]:
    """The case file inside agrees with the manifest: its id, its chain and head, its evidence hashes."""
    try:
        with archive.open(info) as handle:
            data = tomllib.loads(handle.read(info.file_size).decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        return [f"{CASE_FILE}: not a readable case file ({exc})"]
    problems = []
    if data.get("id") != manifest.get("case_id"):
        problems.append(f"{CASE_FILE}: holds case {data.get('id')!r}, "
                        f"but the manifest names {manifest.get('case_id')!r}")
    problems += [f"{CASE_FILE}: {p.message}" for p in check_chain(data).problems]
    head = manifest.get("chain_head")
    if head is not None and head != case_chain_head(data):
        problems.append(f"{CASE_FILE}: its chain head is not the one in the manifest ({str(head)[:12]}...)")
    bundled = {f.sha256 for f in files if f.name.startswith(EVIDENCE_DIR)}
    for kept in _kept(data):
        if kept.get("sha256") not in bundled:
            problems.append(f"{CASE_FILE}: evidence {str(kept.get('name'))[:80]!r} (SHA-256 "
                            f"{str(kept.get('sha256'))[:12]}...) is not in the bundle")
    return problems


def _kept(data: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Every file the case file says it keeps: each event's attachment and each capture's files."""
    found: list[dict[str, Any]] = []
    for event in data.get("events", []):
        if not isinstance(event, dict):
            continue
        capture = event.get("capture")
        files = capture.get("files") if isinstance(capture, dict) else None
        found += [f for f in [event.get("attachment"), *(files if isinstance(files, list) else [])]
                  if isinstance(f, dict)]
    return found


def _safe_member(name: str) -> bool:
    """A zip name that stays inside wherever it might be unpacked: relative, no '..', no drive, no control."""
    if not name or len(name) > 300 or name.startswith(("/", "\\")) or "\\" in name or ":" in name:
        return False
    if any(ord(c) < 32 or ord(c) == 127 for c in name):
        return False
    parts = name.rstrip("/").split("/")
    return all(part not in ("", ".", "..") for part in parts)


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


# -- writing -----------------------------------------------------------------


Source = Callable[[], IO[bytes]]


def _bytes_source(data: bytes) -> Source:
    import io

    return lambda: io.BytesIO(data)


def _file_source(name: str, path: Path) -> Source:
    def open_it() -> IO[bytes]:
        try:
            return open_regular(path)
        except OSError as exc:
            raise EvidenceError(f"{path}: cannot read evidence {name!r} for the bundle: {exc.strerror or exc}; "
                                "run `hesket case verify` to check the case's evidence") from None

    return open_it


def _add(archive: zipfile.ZipFile, name: str, made: dt.datetime, source: Source) -> BundleFile:
    """Stream one file into the zip, hashing it on the way: what is listed is exactly what was written."""
    info = zipfile.ZipInfo(name, date_time=made.timetuple()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o600 << 16
    digest = hashlib.sha256()
    size = 0
    with source() as src, archive.open(info, "w", force_zip64=True) as out:
        while chunk := src.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
    return BundleFile(name, size, digest.hexdigest())
