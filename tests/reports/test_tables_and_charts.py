"""A report's tables and bar charts as the page draws them: every row in the table, and a chart
that stays readable however many agencies the table holds."""

from html.parser import HTMLParser

from reports.charts import MOST_BARS, bar_chart
from reports.tables import HOURS, SMALL, Column, Row, Table
from reports.templatetags.reports import report_table

THRESHOLD = 5


def _table(rows: list[Row]) -> Table:
    return Table(
        slug="referral-responses",
        title="Referral response times by agency",
        row_heading="Agency",
        columns=(Column("sent", "Sent"), Column("hours", "Median hours", HOURS)),
        rows=tuple(rows),
        chart_column="sent",
    )


class _Cells(HTMLParser):
    """Each table row's cells as text, and the ids and classes met on the way."""

    def __init__(self):
        super().__init__()
        self.rows, self.row_classes, self.attributes = [], [], []
        self._cell = None

    def handle_starttag(self, tag, attrs):
        self.attributes.append((tag, dict(attrs)))
        if tag == "tr":
            self.rows.append([])
            self.row_classes.append(dict(attrs).get("class", ""))
        elif tag in ("th", "td"):
            self._cell = ""

    def handle_data(self, data):
        if self._cell is not None:
            self._cell += data

    def handle_endtag(self, tag):
        if tag in ("th", "td"):
            self.rows[-1].append(self._cell)
            self._cell = None


def _cells(html: str) -> _Cells:
    parser = _Cells()
    parser.feed(str(html))
    return parser


def test_a_report_table_shows_every_row_with_its_figures_as_the_page_words_them():
    table = _table(
        [
            Row('Police & "Partners" <North>', {"sent": 1234, "hours": 5.25}),
            Row("Shelter", {"sent": SMALL, "hours": None}),
            Row("All agencies", {"sent": 1240, "hours": 5.0}, is_total=True),
        ]
    )
    parsed = _cells(report_table(table, THRESHOLD))

    assert parsed.rows == [
        ["Agency", "Sent", "Median hours"],
        ['Police & "Partners" <North>', "1,234", "5.2"],
        ["Shelter", "fewer than 5", "–"],
        ["All agencies", "1,240", "5.0"],
    ]
    assert parsed.row_classes[-1] == "govuk-table__row partnerhub-report-total"
    # The table scrolls in its own region, named by the caption.
    region = next(attrs for tag, attrs in parsed.attributes if tag == "div")
    caption = next(attrs for tag, attrs in parsed.attributes if tag == "caption")
    assert region["role"] == "region" and region["tabindex"] == "0"
    assert region["aria-labelledby"] == caption["id"] == "caption-referral-responses"


def test_a_short_tables_chart_has_a_bar_for_every_row_in_the_tables_order():
    table = _table([Row(name, {"sent": sent}) for name, sent in [("A", 10), ("B", 40), ("C", 20)]])
    chart = bar_chart(table, THRESHOLD)

    assert [bar.label for bar in chart.bars] == ["A", "B", "C"]
    assert [bar.text for bar in chart.bars] == ["10", "40", "20"]
    widths = [bar.width for bar in chart.bars]
    assert widths[1] == max(widths) and widths[0] * 2 == widths[2]
    assert chart.title == "Referral response times by agency: Sent"


def test_a_long_tables_chart_draws_only_the_largest_figures_largest_first():
    rows = [Row(f"Agency {number:03}", {"sent": number}) for number in range(1, 501)]
    rows[499] = Row("Agency 500", {"sent": SMALL})
    chart = bar_chart(_table(rows), THRESHOLD)

    assert len(chart.bars) == MOST_BARS
    assert [bar.label for bar in chart.bars] == [f"Agency {n:03}" for n in range(499, 479, -1)]
    assert chart.title.endswith(f"the {MOST_BARS} largest of 500")
    assert chart.height == MOST_BARS * (chart.bars[1].y - chart.bars[0].y)
