// Warn when this copy of the site is old: people must know they may be reading an outdated plan.
// The build time and the age limit come from the page footer (data-built, data-max-age-days).
(function () {
  "use strict";
  function check() {
    var mark = document.getElementById("clause8-built");
    if (!mark) return;
    var built = Number(mark.getAttribute("data-built")) * 1000;
    var maxDays = Number(mark.getAttribute("data-max-age-days") || "30");
    var ageDays = Math.floor((Date.now() - built) / 86400000);
    if (!(ageDays > maxDays)) return;
    var banner = document.createElement("div");
    banner.id = "clause8-stale";
    banner.setAttribute("role", "alert");
    banner.className = "admonition warning";
    var title = document.createElement("p");
    title.className = "admonition-title";
    title.textContent = mark.getAttribute("data-stale-title") || "Outdated copy";
    var text = document.createElement("p");
    text.textContent = (mark.getAttribute("data-stale-text") || "This copy was made {days} days ago.")
      .replace("{days}", String(ageDays));
    banner.appendChild(title);
    banner.appendChild(text);
    var article = document.querySelector("article") || document.body;
    article.insertBefore(banner, article.firstChild);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", check);
  else check();
})();
