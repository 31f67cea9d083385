// sparkify dashboard: draws every chart of the page from its option, which
// the server wrote as JSON into a <script type="application/json"> block.
// The option is only ever parsed as data (JSON.parse), never run, and the
// SVG renderer writes every label as text into the DOM.
"use strict";
(function () {
  var blocks = document.querySelectorAll('script[type="application/json"][data-chart]');
  var charts = [];
  var pending = blocks.length;
  function ready() {
    document.documentElement.setAttribute("data-charts-ready", "true");
  }
  function done() {
    pending -= 1;
    if (pending === 0) {
      ready();
    }
  }
  blocks.forEach(function (block) {
    var el = document.getElementById(block.getAttribute("data-chart"));
    if (!el) {
      done();
      return;
    }
    var rows = parseInt(el.getAttribute("data-rows") || "0", 10);
    if (rows > 0) {
      el.style.height = Math.max(220, rows * 30 + 50) + "px";
    }
    var option = JSON.parse(block.textContent);
    var chart = echarts.init(el, null, { renderer: "svg" });
    var first = true;
    chart.on("finished", function () {
      if (first) {
        first = false;
        el.setAttribute("data-rendered", "true");
        done();
      }
    });
    chart.setOption(option);
    charts.push(chart);
  });
  if (pending === 0) {
    ready();
  }
  window.addEventListener("resize", function () {
    charts.forEach(function (c) { c.resize(); });
  });
})();
