"""Check the relative links of the project's Markdown pages.

Reads README.md, every docs/*.md and configs/README.md (where there is one) and
checks every relative link target: the file or directory must exist, relative to
the page that links it, and inside the repository; an anchor (``#anchor`` on the
same page, ``other.md#anchor`` on another) must be the anchor of a heading of the
target page. Anchors follow GitHub's rules: the heading's text in lower case,
every character other than a letter, a digit, a space, a hyphen or an underscore
dropped, each space turned into a hyphen; a heading whose anchor is already taken
gets ``-1``, ``-2``, ... appended. Links with a scheme (``https:``, ``mailto:``)
are not checked, and neither is anything inside code spans or code blocks.

Usage, from the repository root (``make lint`` runs it)::

    python tools/check_links.py              # the project's pages
    python tools/check_links.py PAGE.md ...  # the named pages only

Each broken link is printed as ``FILE:LINE: target (why)``; the exit status is 1
when there is one, 0 otherwise. ``check_files`` and ``check_root`` return the same
problems to a caller (tests/test_docs_links.py).
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import NamedTuple
from urllib.parse import unquote

ROOT = Path(__file__).resolve().parents[1]

# An opening code fence: up to three spaces, then three or more backticks or tildes.
FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
# An ATX heading: one to six '#', a space, the text, optional closing '#'s.
ATX_HEADING = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
# A setext heading's underline (the line above it is the heading).
SETEXT_UNDERLINE = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
# A code span: a run of backticks, its content, a run of the same length.
CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)", re.DOTALL)
# An inline link or image: [text](target) with an optional title; the target may
# hold one level of balanced parentheses, or be written as <target>.
INLINE_LINK = re.compile(
    r"!?\[(?:[^\[\]]|\[[^\[\]]*\])*\]"
    r"\(\s*(<[^<>\n]*>|(?:[^\s()]|\([^\s()]*\))*)(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^()]*\)))?\s*\)"
)
# A link reference definition: [label]: target "optional title".
REFERENCE_DEFINITION = re.compile(r"^ {0,3}\[[^\]]+\]:[ \t]*(<[^<>\n]*>|\S+)", re.MULTILINE)
# An anchor set by HTML: <a name="x"> or any element with id="x".
HTML_ANCHOR = re.compile(r"<[a-zA-Z][^>]*\s(?:name|id)=[\"']([^\"']+)[\"']")
# A target with a scheme (https:, mailto:, ...) is not checked.
SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
# What a heading's rendered text loses: HTML tags; links and images keep their text.
HTML_TAG = re.compile(r"<[^>]+>")
LINK_TEXT = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")


class Problem(NamedTuple):
    """One broken link: the page, the line, the link's target and why it is broken."""

    file: str
    line: int
    target: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.target} ({self.reason})"


def default_files(root: Path = ROOT) -> list[Path]:
    """The pages the project checks: README.md, docs/*.md and configs/README.md."""
    files = [root / "README.md", *sorted((root / "docs").glob("*.md"))]
    files.append(root / "configs" / "README.md")
    return [path for path in files if path.is_file()]


def slugify(text: str) -> str:
    """GitHub's anchor of a heading's text (before duplicates are numbered)."""
    text = HTML_TAG.sub("", LINK_TEXT.sub(r"\1", text)).strip().lower()
    kept = "".join(ch for ch in text if ch.isalnum() or ch in " -_")
    return kept.replace(" ", "-")


def fenced_lines(lines: list[str]) -> set[int]:
    """The indices of the lines that belong to code blocks, their fences included."""
    fenced = set()
    fence = None
    for number, line in enumerate(lines):
        match = FENCE.match(line)
        if fence is None:
            if match:
                fence = match.group(1)
                fenced.add(number)
            continue
        fenced.add(number)
        run = match.group(1) if match else ""
        if run and run[0] == fence[0] and len(run) >= len(fence) and not line.strip(" \t" + run[0]):
            fence = None
    return fenced


def blank_code(text: str) -> str:
    """The page with its code blocks and code spans replaced by spaces (newlines kept),
    so that offsets and line numbers stay those of the page."""
    lines = text.split("\n")
    for number in fenced_lines(lines):
        lines[number] = ""
    return CODE_SPAN.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), "\n".join(lines))


