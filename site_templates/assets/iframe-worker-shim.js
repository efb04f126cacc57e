// Offline search from file://. Browsers refuse Web Workers to pages opened from file://, and
// Material's worker would build its lunr index on every page. The offline bundle carries the
// index ready-made (search/clause8-index.js, written by generator/engine/search.py) and a worker
// that answers Material's messages from it (search/clause8-worker.js). This shim stands in for
// `Worker`: it loads both files, starts the worker from a blob: URL, off the page's thread
// (Chromium allows that from file://; the site's policy allows `worker-src blob:`), hands it the
// index as soon as the page opens, and passes Material's messages on. Where a blob: worker is
// refused, the same worker runs in a hidden same-origin frame (the role of the iframe-worker
// package), still without building anything. The project's own code: nothing third-party is
// committed and nothing is fetched from another host.
// Its file name contains "iframe-worker", which stops Material's offline plugin from adding a
// CDN copy of that package.
(function () {
  "use strict";
  if (location.protocol !== "file:") return;
  var NativeWorker = window.Worker;

  function loadScript(doc, src) {
    return new Promise(function (resolve, reject) {
      var script = doc.createElement("script");
      script.src = src;
      script.onload = resolve;
      script.onerror = reject;
      (doc.head || doc.documentElement).appendChild(script);
    });
  }

  // A worker in a hidden frame: same thread, same message protocol.
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
        return done.then(function () { return loadScript(doc, new URL(u, url).href); });
      }, Promise.resolve());
    };
    loadScript(doc, new URL(url, location.href).href).then(function () {
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

  function SearchWorker(url) {
    // Material passes its worker's URL (assets/javascripts/workers/search.*.js): the site root
    // is three folders up.
    var root = new URL("../../../", new URL(url, location.href)).href;
    var target = new EventTarget();
    var queue = [];
    var inner = null;

    function start() {
      var worker;
      try {
        var blob = new Blob([window.__clause8Worker], { type: "text/javascript" });
        worker = new NativeWorker(URL.createObjectURL(blob));
      } catch (err) {
        worker = null;
      }
      if (!worker) worker = IframeWorker(root + "search/clause8-worker.js");
      worker.addEventListener("message", function (ev) {
        target.dispatchEvent(new MessageEvent("message", { data: ev.data }));
      });
      worker.postMessage({ type: "clause8:index", data: window.__clause8Index });
      inner = worker;
      queue.forEach(function (data) { inner.postMessage(data); });
      queue = null;
    }

    // Read once the page has loaded: the page (and its phone numbers) shows before the index is
    // read, and reading it never delays the page's load event.
    var loaded = new Promise(function (resolve) {
      if (document.readyState === "complete") resolve();
      else window.addEventListener("load", function () { resolve(); }, { once: true });
    });
    loaded.then(function () {
      return Promise.all([loadScript(document, root + "search/clause8-worker-text.js"),
                          loadScript(document, root + "search/clause8-index.js")]);
    })
      .then(start, function () {
        // No ready-made index in this copy: Material's own worker, in a frame.
        inner = IframeWorker(url);
        inner.addEventListener("message", function (ev) {
          target.dispatchEvent(new MessageEvent("message", { data: ev.data }));
        });
        queue.forEach(function (data) { inner.postMessage(data); });
        queue = null;
      });

    target.postMessage = function (data) {
      if (queue) queue.push(data); else inner.postMessage(data);
    };
    target.terminate = function () { if (inner) inner.terminate(); };
    return target;
  }

  window.Worker = SearchWorker;
})();
