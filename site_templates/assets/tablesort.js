// Tables of the article: sortable by a button in each column header, laid out as stacked cards on
// narrow screens (clause8.css). The project's own small script, so it works offline with no
// third-party code.
//
// - Each header gets a real <button> (its name is the column's name; the tooltip and the words for
//   the sort state come from data attributes of the footer mark, so they follow the site's
//   language); the sorted column's <th> carries aria-sort.
// - Numbers sort as numbers, decimals and units included (4.25 < 4.3 < 4.5; 30 minutes < 4 hours);
//   ISO dates as dates; empty cells ("—") stay last either way.
// - A closing totals row (first cell bold only, e.g. "**Total**" or "**Σ**") moves into a <tfoot>
//   and is never sorted with the data.
// - Each data cell gets data-label (its column's name), shown before the value when rows stack.
(function () {
  "use strict";
  var MINUTES = { min: 1, mins: 1, minute: 1, minutes: 1, menit: 1, h: 60, hr: 60, hrs: 60, hour: 60,
    hours: 60, jam: 60, d: 1440, day: 1440, days: 1440, hari: 1440 };
  var EMPTY = /^(—|-|–|)$/;
  var ISO_DATE = /^\d{4}-\d{2}(-\d{2})?([ T]\d{2}:\d{2})?/;
  var NUMBER = /^([-+]?\d+(?:[.,]\d+)?)\s*(%|[A-Za-z]+)?/;

  function labels() {
    var mark = document.getElementById("clause8-built");
    function get(name, fallback) { return (mark && mark.getAttribute(name)) || fallback; }
    return {
      title: get("data-sort-title", "Sort by {column}"),
      ascending: get("data-sort-ascending", "sorted ascending"),
      descending: get("data-sort-descending", "sorted descending")
    };
  }

  function cellText(row, i) {
    var cell = row.cells[i];
    return cell ? cell.textContent.replace(/\s+/g, " ").trim() : "";
  }

  // A sort key: [0, number] for numbers (time units in minutes), [1, text] for dates and text.
  function key(text) {
    if (ISO_DATE.test(text)) return [1, text];
    var m = NUMBER.exec(text);
    if (m) {
      var value = parseFloat(m[1].replace(",", "."));
      var unit = (m[2] || "").toLowerCase();
      if (Object.prototype.hasOwnProperty.call(MINUTES, unit)) value *= MINUTES[unit];
      return [0, value, text];
    }
    return [1, text];
  }

  function compare(a, b) {
    var ea = EMPTY.test(a), eb = EMPTY.test(b);
    if (ea || eb) return 0;  // handled by the caller: empties stay last
    var ka = key(a), kb = key(b);
    if (ka[0] !== kb[0]) return ka[0] - kb[0];  // numbers before text
    if (ka[0] === 0 && ka[1] !== kb[1]) return ka[1] - kb[1];
    return a.localeCompare(b, document.documentElement.lang || undefined, { numeric: true, sensitivity: "base" });
  }

  // A closing totals row: its first cell holds nothing but bold text.
  function isTotals(row) {
    var first = row.cells[0];
    if (!first || first.children.length !== 1) return false;
    var only = first.children[0];
    return (only.tagName === "STRONG" || only.tagName === "B") && only.textContent.trim() === first.textContent.trim();
  }

  function makeSortable(table, words) {
    if (!table.tHead || !table.tBodies.length || table.hasAttribute("data-clause8-table")) return;
    table.setAttribute("data-clause8-table", "");
    var body = table.tBodies[0];
    var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
    var last = body.rows[body.rows.length - 1];
    if (body.rows.length > 2 && isTotals(last)) {
      var foot = table.createTFoot();
      foot.appendChild(last);
    }
    Array.prototype.forEach.call(table.rows, function (row) {
      if (row.parentNode === table.tHead) return;
      Array.prototype.forEach.call(row.cells, function (cell, i) {
        if (heads[i]) cell.setAttribute("data-label", heads[i].textContent.trim());
      });
    });
    if (heads.length > 3) table.setAttribute("data-clause8-stack", "");
    if (body.rows.length < 2) return;
    heads.forEach(function (th, i) {
      var name = th.textContent.trim();
      var button = document.createElement("button");
      button.type = "button";
      button.className = "clause8-sort";
      button.title = words.title.replace("{column}", name);
      while (th.firstChild) button.appendChild(th.firstChild);
      var mark = document.createElement("span");
      mark.className = "clause8-sort__mark";
      mark.setAttribute("aria-hidden", "true");
      button.appendChild(mark);
      th.appendChild(button);
      button.addEventListener("click", function () {
        var dir = th.getAttribute("aria-sort") === "ascending" ? -1 : 1;
        var rows = Array.prototype.slice.call(body.rows);
        var indexed = rows.map(function (row, n) { return { row: row, text: cellText(row, i), n: n }; });
        indexed.sort(function (x, y) {
          var ex = EMPTY.test(x.text), ey = EMPTY.test(y.text);
          if (ex !== ey) return ex ? 1 : -1;
          return dir * compare(x.text, y.text) || x.n - y.n;
        });
        heads.forEach(function (other) {
          other.removeAttribute("aria-sort");
          var b = other.querySelector("button.clause8-sort");
          if (b) b.title = words.title.replace("{column}", other.textContent.trim());
        });
        th.setAttribute("aria-sort", dir === 1 ? "ascending" : "descending");
        button.title = words.title.replace("{column}", name) + " (" + (dir === 1 ? words.ascending : words.descending) + ")";
        indexed.forEach(function (item) { body.appendChild(item.row); });
      });
    });
  }

  function init() {
    var words = labels();
    document.querySelectorAll("article table").forEach(function (table) { makeSortable(table, words); });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
