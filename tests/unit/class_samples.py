"""Three sample students answering the scaffold's mock exam, written from the pack's own solutions and counterexamples."""

from __future__ import annotations

from pathlib import Path

from exercises.loader import load_catalog


def write_class(pack: Path, class_dir: Path) -> dict[str, dict[str, float]]:
    """ada answers everything right, ben gets the command and the quiz wrong and skips the pod, cy hands in a stray file.

    Returns student -> exercise -> the points expected (the exam's points: pod 3, scale 1, quiz 1, live 4)."""
    catalog = load_catalog([pack], bundled=False, user=False)
    name = catalog.packs[0].meta.id
    get = {kind: catalog.get(f"{name}-{kind}") for kind in ("pod", "scale", "quiz", "live")}
    students = {
        "ada": {"1.yaml": get["pod"].solution, f"{name}-scale.txt": get["scale"].also_right[0].answer,
                "task-3.txt": get["quiz"].solution, "4.yaml": get["live"].also_right[1].answer},
        "ben": {"2.txt": get["scale"].counterexamples[1].answer, "3.txt": "a",
                "4.yaml": get["live"].counterexamples[0].answer},
        "cy": {"notes.md": "I ran out of time\n"},
    }
    for student, files in students.items():
        (class_dir / student).mkdir(parents=True)
        for file, text in files.items():
            (class_dir / student / file).write_text(text, encoding="utf-8")
    return {"ada": {f"{name}-pod": 3, f"{name}-scale": 1, f"{name}-quiz": 1, f"{name}-live": 4},
            "ben": {f"{name}-pod": 0, f"{name}-quiz": 0, f"{name}-live": 0},  # scale: partial credit, asserted apart
            "cy": {f"{name}-pod": 0, f"{name}-scale": 0, f"{name}-quiz": 0, f"{name}-live": 0}}
