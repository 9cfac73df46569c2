"""The manifest a backup carries: every file's size and SHA-256, and what the database held.

A restore checks every file against it before anything is loaded, and compares the restored
database's row counts and chain head with it afterwards.
"""

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

FORMAT = "partnerhub-backup/1"
MANIFEST = "manifest.json"
DUMP = "database.dump"
MEDIA = "media"
CHECKPOINTS = "checkpoints"
_CHUNK = 1024 * 1024


class BackupRefused(Exception):
    """A backup that cannot be taken or restored, with the reason a person can act on."""


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def describe_file(backup: Path, path: Path) -> dict:
    return {
        "path": path.relative_to(backup).as_posix(),
        "size": path.stat().st_size,
        "sha256": sha256_of(path),
    }


def write(backup: Path, manifest: dict) -> Path:
    path = backup / MANIFEST
    path.write_text(json.dumps({"format": FORMAT, **manifest}, indent=2, sort_keys=True) + "\n")
    return path


@dataclass(frozen=True)
class CheckedBackup:
    directory: Path
    manifest: dict

    def files_under(self, folder: str) -> list[tuple[Path, Path]]:
        """(file in the backup, its path relative to `folder`) for each listed file there."""
        prefix = f"{folder}/"
        return [
            (self.directory / entry["path"], Path(entry["path"][len(prefix) :]))
            for entry in self.manifest["files"]
            if entry["path"].startswith(prefix)
        ]


def _inside(backup: Path, listed: str) -> Path:
    path = (backup / listed).resolve()
    if not path.is_relative_to(backup.resolve()) or listed.startswith("/"):
        raise BackupRefused(f"the manifest lists {listed}, which is outside the backup")
    return path


def check(backup: Path) -> CheckedBackup:
    """Read the manifest and hold every file it lists to its size and digest.

    Every problem is named, not just the first, so one look tells whoever restores what is
    damaged; nothing is loaded unless all of them hold.
    """
    backup = Path(backup)
    try:
        manifest = json.loads((backup / MANIFEST).read_text())
    except FileNotFoundError:
        raise BackupRefused(f"{backup} has no {MANIFEST}: it is not a finished backup") from None
    except (OSError, ValueError) as problem:
        raise BackupRefused(f"{backup / MANIFEST} cannot be read: {problem}") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupRefused(f"{backup / MANIFEST} is not a {FORMAT} manifest")
    absent = [key for key in ("files", "tables", "chain_head") if key not in manifest]
    if absent:
        raise BackupRefused(f"{backup / MANIFEST} has no {', '.join(absent)}")
    try:
        listed = [
            (str(entry["path"]), int(entry["size"]), str(entry["sha256"]))
            for entry in manifest["files"]
        ]
    except (KeyError, TypeError, ValueError) as problem:
        raise BackupRefused(
            f"{backup / MANIFEST} lists a file it cannot describe: {problem!r}"
        ) from None
    problems = []
    for listed_path, size, sha256 in listed:
        path = _inside(backup, listed_path)
        if not path.is_file():
            problems.append(f"{listed_path} is missing")
        elif path.stat().st_size != size:
            problems.append(
                f"{listed_path} is {path.stat().st_size} bytes, the manifest says {size}"
            )
        elif sha256_of(path) != sha256:
            problems.append(f"{listed_path} does not match its SHA-256 in the manifest")
    if DUMP not in {listed_path for listed_path, _, _ in listed}:
        problems.append(f"the manifest does not list {DUMP}")
    if problems:
        raise BackupRefused("The backup fails its manifest check: " + "; ".join(problems))
    return CheckedBackup(directory=backup, manifest=manifest)
