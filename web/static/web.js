// k3sc dashboard: live updates over one EventSource per page (progressive enhancement; the
// pages work without it). The server sends `dashboard` (a rendered fragment), `log` (one line of
// a watched attempt) and `log-end`; every event id is the resume cursor, so the browser's own
// reconnect (with Last-Event-ID) continues exactly where it stopped.
(function () {
  'use strict';
  var meta = document.querySelector('meta[name="csrf-token"]');
  var csrf = meta ? meta.getAttribute('content') : '';
  var fillCsrf = function (root) {
    root.querySelectorAll('input[name="_csrf"]').forEach(function (i) {
      if (!i.value) i.value = csrf;
    });
  };
  var url = document.body.getAttribute('data-events');
  var status = document.getElementById('live-status');
  if (!url || !window.EventSource) return;
  var say = function (text) {
    if (status) status.textContent = 'live updates: ' + text;
  };
  var es = new EventSource(url, { withCredentials: true });
  window.k3scEvents = es;
  es.onopen = function () {
    say('on');
    document.body.setAttribute('data-live', 'on');
  };
  es.onerror = function () {
    say(es.readyState === EventSource.CLOSED ? 'off (reload the page)' : 'reconnecting…');
    document.body.setAttribute('data-live', 'reconnecting');
  };
  es.addEventListener('dashboard', function (e) {
    var dash = document.getElementById('live-dash');
    if (!dash) return;
    var active = document.activeElement && document.activeElement.id;
    dash.innerHTML = e.data;
    fillCsrf(dash);
    if (active && document.getElementById(active)) document.getElementById(active).focus();
  });
  es.addEventListener('log', function (e) {
    var d = JSON.parse(e.data);
    var pre = document.querySelector('pre[data-log="' + d.w + '"]');
    if (!pre) return;
    var stick = pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 4;
    var line = document.createElement('span');
    line.setAttribute('data-n', String(d.n));
    line.textContent = d.line + '\n';
    pre.appendChild(line);
    if (stick) pre.scrollTop = pre.scrollHeight;
  });
  es.addEventListener('log-end', function (e) {
    var d = JSON.parse(e.data);
    var pre = document.querySelector('pre[data-log="' + d.w + '"]');
    if (pre) pre.setAttribute('data-ended', d.error ? 'error' : 'yes');
  });
})();
