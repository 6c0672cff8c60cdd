// nbnet's dashboard: the host list (#/), a host's charts (#/host/NAME/RANGE) and the alerts (#/alerts), from the saver's /api.
'use strict';

(function () {
  // a token given once as ?token=... is kept for this tab and taken out of the address bar
  const params = new URLSearchParams(location.search);
  if (params.has('token')) {
    sessionStorage.setItem('nbnet.token', params.get('token'));
    history.replaceState(null, '', location.pathname + location.hash);
  }
  const token = sessionStorage.getItem('nbnet.token');

  const RANGES = { '1h': { ms: 3600e3 }, '24h': { ms: 86400e3, step: '5m' }, '7d': { ms: 7 * 86400e3, step: '30m' },
    '30d': { ms: 30 * 86400e3, step: '2h' } };
  const CHARTS = [
    { title: 'CPU %', metrics: ['cpu.user', 'cpu.system', 'cpu.iowait', 'cpu.steal'] },
    { title: 'Memory', metrics: ['mem.used_bytes', 'mem.cached_bytes', 'mem.buffers_bytes', 'mem.free_bytes'], unit: 'bytes' },
    { title: 'Load', metrics: ['load.1', 'load.5', 'load.15'] },
    { title: 'Disk throughput', metrics: ['disk.read_bytes_per_s', 'disk.write_bytes_per_s'], unit: 'bytes' },
    { title: 'Disk operations /s', metrics: ['disk.reads_per_s', 'disk.writes_per_s'] },
    { title: 'Disk busy %', metrics: ['disk.busy_percent'] },
    { title: 'Filesystem used', metrics: ['fs.used_bytes'], unit: 'bytes' },
    { title: 'Network throughput', metrics: ['net.rx_bytes_per_s', 'net.tx_bytes_per_s'], unit: 'bytes' },
    { title: 'Network packets /s', metrics: ['net.rx_packets_per_s', 'net.tx_packets_per_s'] },
    { title: 'Network errors and drops', metrics: ['net.rx_errors', 'net.tx_errors', 'net.rx_dropped', 'net.tx_dropped'] },
    { title: 'TCP connections', metrics: ['tcp.established', 'tcp.time_wait', 'tcp.close_wait', 'tcp.syn_recv'] },
    { title: 'Processes', metrics: ['proc.total', 'proc.running', 'proc.blocked'] },
  ];
  const COLORS = ['#3366cc', '#dc3912', '#ff9900', '#109618', '#990099', '#0099c6', '#dd4477', '#66aa00', '#b82e2e', '#316395'];

  const view = document.getElementById('view');
  let refreshTimer = null;
  let generation = 0;

  function api(path) {
    return fetch('api/' + path, { headers: token ? { Authorization: 'Bearer ' + token } : {} }).then(response =>
      response.json().then(body => {
        if (!response.ok) {
          throw new Error(body.error || response.statusText);
        }
        return body;
      }));
  }

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => k === 'class' ? node.className = v : node.setAttribute(k, v));
    children.forEach(child => node.append(child));
    return node;
  }

  function ago(ms) {
    const s = Math.max(0, Math.round((Date.now() - ms) / 1000));
    return s < 120 ? s + ' s ago' : s < 7200 ? Math.round(s / 60) + ' min ago' : s < 172800 ? Math.round(s / 3600) + ' h ago'
      : Math.round(s / 86400) + ' d ago';
  }

  function bytes(v) {
    if (v == null) {
      return '';
    }
    const units = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];
    let i = 0;
    while (Math.abs(v) >= 1024 && i < units.length - 1) {
      v /= 1024;
      i++;
    }
    return (Math.abs(v) >= 100 || i === 0 ? v.toFixed(0) : v.toFixed(1)) + ' ' + units[i];
  }

  function number(v, suffix) {
    return v == null ? '' : (Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(1)) + (suffix || '');
  }

  function stamp() {
    document.getElementById('updated').textContent = 'updated ' + new Date().toLocaleTimeString();
  }

  function showError(error) {
    view.replaceChildren(el('p', { class: 'error' }, String(error.message || error)));
  }

  // --- alerts: the rules' firing and pending alerts ---

  /** The alerts of /api/v1/alerts (none when the saver evaluates no rules); the header's count follows them. */
  function alerts() {
    return api('v1/alerts').then(answer => {
      const list = answer.data.alerts;
      const firing = list.filter(a => a.state === 'firing').length;
      const count = document.getElementById('alert-count');
      count.textContent = list.length ? String(firing || list.length) : '';
      count.className = 'badge' + (firing ? ' firing' : list.length ? ' pending' : '');
      return list;
    }, () => []);
  }

  /** Per host: how many of its alerts fire and how many are pending. */
  function alertsByHost(list) {
    const byHost = new Map();
    list.forEach(a => {
      const host = a.labels.host;
      if (host) {
        const counts = byHost.get(host) || { firing: 0, pending: 0 };
        counts[a.state === 'firing' ? 'firing' : 'pending']++;
        byHost.set(host, counts);
      }
    });
    return byHost;
  }

  function alertBadges(counts) {
    if (!counts) {
      return [];
    }
    return ['firing', 'pending'].filter(state => counts[state] > 0).map(state =>
      el('a', { href: '#/alerts', class: 'badge ' + state, 'data-alerts': state }, counts[state] + ' ' + state));
  }

  function alertsPage() {
    document.getElementById('crumb').textContent = 'firing and pending alerts';
    document.getElementById('ranges').replaceChildren();
    const mine = generation;
    return Promise.all([alerts(), api('v1/rules').then(answer => answer.data.groups, () => [])]).then(([list, groups]) => {
      if (mine !== generation) {
        return;
      }
      const rules = new Map();
      groups.forEach(g => g.rules.filter(r => r.type === 'alerting').forEach(r => rules.set(r.name, { group: g.name, query: r.query })));
      const order = { firing: 0, pending: 1 };
      list.sort((a, b) => order[a.state] - order[b.state] || a.activeAt.localeCompare(b.activeAt));
      const rows = list.map(a => {
        const rule = rules.get(a.labels.alertname) || {};
        const host = a.labels.host;
        const others = Object.entries(a.labels).filter(([k]) => k !== 'alertname' && k !== 'host').map(([k, v]) => k + '=' + v).join(', ');
        return el('tr', { 'data-alert': a.labels.alertname, 'data-state': a.state, 'data-host': host || '' },
          el('td', {}, a.labels.alertname),
          el('td', {}, el('span', { class: 'badge ' + a.state }, a.state), ' since ' + ago(Date.parse(a.activeAt))),
          el('td', {}, host ? el('a', { href: '#/host/' + encodeURIComponent(host) + '/1h' }, host) : ''),
          el('td', {}, number(parseFloat(a.value))),
          el('td', { class: 'wrap' }, a.annotations.summary || a.annotations.description || '', others ? el('div', {}, el('code', {}, others)) : ''),
          el('td', { class: 'wrap' }, el('code', {}, rule.query || ''), rule.group ? ' (' + rule.group + ')' : ''));
      });
      const firing = list.filter(a => a.state === 'firing').length;
      const ruleCount = groups.reduce((n, g) => n + g.rules.length, 0);
      view.replaceChildren(
        el('p', {}, firing + ' firing, ' + (list.length - firing) + ' pending, from ' + ruleCount + ' rules in ' + groups.length + ' groups'),
        el('table', { id: 'alerts' },
          el('thead', {}, el('tr', {}, ...['alert', 'state', 'host', 'value', 'summary', 'rule'].map(h => el('th', {}, h)))),
          el('tbody', {}, ...rows)));
      stamp();
    });
  }

  // --- the host list ---

  function hostList() {
    document.getElementById('crumb').textContent = 'hosts';
    document.getElementById('ranges').replaceChildren();
    const mine = generation;
    return Promise.all([api('hosts'), alerts()]).then(([hosts, alertList]) => {
      if (mine !== generation) {
        return;
      }
      const byHost = alertsByHost(alertList);
      const rows = hosts.map(h => {
        const n = h.headline || {};
        return el('tr', { 'data-host': h.host, 'data-status': h.status },
          el('td', {}, el('a', { href: '#/host/' + encodeURIComponent(h.host) + '/1h' }, h.host), ...alertBadges(byHost.get(h.host))),
          el('td', {}, el('span', { class: 'status ' + h.status }, h.status), ' since ' + ago(h.statusSince)),
          el('td', {}, ago(h.lastReceived)),
          el('td', {}, number(n.cpuPercent, ' %')),
          el('td', {}, number(n.memoryPercent, ' %')),
          el('td', {}, number(n.load1)),
          el('td', {}, number(n.diskBusyPercent, ' %')),
          el('td', {}, number(n.fsUsedPercent, ' %')),
          el('td', {}, n.netRxBytesPerS == null ? '' : bytes(n.netRxBytesPerS) + '/s'),
          el('td', {}, n.netTxBytesPerS == null ? '' : bytes(n.netTxBytesPerS) + '/s'));
      });
      const counts = { reporting: 0, late: 0, silent: 0 };
      hosts.forEach(h => counts[h.status]++);
      view.replaceChildren(
        el('p', {}, hosts.length + ' hosts: ' + counts.reporting + ' reporting, ' + counts.late + ' late, ' + counts.silent + ' silent'),
        el('table', { id: 'hosts' },
          el('thead', {}, el('tr', {}, ...['host', 'status', 'last heard', 'CPU', 'memory', 'load', 'busiest disk', 'fullest fs',
            'net in', 'net out'].map(h => el('th', {}, h)))),
          el('tbody', {}, ...rows)));
      stamp();
    });
  }

  // --- a host's charts ---

  function label(series) {
    return series.metric + (series.tags ? ' ' + series.tags : '');
  }

  /** uPlot's columns: one time axis (seconds) shared by every series, null where a series has no bucket. */
  function columns(series) {
    const times = [...new Set(series.flatMap(s => s.t))].sort((a, b) => a - b);
    const index = new Map(times.map((t, i) => [t, i]));
    const data = [times.map(t => t / 1000)];
    series.forEach(s => {
      const ys = new Array(times.length).fill(null);
      s.t.forEach((t, i) => { ys[index.get(t)] = s.avg[i]; });
      data.push(ys);
    });
    return data;
  }

  function drawChart(box, chart, answer) {
    const series = answer.series.filter(s => s.t.length > 0);
    box.querySelector('.plot').replaceChildren();
    box.querySelector('.note').textContent = answer.tier + ' tier, step ' + answer.step / 1000 + ' s';
    if (series.length === 0) {
      box.querySelector('.plot').append(el('p', { class: 'note' }, 'no samples in this range'));
      return 0;
    }
    const format = chart.unit === 'bytes' ? bytes : v => number(v);
    const options = {
      width: Math.max(300, box.clientWidth - 16), height: 200,
      series: [{}, ...series.map((s, i) => ({ label: label(s), stroke: COLORS[i % COLORS.length], width: 1.5, spanGaps: false,
        value: (u, v) => v == null ? '' : format(v) }))],
      axes: [{}, { size: 70, values: (u, ticks) => ticks.map(format) }],
      legend: { live: true },
    };
    new uPlot(options, columns(series), box.querySelector('.plot'));
    box.dataset.points = String(series.reduce((sum, s) => sum + s.t.length, 0));
    return series.length;
  }

  function hostPage(host, range) {
    document.getElementById('crumb').replaceChildren(el('a', { href: '#/' }, 'hosts'), ' / ' + host);
    document.getElementById('ranges').replaceChildren(...Object.keys(RANGES).map(r =>
      el('a', { href: '#/host/' + encodeURIComponent(host) + '/' + r, class: r === range ? 'active' : '' }, r)));
    const boxes = CHARTS.map(chart => el('div', { class: 'chart' }, el('h3', {}, chart.title), el('div', { class: 'plot' }),
      el('span', { class: 'note' }, 'loading')));
    view.replaceChildren(el('div', { class: 'charts' }, ...boxes));
    return loadCharts(host, range, boxes);
  }

  /** One query for every chart: one round of statements in the saver instead of one per chart. */
  function loadCharts(host, range, boxes) {
    const mine = generation;
    const r = RANGES[range];
    const metrics = [...new Set(CHARTS.flatMap(chart => chart.metrics))];
    const query = 'query?host=' + encodeURIComponent(host) + metrics.map(m => '&metric=' + encodeURIComponent(m)).join('')
      + '&from=now-' + range + (r.step ? '&step=' + r.step : '') + '&fields=avg';
    return api(query).then(answer => {
      if (mine !== generation) {
        return;
      }
      const began = performance.now();
      CHARTS.forEach((chart, i) =>
        drawChart(boxes[i], chart, Object.assign({}, answer, { series: answer.series.filter(s => chart.metrics.includes(s.metric)) })));
      if (!document.body.dataset.chartsDrawnMs) {
        // how long the first full page took from navigation, for the browser test and the curious
        document.body.dataset.chartsDrawnMs = String(Math.round(performance.now()));
        document.body.dataset.drawingMs = String(Math.round(performance.now() - began));
      }
      stamp();
    }, error => boxes.forEach(box => { box.querySelector('.note').textContent = error.message; }));
  }

  function route() {
    generation++;
    clearInterval(refreshTimer);
    const match = location.hash.match(/^#\/host\/([^/]+)\/(1h|24h|7d|30d)$/) || location.hash.match(/^#\/host\/([^/]+)$/);
    if (location.hash === '#/alerts') {
      alertsPage().catch(showError);
      refreshTimer = setInterval(() => alertsPage().catch(showError), 10000);
    } else if (match) {
      const host = decodeURIComponent(match[1]);
      const range = match[2] || '1h';
      hostPage(host, range).catch(showError);
      refreshTimer = setInterval(() => {
        const boxes = [...view.querySelectorAll('.chart')];
        loadCharts(host, range, boxes).catch(showError);
      }, range === '1h' ? 10000 : 60000);
    } else {
      hostList().catch(showError);
      refreshTimer = setInterval(() => hostList().catch(showError), 10000);
    }
  }

  window.addEventListener('hashchange', route);
  route();
})();
