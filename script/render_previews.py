"""Renders the four forms from the shared fixtures through the real pipeline (docxtpl -> LibreOffice PDF/A)
and writes PNG previews of their first pages to docs/ (pdftoppm, from poppler-utils).

    .venv/bin/python script/render_previews.py [--pages 3] [--dpi 70]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from docgen.rendering import OfficePool, PoolSettings, render_pdf  # noqa: E402
from tests.fixtures import load_fixture  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=3)
    parser.add_argument("--dpi", type=int, default=70)
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    args = parser.parse_args()

    adult = load_fixture("valid-adult-iep.json")
    youth = load_fixture("valid-youth-iss.json")
    forms = {
        "iep": (adult["plans"][0], adult["participant"], "Example Workforce Center"),
        "iss": (youth["plans"][0], youth["participant"], "Example Youth Services"),
        "case-note": (load_fixture("valid-case_note-training_begin.json"), adult["participant"],
                      "Example Workforce Center"),
        "mou": (load_fixture("valid-mou.json"), None, "Example Workforce Board"),
        "iep-draft": (adult["plans"][0], adult["participant"], "Example Workforce Center"),
    }  # fmt: skip
    args.out.mkdir(parents=True, exist_ok=True)
    with OfficePool(PoolSettings.from_env(size=1)) as pool, tempfile.TemporaryDirectory() as tmp:
        for name, (document, participant, organisation) in forms.items():
            pdf = render_pdf(
                pool, document, participant=participant, organisation=organisation,
                local_area="LWIA 7 — Example County", draft=name.endswith("-draft"),
            )  # fmt: skip
            path = Path(tmp) / f"{name}.pdf"
            path.write_bytes(pdf)
            pages = 1 if name.endswith("-draft") else args.pages
            for old in args.out.glob(f"preview-{name}-*.png"):
                old.unlink()
            command = ["/usr/bin/pdftoppm", "-png", "-r", str(args.dpi), "-f", "1", "-l", str(pages), str(path),
                       str(args.out / f"preview-{name}")]  # fmt: skip
            subprocess.run(command, check=True)  # noqa: S603 - fixed argv, no shell
    for png in sorted(args.out.glob("preview-*.png")):
        print(png.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
