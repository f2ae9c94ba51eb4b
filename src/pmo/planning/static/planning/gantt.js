/* The Gantt chart of a project or programme (planning/gantt.html).
 *
 * The grid (a real <table>, for screen readers and keyboards) and the chart share one scrolling
 * box: the grid sticks to its left edge, so one vertical scrollbar moves both and nothing has to
 * keep two scroll positions in step. Only the rows in view, plus a margin, are in the DOM, so a
 * plan of thousands of activities costs no more to draw than one of fifty.
 *
 * Edits go through the REST API; then the projects are rescheduled on the server and the data
 * reloaded. Dates, floats and the critical path always come from the server's engine: this file
 * never computes a schedule, it only draws one.
 */

const DAY_MS = 86_400_000;
// Rows are rendered in blocks of this many, so scrolling re-renders every few rows, not each one.
const ROW_BLOCK = 10;
const MONTH_NAMES = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
// pxPerDay sets the time scale; top and bottom name the periods of the two header rows.
const SCALES = {
  days: { pxPerDay: 26, top: "month", bottom: "day" },
  weeks: { pxPerDay: 7, top: "month", bottom: "week" },
  months: { pxPerDay: 1.8, top: "year", bottom: "month" },
};
const LINK_TYPE_NAMES = { FS: "finish to start", SS: "start to start", FF: "finish to finish", SF: "start to finish" };
// The API names fields as the models do; people read these labels instead.
const FIELD_LABELS = {
  predecessor: "Predecessor",
  successor: "Successor",
  link_type: "Type",
  lag_minutes: "Lag",
  duration_minutes: "Duration",
  percent_complete: "% complete",
  actual_start: "Actual start",
  actual_finish: "Actual finish",
  projects: "Projects",
  programme: "Programme",
  status_date: "Status date",
};

// --- dates ------------------------------------------------------------------------------------
// The server sends plan-local times ("YYYY-MM-DDTHH:MM"). They are handled as UTC milliseconds so
// that neither the browser's time zone nor a daylight-saving change can shift a bar.

function parseMoment(text) {
  if (!text) return null;
  const [datePart, timePart = "00:00"] = text.split("T");
  const [year, month, day] = datePart.split("-").map(Number);
  const [hour, minute] = timePart.split(":").map(Number);
  return Date.UTC(year, month - 1, day, hour || 0, minute || 0);
}

function formatDate(ms) {
  return new Date(ms).toISOString().slice(0, 10);
}

function formatMoment(ms) {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
}

function startOfPeriod(unit, ms) {
  const d = new Date(ms);
  const [year, month, day] = [d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()];
  if (unit === "year") return Date.UTC(year, 0, 1);
  if (unit === "month") return Date.UTC(year, month, 1);
  const midnight = Date.UTC(year, month, day);
  // Weeks start on Monday, as the plans' working weeks do.
  return unit === "week" ? midnight - ((d.getUTCDay() + 6) % 7) * DAY_MS : midnight;
}

function nextPeriod(unit, ms) {
  const d = new Date(ms);
  if (unit === "year") return Date.UTC(d.getUTCFullYear() + 1, 0, 1);
  if (unit === "month") return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
  return ms + (unit === "week" ? 7 : 1) * DAY_MS;
}

function periodLabel(unit, ms, widthPx) {
  const d = new Date(ms);
  if (unit === "year") return String(d.getUTCFullYear());
  if (unit === "month") {
    const name = MONTH_NAMES[d.getUTCMonth()];
    return widthPx > 70 ? `${name} ${d.getUTCFullYear()}` : name;
  }
  if (unit === "week") return `${d.getUTCDate()} ${MONTH_NAMES[d.getUTCMonth()]}`;
  return String(d.getUTCDate());
}

// --- numbers ----------------------------------------------------------------------------------

/** A number typed by a person ("2.5" or "2,5"), or null when it is not one. */
function parseNumber(text, { allowNegative = false } = {}) {
  const cleaned = String(text).trim().replace(/%$/, "").trim().replace(",", ".");
  const pattern = allowNegative ? /^-?(\d+\.?\d*|\.\d+)$/ : /^(\d+\.?\d*|\.\d+)$/;
  return pattern.test(cleaned) ? Number(cleaned) : null;
}

function formatNumber(value) {
  return value === null || value === undefined ? "—" : String(Number(Number(value).toFixed(2)));
}

// --- DOM helpers --------------------------------------------------------------------------------
// Text always goes in as text nodes, never as HTML, so names from the plan cannot inject markup.

function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  setAttributes(el, attrs);
  el.append(...children.filter((child) => child !== null && child !== undefined && child !== false));
  return el;
}

function svg(tag, attrs = {}) {
  const el = document.createElementNS("http://www.w3.org/2000/svg", tag);
  setAttributes(el, attrs);
  return el;
}

function setAttributes(el, attrs) {
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "class") el.setAttribute("class", value);
    else if (name === "style") Object.assign(el.style, value);
    else if (name === "dataset") Object.assign(el.dataset, value);
    else el.setAttribute(name, value === true ? "" : String(value));
  }
}

/** A URL made from a template the page reversed with the id 0 ("/api/v1/links/0/"). */
function urlFor(template, id) {
  return template.replace(/\/0\/(?=[^/]*$)/, `/${id}/`);
}

// --- the API --------------------------------------------------------------------------------------

class ApiError extends Error {
  /** ``status`` is the HTTP status, or 0 when the server was not reached or never asked. */
  constructor(messages, status = 0) {
    super(messages.join(" "));
    this.messages = messages;
    this.status = status;
  }
}

function flattenMessages(value) {
  if (Array.isArray(value)) return value.flatMap(flattenMessages);
  if (value && typeof value === "object") return Object.values(value).flatMap(flattenMessages);
  return [String(value)];
}

