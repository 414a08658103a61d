// k3sc issue page: follows the attempts. While no attempt is live on the page (none yet,
// or the watched one has ended), it asks the server every few seconds for the latest attempt's
// name and reloads the page when a new one has started, so the live log of web.js picks it up
// (a launch claimed after the page loaded, a retry, a review).
(function () {
  'use strict';
  var el = document.querySelector('[data-follow]');
  if (!el || !window.fetch) return;
  var url = el.getAttribute('data-follow');
  var shown = el.getAttribute('data-attempt') || '';
  var idle = function () {
    var pre = document.querySelector('pre[data-log]');
    return !pre || pre.hasAttribute('data-ended');
  };
  var check = function () {
    if (document.visibilityState === 'hidden' || !idle()) return setTimeout(check, 3000);
    fetch(url, { credentials: 'same-origin', headers: { accept: 'application/json' } })
      .then(function (r) {
        return r.ok ? r.json() : {};
      })
      .then(function (d) {
        if (d && d.attempt && d.attempt !== shown) location.reload();
        else setTimeout(check, 3000);
      })
      .catch(function () {
        setTimeout(check, 5000);
      });
  };
  setTimeout(check, 1500);
})();
