// Offline search from file://. Browsers refuse Web Workers to pages opened from file://, so
// Material's search worker runs in a hidden same-origin iframe instead, speaking the same
// postMessage protocol. The project's own small shim (the role of the iframe-worker package),
// so no third-party code is committed and nothing is fetched from another host.
// Its file name contains "iframe-worker", which stops Material's offline plugin from adding a
// CDN copy of that package.
(function () {
  "use strict";
  if (location.protocol !== "file:") return;

  function IframeWorker(url) {
    var target = new EventTarget();
    var queue = [];
    var ready = false;
    var iframe = document.createElement("iframe");
    iframe.hidden = true;
    iframe.tabIndex = -1;
    iframe.setAttribute("aria-hidden", "true");
    iframe.title = "search";
    (document.body || document.documentElement).appendChild(iframe);
    var win = iframe.contentWindow;
    var doc = win.document;
    doc.open();
    doc.write("<!doctype html><html><head><title>search worker</title></head><body></body></html>");
    doc.close();

    function load(src) {
      return new Promise(function (resolve, reject) {
        var script = doc.createElement("script");
        script.src = src;
        script.onload = resolve;
        script.onerror = reject;
        doc.head.appendChild(script);
      });
    }
    function deliver(data) {
      win.dispatchEvent(new win.MessageEvent("message", { data: data }));
    }
    // Inside the worker, postMessage answers the page and importScripts loads helpers in order.
    win.postMessage = function (data) {
      setTimeout(function () { target.dispatchEvent(new MessageEvent("message", { data: data })); }, 0);
    };
    win.importScripts = function () {
      var urls = Array.prototype.slice.call(arguments);
      return urls.reduce(function (done, u) {
        return done.then(function () { return load(new URL(u, url).href); });
      }, Promise.resolve());
    };
    load(new URL(url, location.href).href).then(function () {
      ready = true;
      queue.forEach(deliver);
      queue = [];
    });
    target.postMessage = function (data) {
      if (ready) deliver(data); else queue.push(data);
    };
    target.terminate = function () { iframe.remove(); };
    return target;
  }

  window.Worker = IframeWorker;
})();
