// Capacity heatmap: the drill-down panel that htmx fills when a cell is chosen can be closed
// with its button or the Escape key. The pages work without this script (cells are plain links).
(function () {
  "use strict";

  function closePanel() {
    var panel = document.getElementById("capacity-cell");
    if (panel) {
      panel.replaceChildren();
    }
  }

  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-close-cell]")) {
      closePanel();
    }
  });

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      closePanel();
    }
  });

  // Keep the chosen cell visible as such while its detail is open.
  document.addEventListener("htmx:beforeRequest", function (event) {
    var link = event.detail.elt;
    if (!link.closest || !link.closest(".heatmap")) {
      return;
    }
    document.querySelectorAll(".heatmap [aria-current='true']").forEach(function (chosen) {
      chosen.removeAttribute("aria-current");
    });
    link.setAttribute("aria-current", "true");
  });
})();
