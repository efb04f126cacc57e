// The offline bundle's search engine: answers Material's search messages (SETUP 0, READY 1,
// QUERY 2, RESULT 3) from the lunr index built with the site (generator/engine/search.py), so
// nothing is indexed in the browser. Runs in a Worker (from a blob: URL, see
// iframe-worker-shim.js) or, where the browser refuses one, in the shim's hidden frame. It is
// appended to Material's worker bundle, which provides lunr.js as self.lunr.
//
// Result text is Material's index text (escaped HTML from the cleaned pages); matches are marked
// only in its text runs, never inside a tag or an entity, so no markup is ever made from text.
(function () {
  "use strict";
  var lunr = self.lunr;
  // Keep in step with _SPLIT and tokens() in generator/engine/search.py.
  var SPLIT = /[\s,;:!?()\[\]{}"'<>\/\\|«»—–…·*#=+&%@~^`$]+/;
  var JOINERS = /[._-]+/;
  var EDGES = /^[._-]+|[._-]+$/g;
  var MAX_GROUPS = 30;       // pages in one answer (Material shows 10, then more on scrolling)
  var MAX_SECTIONS = 6;      // sections of one page
  var SNIPPET = 320;         // characters of text shown per entry

  var index = null;
  var docs = null;
  var pages = null;   // page location -> its own entry (the article)
  var setup = false;

  function tokens(text) {
    var out = [];
    String(text).toLowerCase().split(SPLIT).forEach(function (word) {
      word = word.replace(EDGES, "");
      if (!word) return;
      out.push(word);
      if (JOINERS.test(word))
        word.split(JOINERS).forEach(function (part) { if (part) out.push(part); });
    });
    return out;
  }

  function load(text) {
    var data = JSON.parse(text);
    docs = data.docs;
    pages = {};
    docs.forEach(function (doc, i) {
      var page = doc.location.split("#")[0];
      if (!(page in pages)) pages[page] = i;
    });
    index = lunr.Index.load(data.index);
    ready();
  }

  function ready() {
    if (index && setup) postMessage({type: 1});
  }

  function escapeRegExp(text) {
    return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }

  // <mark> around the query's words in the text runs of escaped HTML (tags and entities kept whole).
  function marker(words) {
    if (!words.length) return function (html) { return html; };
    var match = new RegExp("(" + words.map(escapeRegExp).join("|") + ")", "gi");
    return function (html) {
      return String(html).split(/(<[^>]*>|&[#A-Za-z0-9]+;)/).map(function (piece, i) {
        return i % 2 ? piece : piece.replace(match, "<mark data-md-highlight>$1</mark>");
      }).join("");
    };
  }

  // Escaped HTML -> escaped text of at most SNIPPET characters (tags dropped, entities whole).
  function snippet(html) {
    var text = String(html).replace(/<[^>]*>/g, " ").replace(/[<>]/g, function (c) {
      return c === "<" ? "&lt;" : "&gt;";
    }).replace(/\s+/g, " ").trim();
    if (text.length <= SNIPPET) return text;
    var cut = text.slice(0, SNIPPET);
    if (cut.lastIndexOf("&") > cut.lastIndexOf(";")) cut = cut.slice(0, cut.lastIndexOf("&"));
    return cut + " …";
  }

  function search(query) {
    var words = [];
    var clauses = [];
    String(query).toLowerCase().split(/\s+/).forEach(function (w) {
      var t = tokens(w);
      if (!t.length) return;
      words.push(t[0]);
      // The word whole ("cp-dc-loss": the index has it whole as well as in parts) and its
      // completions. Its parts are not asked for: "bcp-0" would match every record naming any
      // BCP-... . One letter is not completed (every word starting with "b"): the next key narrows.
      clauses.push({term: t[0], boost: 10});
      if (t[0].length > 1) clauses.push({term: t[0], boost: 2, wildcard: lunr.Query.wildcard.TRAILING});
    });
    if (!clauses.length) return {items: []};
    var hits = index.query(function (q) {
      clauses.forEach(function (c) {
        q.term(c.term, {usePipeline: false, boost: c.boost, wildcard: c.wildcard || lunr.Query.wildcard.NONE});
      });
    });
    var mark = marker(words);
    var groups = {};
    var order = [];
    hits.forEach(function (hit) {
      var doc = docs[+hit.ref];
      var found = Object.keys(hit.matchData.metadata);
      var matched = {};
      words.forEach(function (w) {
        matched[w] = found.some(function (f) { return f.indexOf(w) === 0 || w.indexOf(f) === 0; });
      });
      var share = words.filter(function (w) { return matched[w]; }).length / Math.max(1, words.length);
      var article = doc.location.indexOf("#") < 0;
      var boost = (article ? 1 : 0) + share;
      var page = doc.location.split("#")[0];
      if (!(page in groups)) { groups[page] = []; order.push(page); }
      groups[page].push({location: doc.location, title: doc.title, text: doc.text, tags: doc.tags,
                         score: hit.score * (1 + boost * boost), terms: matched});
    });
    var items = order.map(function (page) {
      var group = groups[page].sort(function (a, b) { return b.score - a.score; }).slice(0, MAX_SECTIONS);
      if (!group.some(function (item) { return item.location === page; }) && page in pages) {
        var own = docs[pages[page]];
        group.push({location: own.location, title: own.title, text: own.text, tags: own.tags, score: 0, terms: {}});
      }
      return group;
    }).sort(function (a, b) { return b[0].score - a[0].score; }).slice(0, MAX_GROUPS);
    items.forEach(function (group) {
      group.forEach(function (item) {
        item.title = mark(item.title);
        item.text = mark(snippet(item.text));
        if (!item.tags) delete item.tags;
      });
    });
    return {items: items};
  }

  self.addEventListener("message", function (ev) {
    var message = ev.data || {};
    switch (message.type) {
      case "clause8:index":
        load(message.data);
        break;
      case 0:  // SETUP: Material's documents are not needed, the index came ready-made
        setup = true;
        ready();
        break;
      case 2:  // QUERY
        var result;
        try {
          result = search(message.data);
        } catch (err) {
          result = {items: []};
        }
        postMessage({type: 3, data: result});
        break;
    }
  });
})();
