"""Open a run's HTML report in headless Chromium and fail unless it displays.

    .venv/bin/python tools/check_report.py results/default/report.html

(`make check-report` builds the default's report and runs this.) It needs the
Debian package ``chromium`` (or ``CHROMIUM=/path/to/chrome``) and the Python
package ``playwright`` (`make check-report` installs it into .venv; no browser
download: the system's Chromium is used). Checked, as a reader would see them:

- the front page says what ran, from its top (a description taller than the
  window loses its top: the report centres it), and shows the findings
  scorecard (a table);
- every category holds results, and every result, opened from its category as
  its eye button opens it, displays: a figure as an image the browser decoded
  (non-zero natural size, visible), a table as an HTML page with a table of at
  least one row;
- no JavaScript error on the way.

Exit status 1 with one line per problem otherwise.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

IMAGE_TYPES = {"image/png", "image/svg+xml", "image/jpeg"}
# The share of an <img>'s pixels that are not transparent once drawn to a
# 200 x 200 canvas (the project's figures have an opaque background).
DRAWN_SHARE = """img => img.decode().then(() => {
    const canvas = document.createElement("canvas");
    canvas.width = 200; canvas.height = 200;
    const context = canvas.getContext("2d");
    context.drawImage(img, 0, 0, 200, 200);
    const alpha = context.getImageData(0, 0, 200, 200).data.filter((_, i) => i % 4 === 3);
    return alpha.filter(a => a > 0).length / alpha.length;
}, () => 0)"""


def chromium_path() -> str:
    """The Chromium to drive: $CHROMIUM, else chromium on PATH."""
    found = os.environ.get("CHROMIUM") or shutil.which("chromium")
    if not found:
        sys.exit(
            "no Chromium found: install the Debian package (apt-get install chromium) "
            "or set CHROMIUM to a Chrome or Chromium binary"
        )
    return found


def check_front_page(page) -> list[str]:
    """Problems of the front page (the workflow description)."""
    page.wait_for_selector("text=What ran", timeout=20_000)
    problems = []
    top = page.locator("text=What ran").first.bounding_box()
    if top is None or top["y"] < 0:
        # the report centres the description vertically: a page taller than the
        # window loses its top, out of reach of the scroll bar
        problems.append("front page: its top is cut off (the description is too long)")
    description = page.locator("div.prose").first
    if description.locator("table").count() == 0:
        problems.append("front page: no findings scorecard table")
    if "Findings scorecard" not in description.inner_text():
        problems.append("front page: no 'Findings scorecard' section")
    return problems


def open_result(page, category: str, subcategory: str, path: str, entry: dict) -> None:
    """Show ``path`` as its eye button does: its category's list, then the view."""
    page.evaluate(
        "([c, s]) => app.setView({navbarMode: 'subcategory', category: c, subcategory: s})",
        [category, subcategory],
    )
    content = "img" if entry["mime_type"] in IMAGE_TYPES else "html"
    page.evaluate(
        "([content, uri, path]) => app.setView({content: content, contentPath: uri, "
        "resultPath: path})",
        [content, entry["data_uri"], path],
    )


def check_result(page, category, subcategory, path, entry) -> str | None:
    """A problem of one result, or None when it displays."""
    mime = entry["mime_type"]
    if mime not in IMAGE_TYPES and mime != "text/html":
        return f"{path}: {mime} is offered as a download, not displayed"
    open_result(page, category, subcategory, path, entry)
    if mime in IMAGE_TYPES:
        image = page.locator("img[src^='data:']").last
        image.wait_for(state="visible", timeout=10_000)
        # the share of the image's pixels the browser drew: a broken or truncated
        # file still reports the size in its header, but draws nothing
        drawn = image.evaluate(DRAWN_SHARE)
        if drawn < 0.5 or image.bounding_box()["height"] < 10:
            return f"{path}: the figure does not display ({drawn:.0%} of it drawn)"
        return None
    page.locator("iframe").last.wait_for(state="attached", timeout=10_000)
    frame = page.locator("iframe").last.element_handle().content_frame()
    frame.wait_for_load_state()
    rows = frame.locator("table tr td").count()
    if rows == 0:
        return f"{path}: the table page shows no table rows"
    if page.locator("iframe").last.bounding_box()["height"] < 50:
        return f"{path}: the table page is not visible"
    return None


def check(report: Path) -> list[str]:
    from playwright.sync_api import sync_playwright

    problems = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), headless=True)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.on("pageerror", lambda error: problems.append(f"JavaScript error: {error}"))
        page.goto(report.resolve().as_uri())
        problems += check_front_page(page)
        categories = page.evaluate("categories")
        results = page.evaluate("results")
        if not categories:
            problems.append("the report has no categories")
        shown = 0
        for category, subcategories in categories.items():
            for subcategory, paths in subcategories.items():
                for path in paths:
                    problem = check_result(page, category, subcategory, path, results[path])
                    if problem:
                        problems.append(f"{category} / {subcategory}: {problem}")
                    shown += 1
        print(f"{report}: {len(categories)} categories, {shown} results opened")
        browser.close()
    return problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("report", type=Path)
    args = parser.parse_args()
    if not args.report.is_file():
        sys.exit(f"{args.report}: no such report (make report builds the default's)")
    problems = check(args.report)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        sys.exit(1)
    print("every figure and table displays")


if __name__ == "__main__":
    main()
