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

  // A record form's files are uploaded as soon as they are chosen, before the form is checked
  // (resumable uploads, /api/ledger/uploads): a refused form keeps them (hidden "blob" inputs listed
  // under "已上传"), and a multi-GB body-camera file does not have to travel again with every retry.
  var CHUNK = 8 * 1024 * 1024;

  function csrf(form) {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function call(form, method, url, body, headers) {
    var h = { "X-CSRFToken": csrf(form) };
    for (var k in headers || {}) { h[k] = headers[k]; }
    return fetch(url, { method: method, headers: h, body: body, credentials: "same-origin" }).then(function (r) {
      return r.json().then(function (data) {
        if (!r.ok) { throw new Error((data.errors && data.errors[0] && data.errors[0].message) || data.title || String(r.status)); }
        return data;
      });
    });
  }

  function uploadOne(form, base, file, done) {
    var begin = JSON.stringify({ filename: file.name, media_type: file.type, expected_size: file.size });
    return call(form, "POST", base, begin, { "Content-Type": "application/json" }).then(function (session) {
      var url = base + "/" + session.id;
      function next(offset) {
        if (offset >= file.size) { return call(form, "POST", url + "/complete"); }
        var end = Math.min(offset + CHUNK, file.size);
        return call(form, "PATCH", url, file.slice(offset, end), {
          "Upload-Offset": String(offset), "Content-Type": "application/offset+octet-stream"
        }).then(function (s) { done(s.offset); return next(s.offset); });
      }
      return next(0);
    });
  }

  function keep(form, list, blob, name) {
    var li = document.createElement("li");
    var input = document.createElement("input");
    input.type = "hidden"; input.name = "blob"; input.value = blob.sm3;
    var label = document.createElement("input");
    label.type = "hidden"; label.name = "blob_name_" + blob.sm3; label.value = name;
    li.appendChild(input); li.appendChild(label);
    li.appendChild(document.createTextNode(name + "（已上传）"));
    list.appendChild(li);
  }

  document.addEventListener("change", function (evt) {
    var picker = evt.target;
    if (!picker.matches || !picker.matches("input[type=file][data-upload-url]")) { return; }
    var form = picker.form;
    var list = document.getElementById(picker.getAttribute("data-kept"));
    var bar = document.getElementById("progress");
    var status = document.getElementById("upload-status");
    var files = Array.prototype.slice.call(picker.files);
    var total = files.reduce(function (n, f) { return n + f.size; }, 0) || 1;
    var before = 0;
    var submit = form.querySelector("button[type=submit]");
    if (submit) { submit.disabled = true; }
    status.textContent = "正在上传……";
    var chain = Promise.resolve();
    files.forEach(function (file) {
      chain = chain.then(function () {
        return uploadOne(form, picker.getAttribute("data-upload-url"), file, function (offset) {
          if (bar) { bar.value = ((before + offset) / total) * 100; }
        }).then(function (blob) { before += file.size; keep(form, list, blob, file.name); });
      });
    });
    chain.then(function () {
      picker.value = "";  // sent already: the form names the stored files instead
      status.textContent = "已上传，保存记录时一并存证";
      if (bar) { bar.value = 100; }
    }, function (err) {
      status.textContent = "上传失败：" + err.message + "（保存时将随表单一并上传）";
    }).then(function () { if (submit) { submit.disabled = false; } });
  });
})();
