/**
 * The script the report runs in the browser: it draws the charts with uPlot (inlined before it)
 * from the JSON in `<script id="chart-data">` (html-chart-data.ts) and makes the per-tool table
 * sortable. Plain ES2017 with no dependency but uPlot; it reads the data with JSON.parse and
 * writes only numbers and fixed labels into the page, so nothing the server chose runs or renders
 * as markup. Kept as a string: it runs in the page, not in Node.
 */
export const CLIENT_SCRIPT = String.raw`
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('chart-data').textContent);
  var COLORS = ['#1f77b4', '#ff7f0e', '#d62728', '#2ca02c', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f'];
  var BP_COLOR = '#c62828';

  function width(el) { return Math.max(320, el.clientWidth || 800); }

  // A dashed vertical line (and its label) at the breaking point, drawn over the series.
  function breakingPointPlugin() {
    return { hooks: { draw: [function (u) {
      if (!data.breakingPoint) return;
      var x = Math.round(u.valToPos(data.breakingPoint.elapsedSecs, 'x', true));
      var ctx = u.ctx, px = window.devicePixelRatio || 1;
      ctx.save();
      ctx.strokeStyle = BP_COLOR;
      ctx.lineWidth = 2 * px;
      ctx.setLineDash([6 * px, 4 * px]);
      ctx.beginPath();
      ctx.moveTo(x, u.bbox.top);
      ctx.lineTo(x, u.bbox.top + u.bbox.height);
      ctx.stroke();
      ctx.fillStyle = BP_COLOR;
      ctx.font = (12 * px) + 'px sans-serif';
      ctx.fillText(data.breakingPoint.label, x + 4 * px, u.bbox.top + 14 * px);
      ctx.restore();
    }] } };
  }

  function line(label, color, extra) {
    var s = { label: label, stroke: color, width: 2, spanGaps: false, points: { show: false } };
    for (var k in extra) s[k] = extra[k];
    return s;
  }

  function timeChart(id, title, series, values, axes, scales) {
    var el = document.getElementById(id);
    if (!el) return;
    var opts = {
      title: title,
      width: width(el),
      height: 260,
      scales: Object.assign({ x: { time: false } }, scales || {}),
      series: [{ label: 'elapsed (s)' }].concat(series),
      axes: [{ label: 'elapsed (s)' }].concat(axes),
      plugins: [breakingPointPlugin()],
    };
    new uPlot(opts, [data.elapsedSecs].concat(values), el);
  }

  if (data.elapsedSecs.length > 0) {
    timeChart('chart-latency', 'Success latency per interval (ms)', [
      line('p50', COLORS[0]), line('p95', COLORS[1]), line('p99', COLORS[2]),
    ], [data.p50Ms, data.p95Ms, data.p99Ms], [{ label: 'ms' }]);

    // Open model: the arrival rate is what the run controls; the sessions follow from it.
    var open = data.targetRate !== null;
    timeChart('chart-load', open ? 'Arrival rate, sessions and throughput' : 'Virtual users and throughput', open ? [
      line('active sessions', COLORS[0], { scale: 'vus' }),
      line('target rate (steps/s)', COLORS[7], { scale: 'rps', dash: [4, 4], width: 1 }),
      line('achieved rate (steps/s)', COLORS[4], { scale: 'rps' }),
      line('throughput (req/s)', COLORS[3], { scale: 'rps' }),
    ] : [
      line('active VUs', COLORS[0], { scale: 'vus' }),
      line('target VUs', COLORS[7], { scale: 'vus', dash: [4, 4], width: 1 }),
      line('throughput (req/s)', COLORS[3], { scale: 'rps' }),
    ], open ? [data.activeVus, data.targetRate, data.achievedRate, data.throughputRps]
      : [data.activeVus, data.targetVus, data.throughputRps], [
      { scale: 'vus', label: open ? 'sessions' : 'VUs' },
      { scale: 'rps', label: open ? 'per second' : 'req/s', side: 1, size: 70, grid: { show: false } },
    ], { vus: { range: function (u, min, max) { return [0, Math.max(1, max)]; } }, rps: {} });

    if (data.errorsByKind.length > 0) {
      timeChart('chart-errors', 'Errors per interval, by kind',
        data.errorsByKind.map(function (e, i) {
          return line(e.kind, COLORS[(i + 2) % COLORS.length], { points: { show: true } });
        }),
        data.errorsByKind.map(function (e) { return e.counts; }),
        [{ label: 'errors' }]);
    }
  }

  var d = data.distribution, distEl = document.getElementById('chart-distribution');
  if (d && distEl) {
    new uPlot({
      title: 'Success latency by percentile (whole run)',
      width: width(distEl),
      height: 260,
      scales: { x: { time: false, range: [0, 4] } },
      series: [
        { label: 'percentile', value: function (u, v) { var i = d.x.indexOf(v); return i < 0 ? '' : d.labels[i]; } },
        line('corrected (ms)', COLORS[2], { points: { show: true } }),
        line('uncorrected (ms)', COLORS[0], { points: { show: true }, dash: [4, 4] }),
      ],
      axes: [
        { label: 'percentile', splits: function () { return d.x; }, values: function () { return d.labels; } },
        { label: 'ms' },
      ],
    }, [d.x, d.correctedMs, d.uncorrectedMs], distEl);
  }

  // The per-tool table: a click (or Enter) on a header sorts by it; again reverses.
  var table = document.getElementById('per-tool');
  if (table) {
    var heads = table.querySelectorAll('th[data-column]');
    Array.prototype.forEach.call(heads, function (th) {
      function sort() {
        var col = Number(th.getAttribute('data-column'));
        var numeric = th.getAttribute('data-numeric') === 'true';
        var dir = th.getAttribute('aria-sort') === 'descending' ? 1 : -1;
        if (!numeric && th.getAttribute('aria-sort') === 'none') dir = 1;
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = a.cells[col].getAttribute('data-sort'), y = b.cells[col].getAttribute('data-sort');
          var c = numeric ? Number(x) - Number(y) : (x < y ? -1 : x > y ? 1 : 0);
          return c * dir;
        });
        rows.forEach(function (r) { body.appendChild(r); });
        Array.prototype.forEach.call(heads, function (h) { h.setAttribute('aria-sort', 'none'); });
        th.setAttribute('aria-sort', dir === 1 ? 'ascending' : 'descending');
      }
      th.addEventListener('click', sort);
      th.addEventListener('keydown', function (e) { if (e.key === 'Enter') sort(); });
    });
  }
})();
`;
