// trafikplan serve: polls a background job until it is done (no inline script: CSP).
(function () {
  'use strict';
  var box = document.getElementById('job');
  if (!box) { return; }
  var url = box.getAttribute('data-url');
  function poll() {
    fetch(url, {credentials: 'same-origin', headers: {'Accept': 'application/json'}})
      .then(function (r) { return r.json(); })
      .then(function (job) {
        document.getElementById('job-status').textContent = job.message || '';
        document.getElementById('job-seconds').textContent = String(job.seconds);
        if (job.status === 'done') { window.location.assign(job.next); return; }
        if (job.status === 'failed') {
          var err = document.getElementById('job-error');
          err.textContent = box.getAttribute('data-failed') + ' ' + job.error;
          err.hidden = false;
          return;
        }
        window.setTimeout(poll, 1000);
      })
      .catch(function () { window.setTimeout(poll, 2000); });
  }
  window.setTimeout(poll, 500);
})();
