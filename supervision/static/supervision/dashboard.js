// The bureau's dashboard chart (supervision/templates/supervision/dashboard.html): the share of
// clocks met on time per stage, and per purchaser with one bar per stage. The data comes from
// the page's json_script block; ECharts is the vendored copy, loaded on this page only.
(function () {
  "use strict";
  var holder = document.getElementById("share-chart");
  var source = document.getElementById("share-chart-data");
  if (!holder || !source || !window.echarts) {
    return;
  }
  var data = JSON.parse(source.textContent);
  var percent = function (value) {
    return value === null || value === undefined ? "—" : value + "%";
  };
  var chart = window.echarts.init(holder, null, { renderer: "canvas" });
  chart.setOption({
    title: [
      { text: data.title_stage, left: "center", top: 0, textStyle: { fontSize: 14 } },
      { text: data.title_responsible, left: "center", top: "50%", textStyle: { fontSize: 14 } },
    ],
    tooltip: { trigger: "axis", valueFormatter: percent },
    legend: {
      type: "scroll",
      bottom: 0,
      data: data.series.map(function (series) {
        return series.name;
      }),
    },
    grid: [
      { left: 48, right: 16, top: 32, height: "30%" },
      { left: 48, right: 16, top: "58%", bottom: 56 },
    ],
    xAxis: [
      { type: "category", data: data.stages, gridIndex: 0, axisLabel: { interval: 0, width: 140, overflow: "truncate" } },
      { type: "category", data: data.responsibles, gridIndex: 1, axisLabel: { interval: 0, width: 140, overflow: "truncate" } },
    ],
    yAxis: [
      { type: "value", min: 0, max: 100, gridIndex: 0, axisLabel: { formatter: "{value}%" } },
      { type: "value", min: 0, max: 100, gridIndex: 1, axisLabel: { formatter: "{value}%" } },
    ],
    series: [
      {
        type: "bar",
        name: data.title_stage,
        xAxisIndex: 0,
        yAxisIndex: 0,
        data: data.stage_shares,
        barMaxWidth: 48,
        label: { show: true, position: "top", formatter: function (p) { return percent(p.value); } },
      },
    ].concat(
      data.series.map(function (series) {
        return {
          type: "bar",
          name: series.name,
          xAxisIndex: 1,
          yAxisIndex: 1,
          data: series.data,
          barMaxWidth: 32,
          label: {
            show: true,
            position: "top",
            fontSize: 10,
            formatter: function (p) {
              return percent(p.value);
            },
          },
        };
      })
    ),
  });
  window.addEventListener("resize", function () {
    chart.resize();
  });
})();
