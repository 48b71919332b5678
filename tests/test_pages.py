"""The report's table pages: a Markdown table rendered, a CSV file as one table."""

import pytest

from xlt.core.pages import table_page


def test_a_markdown_table_becomes_an_html_table(tmp_path):
    table = tmp_path / "summary.md"
    table.write_text("### pos\n\n| target | score |\n|---|---|\n| qab | 87.66 |\n")
    page = table_page(table, "summary.md")
    assert "<title>summary.md</title>" in page
    assert "<h3>pos</h3>" in page
    assert "<th>target</th>\n<th>score</th>" in page
    assert "<td>qab</td>\n<td>87.66</td>" in page


def test_a_csv_file_becomes_one_table_with_empty_missing_cells(tmp_path):
    table = tmp_path / "scores.csv"
    table.write_text("target,score,note\nqab,87.6612,\nqac,1.5,a <b>\n")
    page = table_page(table, "scores.csv")
    assert page.count("<table") == 1
    assert "<td>qab</td>\n      <td>87.66</td>\n      <td></td>" in page  # 4 digits
    assert "<td>a &lt;b&gt;</td>" in page  # cells are text, not markup


def test_another_kind_of_file_is_refused(tmp_path):
    table = tmp_path / "scores.tsv"
    table.write_text("a\tb\n")
    with pytest.raises(ValueError, match="scores.tsv: a report table is a .md or .csv file"):
        table_page(table, "scores.tsv")