def headings(text: str) -> list[str]:
    """The texts of the page's headings, in order (ATX and setext; not in code blocks)."""
    lines = text.split("\n")
    fenced = fenced_lines(lines)
    found = []
    previous = ""
    for number, line in enumerate(lines):
        if number in fenced:
            previous = ""
            continue
        atx = ATX_HEADING.match(line)
        if atx:
            found.append(atx.group(2) or "")
            line = ""
        elif previous.strip() and not previous.startswith("    "):
            if SETEXT_UNDERLINE.match(line) and not previous.lstrip().startswith("|"):
                found.append(previous.strip())
                line = ""
        previous = line
    return found


def anchors(text: str) -> set[str]:
    """Every anchor a page defines: its headings' (duplicates numbered as GitHub does)
    and those set by HTML name or id attributes."""
    occurrences: dict[str, int] = {}
    result = set()
    for heading in headings(text):
        slug = original = slugify(heading)
        while slug in occurrences:
            occurrences[original] += 1
            slug = f"{original}-{occurrences[original]}"
        occurrences[slug] = 0
        result.add(slug)
    result.update(HTML_ANCHOR.findall(blank_code(text)))
    return result


def link_targets(text: str) -> list[tuple[int, str]]:
    """(line, target) of every inline link, image and reference definition of a page."""
    blanked = blank_code(text)
    found = []
    for pattern in (INLINE_LINK, REFERENCE_DEFINITION):
        for match in pattern.finditer(blanked):
            target = match.group(1).strip()
            if target.startswith("<") and target.endswith(">"):
                target = target[1:-1].strip()
            line = blanked.count("\n", 0, match.start(1)) + 1
            found.append((line, target))
    return sorted(found)


def _display(path: Path, root: Path | None) -> str:
    if root is not None:
        try:
            return path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            pass
    return str(path)


def check_files(files: list[Path], root: Path | None = None) -> list[Problem]:
    """The broken links of the given Markdown pages. With ``root``, a target outside
    it is broken too (a clone elsewhere would not have it), and pages are named
    relative to it."""
    problems = []
    cache: dict[Path, set[str]] = {}

    def anchors_of(page: Path) -> set[str]:
        page = page.resolve()
        if page not in cache:
            cache[page] = anchors(page.read_text(encoding="utf-8"))
        return cache[page]

    for page in files:
        text = page.read_text(encoding="utf-8")
        name = _display(page, root)
        for line, target in link_targets(text):
            if not target:
                problems.append(Problem(name, line, target, "empty link"))
                continue
            if SCHEME.match(target) or target.startswith("//"):
                continue
            path_part, _, anchor = target.partition("#")
            path_part = unquote(path_part.split("?", 1)[0])
            anchor = unquote(anchor)
            if not path_part:
                destination = page
            else:
                destination = (page.parent / path_part).resolve()
                if root is not None and not destination.is_relative_to(root.resolve()):
                    problems.append(Problem(name, line, target, "outside the repository"))
                    continue
                if not destination.exists():
                    problems.append(Problem(name, line, target, "no such file or directory"))
                    continue
            if not anchor:
                continue
            if destination.is_dir():
                problems.append(Problem(name, line, target, "anchor on a directory"))
            elif destination.suffix.lower() in (".md", ".markdown"):
                if anchor not in anchors_of(destination):
                    why = f"no heading with anchor #{anchor} in {_display(destination, root)}"
                    problems.append(Problem(name, line, target, why))
    return problems


def check_root(root: Path = ROOT) -> list[Problem]:
    """The broken links of a repository's pages (``default_files``)."""
    return check_files(default_files(root), root)


def main(argv: list[str] | None = None) -> int:
    """Check the pages, print each broken link, return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("files", nargs="*", type=Path, help="pages to check (default: all)")
    parser.add_argument("--root", type=Path, default=ROOT, help="the repository's root")
    args = parser.parse_args(argv)
    root = args.root.resolve()
    files = args.files or default_files(root)
    problems = check_files(files, root)
    for problem in problems:
        print(problem)
    checked = len(files)
    if problems:
        print(f"{len(problems)} broken link(s) in {checked} page(s)")
        return 1
    print(f"links of {checked} page(s): all resolve")
    return 0


if __name__ == "__main__":
    sys.exit(main())
