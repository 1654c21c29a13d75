// The 832 bars of the statistics page: reserved, ordered and completed per year.
(function () {
  var node = document.getElementById("chart-832");
  if (!node || !window.echarts) return;
  var data = JSON.parse(node.dataset.chart);
  var chart = window.echarts.init(node);
  chart.setOption({
    tooltip: {},
    legend: {},
    xAxis: { type: "category", data: data.years },
    yAxis: { type: "value" },
    series: data.series.map(function (s) { return { name: s.name, type: "bar", data: s.data }; }),
  });
})();
