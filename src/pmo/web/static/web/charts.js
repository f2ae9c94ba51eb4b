/* Interactive charts: every element with data-chart="ID" is drawn with plotly.js from the figure
   in the JSON script element ID ({"data": [...], "layout": {...}}). plotly.js is served from the
   plotly package and loaded once, only on pages that have a chart. Charts in panels that htmx
   swaps in are drawn when they arrive. */
(function () {
  "use strict";
  var loading = null;

  function loadPlotly() {
    if (window.Plotly) return Promise.resolve(window.Plotly);
    if (loading) return loading;
    var source = document.querySelector("meta[name='pmo-plotly']");
    loading = new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = source ? source.content : "/static/vendor/plotly.min.js";
      script.onload = function () { resolve(window.Plotly); };
      script.onerror = function () { reject(new Error("plotly.js could not be loaded")); };
      document.head.appendChild(script);
    });
    return loading;
  }

  function draw(root) {
    var pending = (root || document).querySelectorAll("[data-chart]:not([data-drawn])");
    if (!pending.length) return;
    loadPlotly().then(function (Plotly) {
      pending.forEach(function (element) {
        var holder = document.getElementById(element.dataset.chart);
        if (!holder) return;
        var figure = JSON.parse(holder.textContent);
        element.setAttribute("data-drawn", "");
        var config = Object.assign({responsive: true, displaylogo: false}, figure.config || {});
        Plotly.newPlot(element, figure.data || [], figure.layout || {}, config).then(function () {
          element.setAttribute("data-ready", "");
          if (element.dataset.clickUrl) {
            /* Points may carry customdata = a URL to open (a project, a risk...). */
            element.on("plotly_click", function (event) {
              var point = event.points && event.points[0];
              if (point && typeof point.customdata === "string" && point.customdata.charAt(0) === "/") {
                window.location.href = point.customdata;
              }
            });
          }
        });
      });
    }).catch(function (error) {
      pending.forEach(function (element) { element.textContent = error.message; });
    });
  }

  document.addEventListener("DOMContentLoaded", function () { draw(document); });
  document.addEventListener("htmx:afterSettle", function (event) { draw(event.target); });
})();
