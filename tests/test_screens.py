"""Every kind of page at a phone's, a tablet's and a desktop's width (issue 19).

No page scrolls sideways, no element sticks out of the screen unless it sits
inside a labelled scroll region (a focusable role="region" with a name),
wide tables use the page's width on a desktop, and the budget chart's labels
never collide. Screenshots of every page kind at 375 and 1280 px are saved in
test-artifacts/screens/ for a person to look at.
"""

from __future__ import annotations

import pytest

from tests.gates import tools
from tests.gates.browser import horizontal_overflow, save_full_page
from tests.gates.pages import PAGE_KINDS, open_kind
from tests.gates.print_check import png_size

pytestmark = pytest.mark.browser

NARROW = (320, 375, 768)
SCREENSHOT_WIDTHS = (375, 1280)
DESKTOP = 1280

# Elements that stick out of the screen, or out of a box that clips them, with
# no labelled scroll region to reach them: what a visitor cannot see or scroll to.
STICKING_OUT = """
const width = window.innerWidth;
function name(el) {
  if ((el.getAttribute('aria-label') || '').trim()) return true;
  const ids = (el.getAttribute('aria-labelledby') || '').split(/\\s+/).filter(Boolean);
  return ids.some(id => (document.getElementById(id)?.textContent || '').trim());
}
function labelledRegion(el) {
  const style = getComputedStyle(el);
  return ['auto', 'scroll'].includes(style.overflowX) && el.getAttribute('role') === 'region'
    && el.tabIndex >= 0 && name(el);
}
function describe(el, rect) {
  const text = (el.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 50);
  return `<${el.tagName.toLowerCase()} class="${el.getAttribute('class') || ''}"> `
    + `${Math.round(rect.left)}–${Math.round(rect.right)} px « ${text} »`;
}
const found = [];
for (const el of document.body.querySelectorAll('*')) {
  const rect = el.getBoundingClientRect();
  if (rect.width === 0 || rect.height === 0) continue;
  let clipper = el.parentElement;
  while (clipper && clipper !== document.body
         && getComputedStyle(clipper).overflowX === 'visible') {
    clipper = clipper.parentElement;
  }
  const inside = clipper && clipper !== document.body ? clipper.getBoundingClientRect() : null;
  if (inside && inside.width <= 2) continue;  // a visually hidden text for screen readers
  if (inside && labelledRegion(clipper)) continue;  // scrolls in a region a visitor can reach
  const outOfScreen = rect.left < -1 || rect.right > width + 1;
  const clipped = inside && (rect.left < inside.left - 1 || rect.right > inside.right + 1);
  if (outOfScreen || clipped) found.push(describe(el, rect));
}
return found.slice(0, 10);
"""


@pytest.mark.parametrize("width", NARROW)
@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_page_does_not_scroll_sideways_nor_cut_anything(kind, width, browser, site_url, built_site):
    open_kind(browser, site_url, built_site, kind, width)

    scroll_width, inner_width = horizontal_overflow(browser)
    sticking_out = browser.execute_script(STICKING_OUT)

    assert inner_width == width
    assert scroll_width <= inner_width, f"{PAGE_KINDS[kind]} is {scroll_width}px wide at {width}"
    assert not sticking_out, f"{PAGE_KINDS[kind]} at {width}px:\n" + "\n".join(sticking_out)


@pytest.mark.parametrize("width", SCREENSHOT_WIDTHS)
@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_screenshot_of_each_page_kind_is_saved(kind, width, browser, site_url, built_site):
    open_kind(browser, site_url, built_site, kind, width)
    target = tools.artifact_dir("screens") / f"{kind}-{width}.png"
    target.unlink(missing_ok=True)

    save_full_page(browser, width, target)

    shot_width, shot_height = png_size(target)
    assert shot_width == width
    assert shot_height >= 300


