// trafikplan serve (no inline script: CSP). Polls a background job until it is done.
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
        document.getElementById('job-seconds').textContent = job.seconds.toLocaleString(
          document.documentElement.lang, {minimumFractionDigits: 1, maximumFractionDigits: 1});
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

// Files dropped anywhere on a drop area go into its file input.
(function () {
  'use strict';
  Array.prototype.forEach.call(document.querySelectorAll('label.drop'), function (area) {
    var input = area.querySelector('input[type=file]');
    if (!input) { return; }
    area.addEventListener('dragover', function (e) { e.preventDefault(); area.classList.add('over'); });
    area.addEventListener('dragleave', function () { area.classList.remove('over'); });
    area.addEventListener('drop', function (e) {
      e.preventDefault();
      area.classList.remove('over');
      if (e.dataTransfer && e.dataTransfer.files.length) { input.files = e.dataTransfer.files; }
    });
  });
})();