/** What went wrong, as sentences for a person: each field's messages, else the detail. */
function errorMessages(payload, response) {
  const messages = [];
  const errors = payload && typeof payload.errors === "object" && payload.errors ? payload.errors : {};
  for (const [field, value] of Object.entries(errors)) {
    const label = FIELD_LABELS[field];
    for (const message of flattenMessages(value)) messages.push(label ? `${label}: ${message}` : message);
  }
  if (!messages.length) {
    messages.push((payload && payload.detail) || `The server answered ${response.status} ${response.statusText}.`);
  }
  return messages;
}

async function apiRequest(method, url, csrfToken, body) {
  const headers = { Accept: "application/json" };
  if (method !== "GET") {
    // Session authentication checks the CSRF token on every unsafe method.
    headers["X-CSRFToken"] = csrfToken;
    headers["Content-Type"] = "application/json";
  }
  let response;
  try {
    response = await fetch(url, {
      method,
      headers,
      credentials: "same-origin",
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (error) {
    throw new ApiError([`The server could not be reached (${error.message}).`]);
  }
  if (response.status === 204) return null;
  const payload = await response.json().catch(() => null);
  if (!response.ok) throw new ApiError(errorMessages(payload, response), response.status);
  return payload;
}

// --- the chart ------------------------------------------------------------------------------------

class Gantt {
  constructor(root) {
    this.root = root;
    const byId = (id) => document.getElementById(id);
    this.els = {
      facts: byId("gantt-facts"),
      status: byId("gantt-status"),
      error: byId("gantt-error"),
      zoom: byId("gantt-zoom"),
      expandAll: byId("gantt-expand"),
      collapseAll: byId("gantt-collapse"),
      scroll: byId("gantt-scroll"),
      table: byId("gantt-table"),
      tbody: byId("gantt-rows"),
      chart: byId("gantt-chart"),
      timescale: byId("gantt-timescale"),
      canvas: byId("gantt-canvas"),
      linksTitle: byId("gantt-links-title"),
      linksBody: byId("gantt-links-body"),
      linkForm: byId("gantt-link-form"),
    };
    this.urls = root.dataset;
    this.csrfToken = root.querySelector("input[name=csrfmiddlewaretoken]").value;
    // Sizes live in gantt.css; reading them keeps the stylesheet their one source.
    const style = getComputedStyle(root);
    this.rowHeight = parseFloat(style.getPropertyValue("--gantt-row")) || 28;
    this.headerHeight = parseFloat(style.getPropertyValue("--gantt-header")) || 44;

    this.data = null;
    this.rows = []; // what the grid shows, in order: {kind: "group", project} or {kind: "activity", activity}
    this.collapsed = new Set(); // keys of collapsed summaries ("a12") and projects ("p3")
    this.selectedId = null;
    this.scaleName = null; // chosen from the plan's length on first load
    this.busy = false;
    this.pendingEdit = null;
    this.rowsVersion = 0; // bumped whenever the rows or the scale change, to re-render everything
    this.rendered = null; // {first, last, version} of what is in the DOM
    this.gridRows = new Map(); // row index -> <tr> in the DOM
    this.renderRequested = false;

    this.buildStaticLayers();
    this.bindEvents();
  }

  // --- loading ------------------------------------------------------------------------------------

  async start() {
    performance.mark("gantt:load-start");
    try {
      const data = await apiRequest("GET", this.urls.dataUrl, this.csrfToken);
      performance.mark("gantt:data-loaded");
      this.setData(data);
      this.render();
    } catch (error) {
      this.showError(error);
      this.setState("error", "The plan could not be loaded.");
      return;
    }
    this.setState("ready", this.summaryText());
    // Measured after the browser has painted the first frame (the timeout runs after it).
    requestAnimationFrame(() =>
      setTimeout(() => {
        performance.mark("gantt:rendered");
        performance.measure("gantt:fetch", "gantt:load-start", "gantt:data-loaded");
        performance.measure("gantt:first-render", "gantt:data-loaded", "gantt:rendered");
        this.fillLinkForm();
      }, 0),
    );
  }

  async reload() {
    const data = await apiRequest("GET", this.urls.dataUrl, this.csrfToken);
    this.setData(data);
    this.render();
    this.fillLinkForm();
  }

  /** Index the server's data once, so that rendering a row is only lookups. */
  setData(data) {
    this.data = data;
    this.grouped = data.projects.length > 1;
    this.projectsById = new Map(data.projects.map((project) => [project.id, project]));
    this.byId = new Map();
    this.parents = new Set();
    this.activitiesOf = new Map(data.projects.map((project) => [project.id, []]));
    let min = Infinity;
    let max = -Infinity;
    for (const activity of data.activities) {
      activity.startMs = parseMoment(activity.start);
      activity.finishMs = parseMoment(activity.finish);
      activity.lateFinishMs = parseMoment(activity.late_finish);
      activity.baselineStartMs = parseMoment(activity.baseline_start);
      activity.baselineFinishMs = parseMoment(activity.baseline_finish);
      this.byId.set(activity.id, activity);
      if (activity.parent) this.parents.add(activity.parent);
      if (!this.activitiesOf.has(activity.project)) this.activitiesOf.set(activity.project, []);
      this.activitiesOf.get(activity.project).push(activity);
      for (const ms of [activity.startMs, activity.baselineStartMs]) if (ms !== null && ms < min) min = ms;
      for (const ms of [activity.finishMs, activity.baselineFinishMs, activity.lateFinishMs]) {
        if (ms !== null && ms > max) max = ms;
      }
    }
    this.statusMs = data.status_date ? parseMoment(data.status_date) + DAY_MS : null;
    this.todayMs = parseMoment(data.today);
    if (this.statusMs !== null) {
      min = Math.min(min, this.statusMs);
      max = Math.max(max, this.statusMs);
    }
    if (min === Infinity) [min, max] = [this.todayMs, this.todayMs + 30 * DAY_MS];
    this.bounds = { min, max };
    this.linksFrom = new Map();
    this.linksTo = new Map();
    for (const link of data.links) {
      if (!this.linksFrom.has(link.from)) this.linksFrom.set(link.from, []);
      if (!this.linksTo.has(link.to)) this.linksTo.set(link.to, []);
      this.linksFrom.get(link.from).push(link);
      this.linksTo.get(link.to).push(link);
    }
    this.projectSpans = new Map();
    for (const [projectId, activities] of this.activitiesOf) {
      const starts = activities.map((a) => a.startMs).filter((ms) => ms !== null);
      const finishes = activities.map((a) => a.finishMs).filter((ms) => ms !== null);
      if (starts.length && finishes.length) {
        this.projectSpans.set(projectId, [Math.min(...starts), Math.max(...finishes)]);
      }
    }
    if (this.scaleName === null) this.scaleName = this.defaultScale();
    this.els.zoom.value = this.scaleName;
  }

  defaultScale() {
    const days = (this.bounds.max - this.bounds.min) / DAY_MS;
    if (days <= 45) return "days";
    return days <= 400 ? "weeks" : "months";
  }

  /** The rows the grid shows: activities in outline order, minus those inside collapsed ones,
   * each programme project led by a row of its own. */
  buildRows() {
    const rows = [];
    const rowIndex = new Map();
    for (const project of this.data.projects) {
      if (this.grouped) {
        rowIndex.set(`p${project.id}`, rows.length);
        rows.push({ kind: "group", key: `p${project.id}`, project });
        if (this.collapsed.has(`p${project.id}`)) continue;
      }
      let hiddenBelowLevel = null;
      for (const activity of this.activitiesOf.get(project.id) || []) {
        if (hiddenBelowLevel !== null && activity.level > hiddenBelowLevel) continue;
        hiddenBelowLevel = null;
        rowIndex.set(activity.id, rows.length);
        rows.push({ kind: "activity", key: `a${activity.id}`, activity });
        if (this.parents.has(activity.id) && this.collapsed.has(`a${activity.id}`)) hiddenBelowLevel = activity.level;
      }
    }
    this.rows = rows;
    this.rowIndex = rowIndex;
    this.rowsVersion += 1;
    this.els.table.setAttribute("aria-rowcount", String(rows.length + 1));
    this.els.canvas.style.height = `${Math.max(rows.length, 1) * this.rowHeight}px`;
  }

  // --- rendering ----------------------------------------------------------------------------------

  render() {
    this.buildRows();
    this.layoutTime();
    this.renderFacts();
    this.renderRows();
    this.renderLinksPanel();
  }

  scheduleRender() {
    if (this.renderRequested) return;
    this.renderRequested = true;
    requestAnimationFrame(() => {
      this.renderRequested = false;
      if (this.data) this.renderRows();
    });
  }

  /** The block of rows to have in the DOM: those in view, rounded out to whole blocks. */
  rowWindow() {
    const top = this.els.scroll.scrollTop;
    // Before layout (or when hidden) the box has no height: draw a screenful anyway.
    const height = Math.max(this.els.scroll.clientHeight - this.headerHeight, 20 * this.rowHeight);
    const firstInView = Math.floor(top / this.rowHeight);
    const lastInView = Math.ceil((top + height) / this.rowHeight);
    const first = Math.max(0, (Math.floor(firstInView / ROW_BLOCK) - 1) * ROW_BLOCK);
    const last = Math.min(this.rows.length, (Math.ceil(lastInView / ROW_BLOCK) + 1) * ROW_BLOCK);
    return { first, last };
  }

  renderRows() {
    const { first, last } = this.rowWindow();
    const previous = this.rendered;
    const sameRows = previous !== null && previous.version === this.rowsVersion;
    if (sameRows && previous.first === first && previous.last === last) return;
    this.renderGridRows(first, last, sameRows);
    this.renderChartRows(first, last);
    this.rendered = { first, last, version: this.rowsVersion };
  }

  /** Rows still in the window are kept as they are (so a half-typed value and the focus stay);
   * only rows entering or leaving it are added or removed. A new set of rows replaces all, and
   * the focus goes back to the same control of the same activity. */
  renderGridRows(first, last, reuse) {
    const focus = reuse ? null : this.focusedControl();
    for (const [index, tr] of this.gridRows) {
      if (!reuse || index < first || index >= last) {
        tr.remove();
        this.gridRows.delete(index);
      }
    }
    let cursor = this.topSpacer.nextSibling;
    for (let index = first; index < last; index += 1) {
      let tr = this.gridRows.get(index);
      if (tr) {
        cursor = tr.nextSibling;
      } else {
        tr = this.gridRow(this.rows[index], index);
        this.els.tbody.insertBefore(tr, cursor);
        this.gridRows.set(index, tr);
      }
    }
    this.setSpacer(this.topSpacer, first * this.rowHeight);
    this.setSpacer(this.bottomSpacer, (this.rows.length - last) * this.rowHeight);
    if (focus) this.restoreFocus(focus);
  }

  setSpacer(spacer, heightPx) {
    spacer.hidden = heightPx <= 0;
    spacer.firstChild.style.height = `${heightPx}px`;
  }

  focusedControl() {
    const active = document.activeElement;
    if (!active || !this.els.tbody.contains(active)) return null;
    const tr = active.closest("tr");
    return { key: tr.dataset.key, control: active.dataset.field || active.dataset.action };
  }

  restoreFocus({ key, control }) {
    const tr = this.els.tbody.querySelector(`tr[data-key="${key}"]`);
    const target = tr && tr.querySelector(`[data-field="${control}"], [data-action="${control}"]`);
    if (target) target.focus({ preventScroll: true });
  }

  gridRow(row, index) {
    return row.kind === "group" ? this.groupGridRow(row.project, index) : this.activityGridRow(row.activity, index);
  }

  groupGridRow(project, index) {
    const collapsed = this.collapsed.has(`p${project.id}`);
    const span = this.projectSpans.get(project.id);
    const cell = h(
      "td",
      { colspan: 7, class: "gantt-group-cell" },
      h(
        "span",
        { class: "gantt-namebox" },
        this.toggleButton(`p${project.id}`, collapsed, `Activities of ${project.code}`),
        h("strong", {}, project.code),
        ` ${project.name}`,
        span ? h("span", { class: "muted" }, ` · ${formatDate(span[0])} to ${formatDate(span[1])}`) : null,
      ),
    );
    return h(
      "tr",
      {
        class: "gantt-row gantt-group",
        "aria-rowindex": index + 2,
        dataset: { key: `p${project.id}`, project: project.id },
      },
      cell,
    );
  }

  activityGridRow(activity, index) {
    const isParent = this.parents.has(activity.id);
    const collapsed = this.collapsed.has(`a${activity.id}`);
    const classes = ["gantt-row"];
    if (activity.id === this.selectedId) classes.push("selected");
    const nameBox = h(
      "span",
      { class: "gantt-namebox" },
      isParent
        ? this.toggleButton(`a${activity.id}`, collapsed, `Sub-activities of ${activity.name}`)
        : h("span", { class: "gantt-toggle-space", "aria-hidden": "true" }),
      h(
        "button",
        { type: "button", class: "gantt-select", title: activity.name, dataset: { action: "select" } },
        activity.name,
      ),
      activity.is_milestone ? h("span", { class: "gantt-sr-only" }, " (milestone)") : null,
      activity.is_critical ? h("span", { class: "gantt-sr-only" }, " (critical)") : null,
    );
    const nameCell = h("td", { class: "gantt-name" }, nameBox);
    // Indentation shows the WBS level; the style is per row, so it is set here, not in the CSS.
    nameCell.style.paddingLeft = `calc(${activity.level} * var(--gantt-indent) + .3rem)`;
    const durationEditable = activity.can_edit && !isParent && !activity.is_milestone;
    const progressEditable = activity.can_edit && !isParent;
    return h(
      "tr",
      {
        class: classes.join(" "),
        "aria-rowindex": index + 2,
        dataset: {
          key: `a${activity.id}`,
          id: activity.id,
          critical: String(activity.is_critical),
          summary: String(isParent),
          milestone: String(activity.is_milestone),
          level: activity.level,
        },
      },
      h("td", { class: "gantt-wbs", title: activity.wbs }, activity.wbs),
      nameCell,
      h(
        "td",
        { class: "num gantt-duration" },
        durationEditable
          ? this.cellInput("duration", activity.duration_days, `Duration of ${activity.name} in days`)
          : isParent
            ? "—"
            : formatNumber(activity.duration_days),
      ),
      this.dateCell("gantt-start", activity.start, activity.startMs),
      this.dateCell("gantt-finish", activity.finish, activity.finishMs),
      h("td", { class: "num gantt-float" }, formatNumber(activity.total_float_days)),
      h(
        "td",
        { class: "num gantt-percent" },
        progressEditable
          ? this.cellInput("percent", activity.percent_complete, `% complete of ${activity.name}`)
          : `${formatNumber(activity.percent_complete)}%`,
      ),
    );
  }

  toggleButton(key, collapsed, label) {
    return h(
      "button",
      {
        type: "button",
        class: "gantt-toggle",
        "aria-expanded": String(!collapsed),
        "aria-label": label,
        dataset: { action: "toggle", toggle: key },
      },
      collapsed ? "▸" : "▾",
    );
  }

  cellInput(field, value, label) {
    return h("input", {
      type: "text",
      inputmode: "decimal",
      autocomplete: "off",
      class: "gantt-cell-input",
      "aria-label": label,
      value: formatNumber(value),
      dataset: { field },
    });
  }

  dateCell(className, text, ms) {
    if (ms === null) return h("td", { class: className }, "—");
    return h("td", { class: className }, h("time", { datetime: text, title: formatMoment(ms) }, formatDate(ms)));
  }

  // --- the time scale -----------------------------------------------------------------------------

  x(ms) {
    return ((ms - this.origin) / DAY_MS) * this.pxPerDay;
  }

  /** Size the chart for the scale and draw what does not depend on the rows in view: the header,
   * the period lines, and the today and status date lines. */
  layoutTime() {
    const scale = SCALES[this.scaleName];
    this.pxPerDay = scale.pxPerDay;
    // A Monday, so that the weekly background of the days scale puts weekends in their place.
    this.origin = startOfPeriod("week", this.bounds.min - 7 * DAY_MS);
    this.layoutWidth = this.els.scroll.clientWidth;
    const roomPx = Math.max(this.layoutWidth - this.els.table.offsetWidth, 0);
    const width = Math.ceil(Math.max(this.x(this.bounds.max + 21 * DAY_MS), roomPx));
    this.chartWidth = width;
    const end = this.origin + (width / this.pxPerDay) * DAY_MS;
    this.els.chart.style.width = `${width}px`;
    this.els.canvas.dataset.scale = this.scaleName;
    this.els.canvas.style.setProperty("--day", `${this.pxPerDay}px`);

    const header = document.createDocumentFragment();
    const lines = document.createDocumentFragment();
    for (const [row, unit] of [["top", scale.top], ["bottom", scale.bottom]]) {
      for (let ms = startOfPeriod(unit, this.origin); ms < end; ms = nextPeriod(unit, ms)) {
        const left = Math.max(this.x(ms), 0);
        const right = Math.min(this.x(nextPeriod(unit, ms)), width);
        const weekday = new Date(ms).getUTCDay();
        const weekend = unit === "day" && (weekday === 0 || weekday === 6);
        header.append(
          h(
            "div",
            {
              class: `gantt-tick ${row}${weekend ? " weekend" : ""}`,
              style: { left: `${left}px`, width: `${right - left}px` },
              title: unit === "day" || unit === "week" ? formatDate(ms) : null,
            },
            periodLabel(unit, ms, right - left),
          ),
        );
        // Days and weeks are drawn by the canvas's background; months and years vary in length.
        if (row === "top" || unit === "month") {
          lines.append(h("div", { class: `gantt-gridline ${row}`, style: { left: `${this.x(ms)}px` } }));
        }
      }
    }
    this.els.timescale.replaceChildren(header);
    this.gridLayer.replaceChildren(lines);
    this.markerLayer.replaceChildren(
      ...[
        [this.todayMs, "gantt-today", `Today, ${this.data.today}`],
        [this.statusMs, "gantt-statusline", `Status date, ${this.data.status_date}`],
      ]
        .filter(([ms]) => ms !== null && ms >= this.origin && ms <= end)
        .map(([ms, className, title]) => h("div", { class: className, title, style: { left: `${this.x(ms)}px` } })),
    );
  }

  setScale(name) {
    if (!SCALES[name] || name === this.scaleName) return;
    // Keep the date at the left edge of the chart in view across the change of scale.
    const leftMs = this.origin + (this.els.scroll.scrollLeft / this.pxPerDay) * DAY_MS;
    this.scaleName = name;
    this.layoutTime();
    // The grid does not depend on the scale: only the chart's rows are drawn again.
    if (this.rendered) this.renderChartRows(this.rendered.first, this.rendered.last);
    this.els.scroll.scrollLeft = this.x(leftMs);
    this.announce(`Time scale: ${name}.`);
  }

  // --- the chart rows -----------------------------------------------------------------------------

  buildStaticLayers() {
    const spacer = () => h("tr", { class: "gantt-spacer", "aria-hidden": "true" }, h("td", { colspan: 7 }));
    this.topSpacer = spacer();
    this.bottomSpacer = spacer();
    this.els.tbody.replaceChildren(this.topSpacer, this.bottomSpacer);
    this.gridLayer = h("div", { class: "gantt-layer" });
    this.markerLayer = h("div", { class: "gantt-layer" });
    this.barLayer = h("div", { class: "gantt-layer gantt-bars" });
    this.linkLayer = svg("svg", { class: "gantt-links", "aria-hidden": "true" });
    this.els.canvas.replaceChildren(this.gridLayer, this.markerLayer, this.barLayer, this.linkLayer);
  }

  renderChartRows(first, last) {
    const fragment = document.createDocumentFragment();
    for (let index = first; index < last; index += 1) fragment.append(this.chartRow(this.rows[index], index));
    this.barLayer.replaceChildren(fragment);
    this.renderLinks(first, last);
  }

  chartRow(row, index) {
    const selected = row.kind === "activity" && row.activity.id === this.selectedId;
    const el = h("div", {
      class: `gantt-crow${selected ? " selected" : ""}`,
      style: { top: `${index * this.rowHeight}px` },
      dataset: { key: row.key },
    });
    if (row.kind === "group") {
      const span = this.projectSpans.get(row.project.id);
      if (span) el.append(this.bar("gantt-bar project", span[0], span[1], `${row.project.code} ${row.project.name}`));
      return el;
    }
    const a = row.activity;
    if (a.baselineStartMs !== null && a.baselineFinishMs !== null) {
      el.append(
        this.bar(
          "gantt-baseline",
          a.baselineStartMs,
          a.baselineFinishMs,
          `Baseline of ${a.name}: ${formatMoment(a.baselineStartMs)} to ${formatMoment(a.baselineFinishMs)}`,
        ),
      );
    }
    if (a.startMs === null || a.finishMs === null) return el;
    const title = this.barTitle(a);
    const critical = a.is_critical ? " critical" : "";
    if (this.parents.has(a.id) || a.is_summary) {
      el.append(this.bar(`gantt-bar summary${critical}`, a.startMs, a.finishMs, title));
    } else if (a.is_milestone) {
      el.append(
        h("div", { class: `gantt-milestone${critical}`, style: { left: `${this.x(a.finishMs)}px` }, title }),
        h("span", { class: "gantt-label", style: { left: `${this.x(a.finishMs) + 10}px` } }, formatDate(a.finishMs)),
      );
    } else {
      // Float is drawn as a thin whisker from the finish to the latest finish that keeps the plan's end.
      if (!a.is_critical && a.lateFinishMs !== null && a.lateFinishMs > a.finishMs) {
        const floatTitle = `Total float of ${a.name}: ${formatNumber(a.total_float_days)} days`;
        el.append(this.bar("gantt-floatbar", a.finishMs, a.lateFinishMs, floatTitle));
      }
      const bar = this.bar(`gantt-bar task${critical}`, a.startMs, a.finishMs, title);
      const percent = Math.min(Math.max(a.percent_complete, 0), 100);
      bar.append(h("div", { class: "gantt-progress", style: { width: `${percent}%` } }));
      el.append(bar);
    }
    return el;
  }

  bar(className, startMs, finishMs, title) {
    const left = this.x(startMs);
    return h("div", {
      class: className,
      title,
      style: { left: `${left}px`, width: `${Math.max(this.x(finishMs) - left, 2)}px` },
    });
  }

  barTitle(a) {
    const parts = [`${a.wbs ? `${a.wbs} ` : ""}${a.name}`, `${formatMoment(a.startMs)} to ${formatMoment(a.finishMs)}`];
    if (a.total_float_days !== null) parts.push(`total float ${formatNumber(a.total_float_days)} days`);
    if (a.levelling_delay_days) parts.push(`levelling delay ${formatNumber(a.levelling_delay_days)} days`);
    if (a.is_critical) parts.push("critical");
    parts.push(`${formatNumber(a.percent_complete)}% complete`);
    return parts.join("; ");
  }

  /** Where a link leaves or reaches a bar: its start or finish, outside a milestone's diamond. */
  endPoint(activity, atFinish) {
    if (activity.is_milestone) return this.x(activity.finishMs) + (atFinish ? 7 : -7); // where its diamond is
    return this.x(atFinish ? activity.finishMs : activity.startMs);
  }

  /** Links as right-angled arrows between the rows in the window (and those crossing it). */
  renderLinks(first, last) {
    const top = first * this.rowHeight;
    const height = (last - first) * this.rowHeight;
    setAttributes(this.linkLayer, { width: this.chartWidth, height, style: { top: `${top}px` } });
    const paths = [this.arrowMarkers()];
    const barMiddle = this.rowHeight / 2 - 1;
    for (const link of this.data.links) {
      const fromIndex = this.rowIndex.get(link.from);
      const toIndex = this.rowIndex.get(link.to);
      if (fromIndex === undefined || toIndex === undefined) continue; // inside a collapsed summary
      if (Math.max(fromIndex, toIndex) < first || Math.min(fromIndex, toIndex) >= last) continue;
      const from = this.byId.get(link.from);
      const to = this.byId.get(link.to);
      if (from.startMs === null || to.startMs === null) continue;
      const fromFinish = link.type === "FS" || link.type === "FF";
      const toFinish = link.type === "FF" || link.type === "SF";
      const y1 = fromIndex * this.rowHeight + barMiddle - top;
      const y2 = toIndex * this.rowHeight + barMiddle - top;
      const x1 = this.endPoint(from, fromFinish);
      const x2 = this.endPoint(to, toFinish);
      const d = this.linkPath(x1, y1, fromFinish, x2, y2, toFinish);
      const critical = from.is_critical && to.is_critical;
      paths.push(
        svg("path", {
          d,
          class: critical ? "critical" : null,
          "marker-end": `url(#gantt-arrow${critical ? "-critical" : ""})`,
        }),
      );
    }
    this.linkLayer.replaceChildren(...paths);
  }

  /** A right-angled route: out of the predecessor in the direction of its end, into the
   * successor from the side of its end, turning between the rows when the two ends overlap. */
  linkPath(x1, y1, fromFinish, x2, y2, toFinish) {
    const stub = 8;
    const out = x1 + (fromFinish ? stub : -stub);
    const into = x2 + (toFinish ? stub : -stub);
    let turnX = null;
    if (fromFinish && !toFinish && out <= into) turnX = out;
    else if (!fromFinish && !toFinish) turnX = Math.min(out, into);
    else if (fromFinish && toFinish) turnX = Math.max(out, into);
    else if (!fromFinish && toFinish && into <= out) turnX = out;
    if (turnX !== null) return `M${x1},${y1} H${turnX} V${y2} H${x2}`;
    const between = y1 + (y2 > y1 ? 1 : -1) * (this.rowHeight / 2);
    return `M${x1},${y1} H${out} V${between} H${into} V${y2} H${x2}`;
  }

  arrowMarkers() {
    const defs = svg("defs");
    for (const id of ["gantt-arrow", "gantt-arrow-critical"]) {
      const marker = svg("marker", {
        id,
        viewBox: "0 0 8 8",
        refX: 8,
        refY: 4,
        markerWidth: 7,
        markerHeight: 7,
        orient: "auto",
        markerUnits: "userSpaceOnUse",
      });
      marker.append(svg("path", { d: "M0,0 L8,4 L0,8 z", class: id === "gantt-arrow" ? "arrow" : "arrow critical" }));
      defs.append(marker);
    }
    return defs;
  }

  // --- facts, links panel, link form ----------------------------------------------------------------

  renderFacts() {
    const items = [];
    for (const project of this.data.projects) {
      const finish = project.finish
        ? h(
            "time",
            { datetime: project.finish, dataset: { projectFinish: project.id } },
            formatMoment(parseMoment(project.finish)),
          )
        : h("span", { class: "muted", dataset: { projectFinish: project.id } }, "not scheduled");
      items.push(h("dt", {}, this.grouped ? `${project.code} finish` : "Finish"), h("dd", {}, finish));
    }
    const baselines = this.data.projects
      .filter((project) => project.baseline)
      .map((project) => (this.grouped ? `${project.code}: ${project.baseline}` : project.baseline));
    const critical = this.data.activities.filter((a) => a.is_critical).length;
    items.push(
      h("dt", {}, "Activities"),
      h("dd", {}, `${this.data.activities.length} (${critical} critical)`),
      h("dt", {}, "Status date"),
      h("dd", {}, this.data.status_date || "—"),
      h("dt", {}, "Today"),
      h("dd", {}, this.data.today),
      h("dt", {}, this.grouped ? "Primary baselines" : "Primary baseline"),
      h("dd", {}, baselines.length ? baselines.join("; ") : "none"),
    );
    this.els.facts.replaceChildren(...items);
  }

  label(activity) {
    const code = this.grouped ? `${activity.project_code} · ` : "";
    return `${code}${activity.wbs ? `${activity.wbs} ` : ""}${activity.name}`;
  }

  select(id) {
    if (id === this.selectedId || !this.byId.has(id)) return;
    this.selectedId = id;
    // Only the highlight changes: flip classes on the rows in the DOM rather than re-render.
    for (const el of this.root.querySelectorAll(".gantt-row.selected, .gantt-crow.selected")) {
      el.classList.remove("selected");
    }
    for (const el of this.root.querySelectorAll(`[data-key="a${id}"]`)) el.classList.add("selected");
    this.renderLinksPanel();
    const form = this.els.linkForm;
    // The chosen activity is the likely successor of a new link.
    const successor = form && form.elements.successor;
    if (successor && successor.querySelector(`option[value="${id}"]`)) successor.value = String(id);
  }

  renderLinksPanel() {
    const activity = this.byId.get(this.selectedId);
    if (!activity) {
      this.els.linksTitle.textContent = "Links";
      const hint = "Choose an activity (its name in the grid) to see its links.";
      this.els.linksBody.replaceChildren(h("p", { class: "muted" }, hint));
      return;
    }
    this.els.linksTitle.textContent = `Links of ${this.label(activity)}`;
    const list = (links, otherEnd) => {
      if (!links.length) return h("p", { class: "muted" }, "None.");
      return h("ul", { class: "gantt-linklist" }, ...links.map((link) => this.linkItem(link, otherEnd)));
    };
    const actions = h(
      "p",
      { class: "gantt-activity-actions" },
      activity.can_edit ? h("a", { href: urlFor(this.urls.editUrl, activity.id) }, "Edit activity") : null,
      activity.can_edit && !this.parents.has(activity.id)
        ? h("a", { href: urlFor(this.urls.progressUrl, activity.id) }, "Record progress")
        : null,
      h("a", { href: urlFor(this.urls.historyUrl, activity.id) }, "History"),
    );
    this.els.linksBody.replaceChildren(
      h(
        "div",
        { class: "gantt-linkcolumns" },
        h("div", {}, h("h3", {}, "Waits on (predecessors)"), list(this.linksTo.get(activity.id) || [], "from")),
        h("div", {}, h("h3", {}, "Followed by (successors)"), list(this.linksFrom.get(activity.id) || [], "to")),
      ),
      actions,
    );
  }

  linkItem(link, otherEnd) {
    const from = this.byId.get(link.from);
    const to = this.byId.get(link.to);
    const lagDays = link.lag_minutes / to.minutes_per_day;
    const lag = link.lag_minutes ? `, ${lagDays < 0 ? "lead" : "lag"} ${formatNumber(Math.abs(lagDays))} days` : "";
    return h(
      "li",
      {},
      `${this.label(this.byId.get(link[otherEnd]))} — ${LINK_TYPE_NAMES[link.type] || link.type}${lag} `,
      to.can_edit
        ? h(
            "button",
            {
              type: "button",
              class: "danger gantt-small",
              "aria-label": `Delete the link from ${from.name} to ${to.name}`,
              dataset: { deleteLink: link.id },
            },
            "Delete",
          )
        : null,
    );
  }

  /** The add-link form's choices: any activity may come first; the successor must be editable. */
  fillLinkForm() {
    const form = this.els.linkForm;
    if (!form) return;
    const fill = (select, activities) => {
      const chosen = select.value;
      const options = [new Option("Choose…", "")];
      for (const activity of activities) options.push(new Option(this.label(activity), String(activity.id)));
      select.replaceChildren(...options);
      select.value = activities.some((a) => String(a.id) === chosen) ? chosen : "";
    };
    fill(form.elements.predecessor, this.data.activities);
    fill(form.elements.successor, this.data.activities.filter((a) => a.can_edit));
  }

  // --- editing ----------------------------------------------------------------------------------------

  bindEvents() {
    const { scroll, tbody, canvas, zoom, expandAll, collapseAll, linksBody, linkForm } = this.els;
    scroll.addEventListener("scroll", () => this.scheduleRender(), { passive: true });
    new ResizeObserver(() => {
      if (!this.data) return;
      // A wider box may need a wider chart; the bars themselves keep their places.
      if (scroll.clientWidth !== this.layoutWidth) {
        this.layoutTime();
        if (this.rendered) this.renderChartRows(this.rendered.first, this.rendered.last);
      }
      this.renderRows();
    }).observe(scroll);
    zoom.addEventListener("change", () => this.setScale(zoom.value));
    expandAll.addEventListener("click", () => this.setCollapsed(new Set()));
    collapseAll.addEventListener("click", () => this.setCollapsed(new Set([...this.parents].map((id) => `a${id}`))));
    tbody.addEventListener("click", (event) => this.onGridClick(event));
    tbody.addEventListener("focusin", (event) => this.onGridFocus(event));
    tbody.addEventListener("change", (event) => this.onCellCommit(event.target));
    tbody.addEventListener("keydown", (event) => this.onGridKey(event));
    canvas.addEventListener("click", (event) => {
      const row = event.target.closest(".gantt-crow");
      if (row && row.dataset.key.startsWith("a")) this.select(Number(row.dataset.key.slice(1)));
    });
    linksBody.addEventListener("click", (event) => {
      const button = event.target.closest("[data-delete-link]");
      if (button) this.deleteLink(Number(button.dataset.deleteLink));
    });
    if (linkForm) linkForm.addEventListener("submit", (event) => this.addLink(event));
  }

  setCollapsed(collapsed) {
    this.collapsed = collapsed;
    this.buildRows();
    this.renderRows();
  }

  onGridClick(event) {
    const button = event.target.closest("button[data-action]");
    if (button && button.dataset.action === "toggle") {
      const key = button.dataset.toggle;
      const collapsed = new Set(this.collapsed);
      if (collapsed.has(key)) collapsed.delete(key);
      else collapsed.add(key);
      this.setCollapsed(collapsed);
      return;
    }
    const tr = event.target.closest("tr[data-id]");
    if (tr) this.select(Number(tr.dataset.id));
  }

  onGridFocus(event) {
    const tr = event.target.closest("tr[data-id]");
    if (tr) this.select(Number(tr.dataset.id));
  }

  onGridKey(event) {
    const input = event.target;
    if (!input.matches("input[data-field]")) return;
    if (event.key === "Enter") {
      event.preventDefault();
      this.onCellCommit(input);
    } else if (event.key === "Escape") {
      input.value = formatNumber(this.cellValue(input));
      this.clearError();
    }
  }

  cellValue(input) {
    const activity = this.byId.get(Number(input.closest("tr").dataset.id));
    return input.dataset.field === "duration" ? activity.duration_days : activity.percent_complete;
  }

  /** Save a duration or % complete typed in the grid (on Enter or on leaving the cell). */
  async onCellCommit(input) {
    if (!input.matches || !input.matches("input[data-field]")) return;
    const activity = this.byId.get(Number(input.closest("tr").dataset.id));
    const field = input.dataset.field;
    const value = parseNumber(input.value);
    const current = this.cellValue(input);
    // Enter and the change event that follows it both arrive here: save once.
    const editKey = `${activity.id}:${field}:${value}`;
    if (value === current || this.pendingEdit === editKey) return;
    if (value === null || (field === "percent" && value > 100)) {
      const problem =
        field === "percent"
          ? "Give % complete as a number from 0 to 100."
          : "Give the duration as a number of working days, 0 or more.";
      this.showError(new ApiError([problem]));
      input.value = formatNumber(current);
      return;
    }
    if (this.busy) {
      this.showError(new ApiError(["Wait until the previous change is saved, then try again."]));
      input.value = formatNumber(current);
      return;
    }
    this.pendingEdit = editKey;
    const body =
      field === "duration"
        ? { duration_minutes: Math.round(value * activity.minutes_per_day) }
        : this.progressChanges(activity, value);
    const what =
      field === "duration"
        ? `Duration of ${activity.name} set to ${formatNumber(value)} days.`
        : `${activity.name} set to ${formatNumber(value)}% complete.`;
    const url = urlFor(this.urls.activityUrl, activity.id);
    const saved = await this.change(() => apiRequest("PATCH", url, this.csrfToken, body), what, {
      progress: field === "percent",
    });
    this.pendingEdit = null;
    if (!saved && input.isConnected) input.value = formatNumber(current);
  }

  /** The progress fields to send with a % complete. The model wants an actual start once work is
   * reported and an actual finish at 100 %; when the Gantt data does not carry those dates, the
   * scheduled ones stand in for them (after a reschedule they are the same for started work). */
  progressChanges(activity, percent) {
    const changes = { percent_complete: percent };
    if (percent > 0 && !activity.actual_start) changes.actual_start = activity.start;
    if (percent >= 100) changes.actual_finish = activity.actual_finish || activity.finish;
    else if (activity.actual_finish !== null) changes.actual_finish = null;
    return changes;
  }

  async addLink(event) {
    event.preventDefault();
    const form = event.currentTarget;
    const predecessor = this.byId.get(Number(form.elements.predecessor.value));
    const successor = this.byId.get(Number(form.elements.successor.value));
    const lagDays = parseNumber(form.elements.lag_days.value || "0", { allowNegative: true });
    const problems = [];
    if (!predecessor) problems.push("Choose the predecessor.");
    if (!successor) problems.push("Choose the successor.");
    if (lagDays === null) problems.push("Give the lag as a number of working days (negative for a lead).");
    if (problems.length) {
      this.showError(new ApiError(problems));
      return;
    }
    const body = {
      predecessor: predecessor.id,
      successor: successor.id,
      link_type: form.elements.link_type.value,
      lag_minutes: Math.round(lagDays * successor.minutes_per_day),
    };
    const saved = await this.change(
      () => apiRequest("POST", this.urls.linksUrl, this.csrfToken, body),
      `Link added: ${predecessor.name} → ${successor.name} (${LINK_TYPE_NAMES[body.link_type]}).`,
    );
    if (saved) form.elements.lag_days.value = "0";
  }

  async deleteLink(linkId) {
    const link = this.data.links.find((each) => each.id === linkId);
    if (!link) return;
    const names = `${this.byId.get(link.from).name} → ${this.byId.get(link.to).name}`;
    const url = urlFor(this.urls.linkUrl, linkId);
    await this.change(() => apiRequest("DELETE", url, this.csrfToken), `Link removed: ${names}.`);
  }

  /** Write, then reschedule the projects the person may change and reload, so that successors
   * and the critical path move on screen. Returns whether the write was accepted. */
  async change(write, description, { progress = false } = {}) {
    if (this.busy) {
      this.showError(new ApiError(["Wait until the previous change is saved, then try again."]));
      return false;
    }
    this.busy = true;
    this.clearError();
    this.setState("saving", "Saving…");
    try {
      try {
        await write();
      } catch (error) {
        this.showError(error);
        if (error.status >= 500) {
          // A failing server may have written before failing: show the plan as it now stands.
          await this.reload().catch(() => null);
          this.setState("ready", "The server failed; the plan shown is as it now stands.");
        } else {
          this.setState("ready", "Nothing was changed.");
        }
        return false;
      }
      const body = { projects: this.data.projects.filter((project) => project.can_edit).map((project) => project.id) };
      let outcome = description;
      // Once there is progress the engine needs a status date; a plan without one takes today,
      // as Microsoft Project does. The Reschedule form sets another.
      const hasProgress = this.data.activities.some((a) => a.percent_complete > 0 || a.actual_start);
      if (!this.data.status_date && (progress || hasProgress)) {
        body.status_date = this.data.today;
        outcome = `${outcome} Status date set to ${this.data.today}.`;
      }
      try {
        await apiRequest("POST", this.urls.rescheduleUrl, this.csrfToken, body);
      } catch (error) {
        const messages = error.messages || [error.message];
        this.showError(new ApiError(["Saved, but the plan could not be rescheduled:", ...messages]));
        outcome = `${description} Not rescheduled.`;
      }
      try {
        await this.reload();
      } catch (error) {
        this.showError(error);
      }
      this.setState("ready", `${outcome} ${this.summaryText()}`);
      return true;
    } finally {
      this.busy = false;
    }
  }

  // --- messages ---------------------------------------------------------------------------------------

  summaryText() {
    const finishes = this.data.projects.map((project) => {
      const finish = project.finish ? formatMoment(parseMoment(project.finish)) : "not scheduled";
      return this.grouped ? `${project.code} finishes ${finish}` : `Finish: ${finish}`;
    });
    return `${this.data.activities.length} activities. ${finishes.join("; ")}.`;
  }

  setState(state, message) {
    this.root.dataset.state = state;
    this.root.setAttribute("aria-busy", String(state === "loading" || state === "saving"));
    this.announce(message);
  }

  announce(message) {
    this.els.status.textContent = message;
  }

  showError(error) {
    const messages = error.messages || [error.message];
    const box = this.els.error;
    box.replaceChildren(...messages.map((message) => h("p", {}, message)));
    box.hidden = false;
  }

  clearError() {
    this.els.error.hidden = true;
    this.els.error.replaceChildren();
  }
}

const root = document.getElementById("gantt");
if (root) new Gantt(root).start();
