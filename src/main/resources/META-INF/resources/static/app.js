// Small enhancements only: every page works without JavaScript.
(function () {
  // A running bulk upload: refresh its progress bar without reloading the page.
  var job = document.querySelector('[data-job-status]');
  if (job) {
    var url = job.getAttribute('data-job-status');
    var poll = function () {
      fetch(url, { headers: { 'Accept': 'application/json' }, credentials: 'same-origin' })
        .then(function (r) { return r.json(); })
        .then(function (s) {
          var bar = job.querySelector('progress');
          if (bar) { bar.max = s.total || 1; bar.value = s.done || 0; }
          var text = job.querySelector('[data-job-text]');
          if (text) { // the page's own words, in its language, with $done... where the numbers go
            text.textContent = text.getAttribute('data-job-text').replace('$done', s.done).replace('$total', s.total)
              .replace('$accepted', s.accepted).replace('$rejected', s.rejected);
          }
          if (s.finished) { window.location.reload(); } else { setTimeout(poll, 700); }
        })
        .catch(function () { setTimeout(poll, 2000); });
    };
    setTimeout(poll, 500);
  }
})();

// Device check: read the device's answer from a file into the text area.
(function () {
  var inputs = document.querySelectorAll('input[type="file"][data-fills]');
  for (var i = 0; i < inputs.length; i++) {
    (function (input) {
      var target = document.getElementById(input.getAttribute('data-fills'));
      if (!target || !window.FileReader) { return; }
      input.addEventListener('change', function () {
        if (!input.files || !input.files[0]) { return; }
        var reader = new FileReader();
        reader.onload = function () { target.value = String(reader.result).trim(); };
        reader.readAsText(input.files[0]);
      });
    })(inputs[i]);
  }
})();
