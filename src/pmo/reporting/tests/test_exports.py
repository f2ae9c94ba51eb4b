"""Exports: a report's and a pack's PDF rendered to pixels and read back as text, the pack's
workbook opened and its cells checked, and the PDF renderer's refusal of remote resources."""

import io

import numpy as np
import pypdfium2 as pdfium
import pytest
from openpyxl import load_workbook

from pmo.reporting import exports, services
from pmo.reporting.exports import LocalOnlyFetcher, render_pdf
from pmo.reporting.testing import MARCH
from pmo.reporting.tests.test_services import NARRATIVE

# A4 is 210 x 297 mm: 595.3 x 841.9 points; rendered at 100 dpi.
A4_POINTS = (595.3, 841.9)
SCALE = 100 / 72


@pytest.fixture
def approved(rw):
    report = services.create_report(actor=rw.manager, project=rw.project, period_day=MARCH)
    report = services.update_report(actor=rw.manager, report=report, changes=NARRATIVE)
    report = services.submit_report(actor=rw.manager, report=report)
    return services.approve_report(actor=rw.analyst, report=report, comment="Clear.")


def _page(document: pdfium.PdfDocument, index: int) -> tuple[np.ndarray, str]:
    page = document[index]
    width, height = page.get_size()
    assert (round(width, 1), round(height, 1)) == A4_POINTS
    pixels = page.render(scale=SCALE).to_numpy()
    text = page.get_textpage().get_text_range()
    return pixels, text


def _dark_share(pixels: np.ndarray) -> float:
    grey = pixels[..., :3].mean(axis=2)
    return float((grey < 128).mean())


def test_a_report_pdf_is_a4_with_a_cover_and_the_report(approved):
    document = pdfium.PdfDocument(exports.report_pdf(approved))
    assert len(document) >= 2
    pixels, text = _page(document, 0)
    height, width = pixels.shape[:2]
    assert abs(height - A4_POINTS[1] * SCALE) <= 1 and abs(width - A4_POINTS[0] * SCALE) <= 1
    assert _dark_share(pixels) > 0.02  # the cover's band and its words
    assert "Highlight report" in text and "HERE-1" in text and "Page 1 of" in text
    pixels, text = _page(document, 1)
    assert _dark_share(pixels) > 0.01
    assert "Build is late; go-live moves a week." in text
    assert "Go live" in text and "2026-04-03" in text  # the milestone due next period, with its forecast


def test_a_pack_pdf_has_a_cover_a_summary_and_a_section_per_approved_report(rw, approved):
    pack = services.create_pack(actor=rw.analyst, programme=rw.world.programme, period_day=MARCH)
    document = pdfium.PdfDocument(exports.pack_pdf(pack))
    _, cover = _page(document, 0)
    assert "Highlight report pack" in cover and "HERE-P highlight reports 2026-03" in cover
    pixels, summary = _page(document, 1)
    assert _dark_share(pixels) > 0.005  # a page with only its footer is below 0.001
    assert "Summary" in summary and "HERE-1" in summary and "HERE-2" in summary and "0.75" in summary
    assert "Missing" in summary
    texts = [document[i].get_textpage().get_text_range() for i in range(2, len(document))]
    assert any("Build is late" in text for text in texts)
    assert f"of {len(document)}" in summary


def test_a_pack_workbook_has_the_summary_and_the_narrative(rw, approved):
    pack = services.create_pack(actor=rw.analyst, programme=rw.world.programme, period_day=MARCH)
    book = load_workbook(io.BytesIO(exports.pack_workbook(pack)))
    assert book.sheetnames == ["Summary", "Narrative"]
    summary = book["Summary"]
    assert summary["A1"].value == "HERE-P highlight reports 2026-03"
    headers = [cell.value for cell in summary[3]]
    assert headers[:6] == ["Project", "Name", "Manager", "Report status", "Late", "Overall RAG"]
    first = {header: cell.value for header, cell in zip(headers, summary[4], strict=True)}
    assert first["Project"] == "HERE-1" and first["Report status"] == "Approved" and first["Overall RAG"] == "red"
    assert first["SPI"] == 0.75 and first["CPI"] == 0.83 and first["Cost"] == "red"
    assert first["Next milestone"] == "Go live" and first["Milestone date"] == "2026-04-03"
    second = {header: cell.value for header, cell in zip(headers, summary[5], strict=True)}
    assert second["Project"] == "HERE-2" and second["Report status"] == "Missing" and second["Late"] == "yes"
    narrative = book["Narrative"]
    assert [cell.value for cell in narrative[2]][:4] == ["HERE-1", "2026-03", "red", NARRATIVE["summary"]]
    assert narrative.max_row == 2


def test_the_pdf_renderer_fetches_nothing_from_outside_the_document():
    fetcher = LocalOnlyFetcher()
    for url in ("http://example.org/logo.png", "file:///etc/passwd"):
        with pytest.raises(ValueError, match="Refused to fetch"):
            fetcher.fetch(url)
    assert fetcher.refused == ["http://example.org/logo.png", "file:///etc/passwd"]
    html = '<html><head><link rel="stylesheet" href="file:///etc/x.css"></head><body><img src="http://example.org/x.png">Hi'
    fetcher = LocalOnlyFetcher()
    pdf = render_pdf(html + "</body></html>", fetcher)
    assert pdf.startswith(b"%PDF")
    assert sorted(fetcher.refused) == ["file:///etc/x.css", "http://example.org/x.png"]
