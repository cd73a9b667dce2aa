"""docs/letter_picture.py: the README's picture of a drafted letter, made from the README's own case.

Runs the README's letter session (docs/readme.py, on its fixed date), converts
the Word letter hesket saved to PDF with LibreOffice (headless) and its first
page to PNG with pdftoppm (poppler-utils). Needs both installed; run it after
changing a letter template or its layout:

    .venv/bin/python docs/letter_picture.py
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import readme

PICTURE = readme.ROOT / "docs" / "letter-written-warning.png"


def main() -> int:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None or shutil.which("pdftoppm") is None:
        print("needs LibreOffice (soffice) and pdftoppm: apt-get install libreoffice-writer poppler-utils")
        return 1
    with readme.sandbox() as folder:
        for _, line, text in readme.run_lines(readme.LETTER_SESSION):
            print(f"$ {line}\n{text}")
        letter = folder / "2026-0001-written_warning.docx"
        subprocess.run([soffice, f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--headless",
                        "--convert-to", "pdf", "--outdir", str(folder), str(letter)], check=True,
                       capture_output=True, timeout=180)
        subprocess.run(["pdftoppm", "-png", "-r", "70", "-singlefile", "-f", "1", "-l", "1",
                        str(letter.with_suffix(".pdf")), str(PICTURE.with_suffix(""))], check=True)
    print(f"wrote {PICTURE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
