// A party's score over time on its public credit page (credit/templates/credit/party.html),
// with the grade bands as lines. Data from the page's json_script block; ECharts is vendored.
(function () {
  "use strict";
  var holder = document.getElementById("grade-chart");
  var source = document.getElementById("grade-chart-data");
  if (!holder || !source || !window.echarts) {
    return;
  }
  var data = JSON.parse(source.textContent);
  var chart = window.echarts.init(holder, null, { renderer: "canvas" });
  chart.setOption({
    title: { text: data.title, left: "center", textStyle: { fontSize: 14 } },
    tooltip: {
      trigger: "axis",
      formatter: function (params) {
        var point = params[0];
        return point.name + "<br>" + data.grades[point.dataIndex] + " · " + point.value;
      },
    },
    grid: { left: 40, right: 16, top: 36, bottom: 28 },
    xAxis: { type: "category", data: data.dates },
    yAxis: { type: "value", min: 0, max: 100 },
    series: [
      {
        type: "line",
        step: "end",
        data: data.scores,
        markLine: {
          silent: true,
          symbol: "none",
          lineStyle: { type: "dashed" },
          data: data.bands.map(function (value, i) {
            return { yAxis: value, label: { formatter: ["A", "B", "C"][i] } };
          }),
        },
      },
    ],
  });
  window.addEventListener("resize", function () {
    chart.resize();
  });
})();