TABLE_BOXES = """
const main = document.querySelector('main').getBoundingClientRect();
const style = getComputedStyle(document.querySelector('main'));
const right = main.right - parseFloat(style.paddingRight);
const column = document.querySelector('main p').getBoundingClientRect();  // the text column
const table = document.querySelector(arguments[0]);
const box = table.getBoundingClientRect();
const heads = [...table.querySelectorAll('thead th')].map(th => {
  const r = th.getBoundingClientRect();
  return [th.textContent.trim(), r.left, r.right];
});
const scroller = table.closest('.table-scroll');
return {
  table: [box.left, box.right], column_right: column.right, main_right: right,
  heads: heads, scrolls: scroller ? scroller.scrollWidth > scroller.clientWidth : false,
};
"""


@pytest.mark.parametrize(
    ("kind", "selector"),
    [("budget", "table.budget-table"), ("bulletin-campagne", "table.schedule")],
)
def test_wide_table_uses_the_page_width_on_a_desktop_with_every_column_visible(
    kind, selector, browser, site_url, built_site
):
    open_kind(browser, site_url, built_site, kind, DESKTOP)

    boxes = browser.execute_script(TABLE_BOXES, selector)

    left, right = boxes["table"]
    assert right > boxes["column_right"] + 100, f"the table stays in the text column: {boxes}"
    assert right <= boxes["main_right"] + 1, f"the table goes past the page: {boxes}"
    assert not boxes["scrolls"], "the table still scrolls at 1280 px"
    for name, head_left, head_right in boxes["heads"]:
        assert left - 1 <= head_left and head_right <= right + 1, f"column « {name} » is cut"


def test_budget_table_scrolls_on_a_phone_in_a_labelled_focusable_region(
    browser, site_url, built_site
):
    open_kind(browser, site_url, built_site, "budget", 375)

    region = browser.execute_script(
        "const r = document.querySelector('.table-scroll');"
        "return [r.getAttribute('role'), r.tabIndex, "
        "document.getElementById(r.getAttribute('aria-labelledby')).textContent.trim(), "
        "r.scrollWidth > r.clientWidth];"
    )

    role, tab_index, name, scrolls = region
    assert role == "region" and tab_index == 0
    assert name.startswith("Historique des mises à jour budgétaires")
    assert scrolls  # seven columns do not fit 375 px: they scroll, in the region, none cut


CHART_BOXES = """
const svg = document.querySelector('.budget-chart svg');
const frame = svg.getBoundingClientRect();
const boxes = [...svg.querySelectorAll('text, rect.budget-chart__bar, path.budget-chart__gap')]
  .map(el => {
    const r = el.getBoundingClientRect();
    return [el.tagName + ' ' + (el.textContent || el.getAttribute('data-kind') || ''),
            r.left, r.top, r.right, r.bottom];
  });
return {frame: [frame.left, frame.top, frame.right, frame.bottom], boxes: boxes};
"""


@pytest.mark.parametrize("kind", ["budget", "budget-en"])
@pytest.mark.parametrize("width", [320, 375, DESKTOP])
def test_budget_chart_labels_never_overlap_nor_leave_the_chart(
    kind, width, browser, site_url, built_site
):
    open_kind(browser, site_url, built_site, kind, width)

    drawn = browser.execute_script(CHART_BOXES)

    left, top, right, bottom = drawn["frame"]
    boxes = drawn["boxes"]
    for name, box_left, box_top, box_right, box_bottom in boxes:
        assert left - 0.5 <= box_left and box_right <= right + 0.5, f"{name} leaves the chart"
        assert top - 0.5 <= box_top and box_bottom <= bottom + 0.5, f"{name} leaves the chart"
    for index, (name, *first) in enumerate(boxes):
        for other, *second in boxes[index + 1 :]:
            overlap_x = min(first[2], second[2]) - max(first[0], second[0])
            overlap_y = min(first[3], second[3]) - max(first[1], second[1])
            assert overlap_x <= 0.5 or overlap_y <= 0.5, f"« {name} » overlaps « {other} »"
