// Charts with Chart.js (loaded as window.Chart from its WebJar). Every chart canvas is labelled for screen readers
// and sits next to a table that holds the same numbers.
const PALETTE = ['#0b5cad', '#b3261e', '#1e6b34', '#7a4b00', '#6a1b9a', '#00695c'];

function chartLibrary() {
  if (!window.Chart) {
    throw new Error('Chart.js did not load');
  }
  return window.Chart;
}

function dateTick(value) {
  return new Date(value).toISOString().substring(0, 10);
}

/** A time series: points are {t: ms since epoch, y}; x ticks are dates. */
export function timeSeries(canvas, label, unit, points) {
  const Chart = chartLibrary();
  return new Chart(canvas, {
    type: 'line',
    data: {
      datasets: [{
        label: unit ? `${label} (${unit})` : label,
        data: points.map(p => ({ x: p.t, y: p.y })),
        borderColor: PALETTE[0], backgroundColor: PALETTE[0], pointRadius: 4, tension: 0,
      }],
    },
    options: {
      responsive: true, maintainAspectRatio: false, animation: false,
      scales: {
        x: { type: 'linear', ticks: { callback: dateTick, maxTicksLimit: 8, color: '#1b1f24' }, title: { display: true, text: 'Date' } },
        y: { title: { display: !!unit, text: unit }, ticks: { color: '#1b1f24' } },
      },
      plugins: {
        tooltip: { callbacks: { title: items => dateTick(items[0].parsed.x) } },
        legend: { labels: { color: '#1b1f24' } },
      },
    },
  });
}

/** Horizontal bars of signed contributions: positive (raising the risk) and negative in two colours. */
export function contributions(canvas, labels, values, axisTitle) {
  const Chart = chartLibrary();
  return new Chart(canvas, {
    type: 'bar',
    data: {
      labels,
      datasets: [{
        label: axisTitle,
        data: values,
        backgroundColor: values.map(v => (v >= 0 ? '#b3261e' : '#0b5cad')),
        borderWidth: 0,
      }],
    },
    options: {
      indexAxis: 'y', responsive: true, maintainAspectRatio: false, animation: false,
      scales: {
        x: { title: { display: true, text: axisTitle }, ticks: { color: '#1b1f24' } },
        y: { ticks: { color: '#1b1f24' } },
      },
      plugins: { legend: { display: false } },
    },
  });
}

/** Step curves, e.g. Kaplan-Meier: each series is {label, points: [{x, y}]}, drawn as steps after each point. */
export function stepCurves(canvas, series, xTitle, yTitle) {
  const Chart = chartLibrary();
  return new Chart(canvas, {
    type: 'line',
    data: {
      datasets: series.map((s, i) => ({
        label: s.label,
        data: s.points,
        stepped: 'before',
        borderColor: PALETTE[i % PALETTE.length],
        backgroundColor: PALETTE[i % PALETTE.length],
        borderDash: i % 2 === 1 ? [6, 3] : [],
        pointRadius: 0,
        borderWidth: 2,
      })),
    },
    options: {
      responsive: true, maintainAspectRatio: false, animation: false,
      scales: {
        x: { type: 'linear', min: 0, title: { display: true, text: xTitle }, ticks: { color: '#1b1f24' } },
        y: { min: 0, max: 1, title: { display: true, text: yTitle }, ticks: { color: '#1b1f24' } },
      },
      plugins: { legend: { labels: { color: '#1b1f24' } } },
      interaction: { mode: 'nearest', intersect: false },
    },
  });
}
