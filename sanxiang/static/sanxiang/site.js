// Sanxiang's own page script (no inline script: the Content-Security-Policy allows only our static files).
(function () {
  "use strict";
  // An upload's progress bar: <progress id="progress"> inside a form posted by htmx.
  document.addEventListener("htmx:xhr:progress", function (evt) {
    var bar = document.getElementById("progress");
    if (bar && evt.detail && evt.detail.total) {
      bar.value = (evt.detail.loaded / evt.detail.total) * 100;
    }
  });
})();
