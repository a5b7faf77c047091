/**
 * The dashboard's only script, inlined in every page (no build step, no CDN): live updates over
 * server-sent events (the page's <main> is fetched again and swapped in), and the actions, which
 * send the token as a header — it is kept in this tab's sessionStorage, never in a cookie or URL.
 */
export const CLIENT_SCRIPT = String.raw`
(function () {
  var KEY = 'thetadesk-dashboard-token';
  var tokenInput = document.getElementById('token');
  if (tokenInput) {
    tokenInput.value = sessionStorage.getItem(KEY) || '';
    tokenInput.addEventListener('change', function () { sessionStorage.setItem(KEY, tokenInput.value.trim()); });
  }
  function headers() {
    var t = (tokenInput && tokenInput.value.trim()) || sessionStorage.getItem(KEY) || '';
    var h = { 'content-type': 'application/json' };
    if (t) h['authorization'] = 'Bearer ' + t;
    return h;
  }
  function show(id, text, bad) {
    var el = document.getElementById(id);
    if (!el) return;
    el.textContent = text;
    el.className = bad ? 'result bad' : 'result';
  }
  function post(path, body) {
    return fetch(path, { method: 'POST', headers: headers(), body: JSON.stringify(body || {}) }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (j) { return { status: r.status, body: j }; });
    });
  }
  function describe(r) {
    if (r.status === 401) return '401: the token is missing or wrong (paste the one the dashboard printed at start)';
    if (r.status >= 400) return r.status + ': ' + (r.body.error || 'failed');
    return '';
  }
  document.addEventListener('click', function (ev) {
    var b = ev.target.closest ? ev.target.closest('[data-action]') : null;
    if (!b) return;
    ev.preventDefault();
    var action = b.getAttribute('data-action');
    if (action === 'halt' || action === 'resume') {
      var reason = document.getElementById('halt-reason');
      post('/api/' + action, { reason: reason ? reason.value : '' }).then(function (r) {
        show('action-result', describe(r) || (r.body.halted ? 'HALTED: ' + (r.body.reason || '') : 'resumed: entries allowed'), r.status >= 400);
        if (r.status < 400) refresh();
      });
    }
    if (action === 'plan' || action === 'enqueue') {
      var task = document.getElementById('enqueue-task').value;
      var symbol = document.getElementById('enqueue-symbol').value;
      var params = symbol ? { symbol: symbol } : {};
      show('enqueue-result', action === 'plan' ? 'dry run of ' + task + '…' : 'enqueueing ' + task + '…');
      post('/api/' + action, { task: task, params: params }).then(function (r) {
        var err = describe(r);
        if (err) return show('enqueue-result', err, true);
        if (action === 'plan') {
          show('enqueue-result', '[dry run] ' + task + ': ' + r.body.status + ': ' + r.body.summary + '\n' + (r.body.lines || []).join('\n') + '\nnothing was sent or journaled: confirm to enqueue');
          document.getElementById('enqueue-confirm').hidden = false;
        } else {
          show('enqueue-result', 'enqueued ' + r.body.task + ' as job ' + r.body.job_id + ' (a running thetadesk run or worker picks it up)');
          document.getElementById('enqueue-confirm').hidden = true;
        }
      });
    }
  });
  var pending = false;
  function refresh() {
    if (pending) return;
    pending = true;
    fetch(location.href, { headers: { accept: 'text/html' } }).then(function (r) { return r.text(); }).then(function (html) {
      pending = false;
      var doc = new DOMParser().parseFromString(html, 'text/html');
      var fresh = doc.querySelector('main');
      var main = document.querySelector('main');
      if (!fresh || !main) return;
      var open = Array.prototype.map.call(main.querySelectorAll('details[open][id]'), function (d) { return d.id; });
      // The actions panel keeps what the operator typed and the dry run being confirmed.
      var keep = document.getElementById('actions');
      main.innerHTML = fresh.innerHTML;
      var slot = document.getElementById('actions');
      if (keep && slot) slot.replaceWith(keep);
      open.forEach(function (id) { var d = document.getElementById(id); if (d) d.open = true; });
      document.body.setAttribute('data-refreshed', String(Date.now()));
    }).catch(function () { pending = false; });
  }
  var live = document.getElementById('live');
  if (window.EventSource && document.body.getAttribute('data-live') === 'on') {
    var es = new EventSource('/events');
    es.addEventListener('change', function () { refresh(); });
    es.onopen = function () { if (live) { live.textContent = 'live'; live.className = 'live on'; } };
    es.onerror = function () { if (live) { live.textContent = 'reconnecting'; live.className = 'live off'; } };
  }
})();
`;
