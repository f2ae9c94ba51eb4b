/* The weekly timesheet grid: keyboard entry like a spreadsheet, hours typed as 7.5, 7,5 or 7:30,
   live row and day totals, and rows added or removed without a round trip to the server.

   Without this script the page still works: "Add row" asks the server for the row, and the server
   reads and checks every value. The script only helps; the server has the last word. */
(function () {
  "use strict";

  var DAYS = 7;
  var MAX_DAY_HOURS = 24;
  var CLOCK = /^(\d{1,2}):([0-5]\d)$/;
  var DECIMAL = /^(\d+([.,]\d*)?|[.,]\d+)$/;

  /* Read typed hours: {ok, hours, text (normalised), message}. Empty is zero. */
  function readHours(typed) {
    var text = (typed || "").trim();
    if (text === "") {
      return { ok: true, hours: 0, text: "" };
    }
    var hours;
    var clock = CLOCK.exec(text);
    if (clock) {
      hours = Math.round((parseInt(clock[1], 10) + parseInt(clock[2], 10) / 60) * 100) / 100;
    } else if (DECIMAL.test(text)) {
      var dotted = text.replace(",", ".");
      hours = parseFloat(dotted);
      var decimals = (dotted.split(".")[1] || "").replace(/0+$/, "");
      if (decimals.length > 2) {
        return { ok: false, hours: 0, message: text + " has more than two decimals." };
      }
    } else {
      return { ok: false, hours: 0, message: "'" + text + "' is not a number of hours (type 7.5, 7,5 or 7:30)." };
    }
    if (hours > MAX_DAY_HOURS) {
      return { ok: false, hours: 0, message: text + " is more than 24 hours." };
    }
    return { ok: true, hours: hours, text: formatHours(hours) };
  }

  function formatHours(hours) {
    return String(Math.round(hours * 100) / 100);
  }

  function init(form) {
    var body = form.querySelector("#timesheet-rows");
    var template = form.querySelector("#timesheet-row-template");
    var live = form.querySelector("#timesheet-live");
    var nextIndex = parseInt(form.dataset.nextIndex || "0", 10);

    function say(message) {
      if (live) {
        live.textContent = message;
      }
    }

    function rows() {
      return Array.prototype.slice.call(body.querySelectorAll("tr.timesheet-row"));
    }

    function cell(row, day) {
      return row ? row.querySelector('input.ts-hours[data-day="' + day + '"]') : null;
    }

    /* Mark a cell valid or not, with the reason as its title; return its hours. */
    function check(input) {
      var read = readHours(input.value);
      input.classList.toggle("ts-invalid", !read.ok);
      if (read.ok) {
        input.removeAttribute("aria-invalid");
        input.removeAttribute("title");
      } else {
        input.setAttribute("aria-invalid", "true");
        input.title = read.message;
      }
      return read;
    }

    function recount() {
      var dayTotals = [0, 0, 0, 0, 0, 0, 0];
      var weekTotal = 0;
      var billable = 0;
      rows().forEach(function (row) {
        var rowTotal = 0;
        for (var day = 0; day < DAYS; day += 1) {
          var input = cell(row, day);
          var read = input ? readHours(input.value) : { ok: true, hours: 0 };
          var hours = read.ok ? read.hours : 0;
          rowTotal += hours;
          dayTotals[day] += hours;
        }
        row.querySelector(".ts-row-total").textContent = formatHours(rowTotal);
        weekTotal += rowTotal;
        var tick = row.querySelector('input[type="checkbox"]');
        if (tick && tick.checked) {
          billable += rowTotal;
        }
      });
      dayTotals.forEach(function (total, day) {
        var shown = form.querySelector('.ts-day-total[data-day="' + day + '"]');
        if (shown) {
          shown.textContent = formatHours(total);
          shown.classList.toggle("ts-invalid", total > MAX_DAY_HOURS);
          shown.title = total > MAX_DAY_HOURS ? "More than the 24 hours of a day" : "";
        }
      });
      form.querySelector("#timesheet-total").textContent = formatHours(weekTotal);
      var billableShown = form.querySelector("#timesheet-billable");
      if (billableShown) {
        billableShown.textContent = formatHours(billable);
      }
    }

    function move(input, rowStep, dayStep) {
      var all = rows();
      var row = input.closest("tr");
      var rowIndex = all.indexOf(row) + rowStep;
      var day = parseInt(input.dataset.day, 10) + dayStep;
      if (rowIndex < 0 || rowIndex >= all.length || day < 0 || day >= DAYS) {
        return false;
      }
      var target = cell(all[rowIndex], day);
      if (target) {
        target.focus();
        return true;
      }
      return false;
    }

    /* Spreadsheet keys on hour cells; Tab keeps its usual meaning. */
    body.addEventListener("keydown", function (event) {
      var input = event.target;
      if (!input.classList || !input.classList.contains("ts-hours")) {
        return;
      }
      if (event.altKey || event.ctrlKey || event.metaKey) {
        return;
      }
      var steps = {
        ArrowUp: [-1, 0],
        ArrowDown: [1, 0],
        Enter: [1, 0],
        ArrowLeft: [0, -1],
        ArrowRight: [0, 1],
      }[event.key];
      if (!steps) {
        return;
      }
      if (event.key === "Enter" && event.shiftKey) {
        steps = [-1, 0];
      }
      // Enter never submits from a cell: on the last row it stays put.
      event.preventDefault();
      normalise(input);
      move(input, steps[0], steps[1]);
    });

    function normalise(input) {
      var read = check(input);
      if (read.ok && input.value !== read.text) {
        input.value = read.text;
      }
    }

    /* Typing replaces a cell's value: select it on focus, keep the selection on the click. */
    var justFocused = null;
    body.addEventListener("focusin", function (event) {
      if (event.target.classList && event.target.classList.contains("ts-hours")) {
        event.target.select();
        justFocused = event.target;
      }
    });
    body.addEventListener("mouseup", function (event) {
      if (event.target === justFocused) {
        event.preventDefault();
        justFocused = null;
      }
    });
    body.addEventListener("focusout", function (event) {
      if (event.target.classList && event.target.classList.contains("ts-hours")) {
        normalise(event.target);
        recount();
      }
    });
    body.addEventListener("input", function (event) {
      if (event.target.classList && event.target.classList.contains("ts-hours")) {
        check(event.target);
      }
      recount();
    });
    body.addEventListener("change", recount);

    /* Removing a row. */
    function showRemoveButtons(scope) {
      Array.prototype.forEach.call(scope.querySelectorAll(".ts-remove"), function (button) {
        button.hidden = false;
      });
    }
    showRemoveButtons(body);
    body.addEventListener("click", function (event) {
      var button = event.target.closest ? event.target.closest(".ts-remove") : null;
      if (!button) {
        return;
      }
      var row = button.closest("tr");
      var label = row.querySelector(".ts-label-text").textContent;
      row.parentNode.removeChild(row);
      recount();
      say("Removed the row " + label + ". Save to keep the change.");
      var first = body.querySelector("input.ts-hours");
      if (first) {
        first.focus();
      }
    });

    /* Adding a row, in the page (the server does the same without the script). */
    var picker = form.querySelector("#add-target");
    var addButton = form.querySelector("#add-row");
    if (addButton && picker && template) {
      addButton.addEventListener("click", function (event) {
        event.preventDefault();
        var option = picker.options[picker.selectedIndex];
        if (!option || !option.value) {
          say("Choose what the new row is for first.");
          picker.focus();
          return;
        }
        var existing = rows().filter(function (row) {
          return row.dataset.key === option.value;
        })[0];
        if (existing) {
          say(option.textContent + " is already on the grid.");
          cell(existing, 0).focus();
          return;
        }
        var row = template.content.firstElementChild.cloneNode(true);
        var index = nextIndex;
        nextIndex += 1;
        var label = option.textContent;
        row.dataset.key = option.value;
        row.querySelector(".ts-label-text").textContent = label;
        Array.prototype.forEach.call(row.querySelectorAll("[data-field]"), function (input) {
          input.name = "row-" + index + "-" + input.dataset.field;
        });
        row.querySelector('[data-field="target"]').value = option.value;
        var tick = row.querySelector('[data-field="billable"]');
        tick.checked = option.dataset.billable === "true";
        tick.setAttribute("aria-label", "Billable: " + label);
        Array.prototype.forEach.call(row.querySelectorAll("input.ts-hours"), function (input) {
          input.setAttribute("aria-label", "Hours of " + label + " on " + input.dataset.dayName);
        });
        row.querySelector('[data-field="note"]').setAttribute("aria-label", "Note on " + label);
        row.querySelector(".ts-remove").setAttribute("aria-label", "Remove the row " + label);
        var empty = body.querySelector(".ts-empty");
        if (empty) {
          empty.parentNode.removeChild(empty);
        }
        body.appendChild(row);
        picker.selectedIndex = 0;
        recount();
        say("Added a row for " + label + ".");
        cell(row, 0).focus();
      });
    }

    recount();
  }

  function start() {
    var form = document.getElementById("timesheet");
    if (form && form.dataset.editable === "true") {
      init(form);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
