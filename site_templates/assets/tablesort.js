// Sortable tables: click a column header to sort by it (click again to reverse).
// The project's own small script, so sorting works offline with no third-party code.
(function () {
  "use strict";
  function cellText(row, i) {
    var cell = row.cells[i];
    return cell ? cell.textContent.trim() : "";
  }
  function compare(a, b) {
    var na = parseFloat(a.replace(/[^0-9.+-]/g, "")), nb = parseFloat(b.replace(/[^0-9.+-]/g, ""));
    if (/^[-+]?[0-9.,]+\s*%?$/.test(a) && /^[-+]?[0-9.,]+\s*%?$/.test(b) && !isNaN(na) && !isNaN(nb)) {
      return na - nb;
    }
    return a.localeCompare(b, undefined, { numeric: true, sensitivity: "base" });
  }
  function makeSortable(table) {
    if (!table.tHead || table.dataset.sortable) return;
    table.dataset.sortable = "1";
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, i) {
      th.setAttribute("role", "button");
      th.setAttribute("tabindex", "0");
      th.title = "Sort";
      function sort() {
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        var dir = th.getAttribute("aria-sort") === "ascending" ? -1 : 1;
        rows.sort(function (x, y) { return dir * compare(cellText(x, i), cellText(y, i)); });
        Array.prototype.forEach.call(table.tHead.rows[0].cells, function (c) { c.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", dir === 1 ? "ascending" : "descending");
        rows.forEach(function (r) { body.appendChild(r); });
      }
      th.addEventListener("click", sort);
      th.addEventListener("keydown", function (e) { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sort(); } });
    });
  }
  function init() {
    document.querySelectorAll("article table").forEach(makeSortable);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
