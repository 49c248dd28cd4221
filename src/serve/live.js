// planbook preview: reloads the page after each rebuild and shows the diagnostics of a file
// that cannot be read over the page. Served only by `planbook build --watch`, never built.
(function () {
  "use strict";
  var overlay = null;
  function show(text) {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "planbook-problems";
      overlay.setAttribute("role", "alert");
      var s = overlay.style;
      s.position = "fixed"; s.left = "1rem"; s.right = "1rem"; s.bottom = "1rem"; s.zIndex = "2147483647";
      s.maxHeight = "60vh"; s.overflow = "auto"; s.padding = "1rem 1.2rem"; s.borderRadius = "8px";
      s.background = "#1d2127"; s.color = "#f5f6f8"; s.boxShadow = "0 6px 24px rgba(0,0,0,.35)";
      s.font = "13px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace";
      var close = document.createElement("button");
      close.type = "button";
      close.textContent = "×";
      close.setAttribute("aria-label", "Dismiss");
      close.style.float = "right"; close.style.font = "inherit"; close.style.fontSize = "18px";
      close.style.background = "none"; close.style.border = "0"; close.style.color = "inherit"; close.style.cursor = "pointer";
      close.addEventListener("click", function () { overlay.hidden = true; });
      var title = document.createElement("strong");
      title.textContent = "planbook: the last change could not be read; the site shows the last good version";
      var pre = document.createElement("pre");
      pre.style.whiteSpace = "pre-wrap"; pre.style.margin = ".6rem 0 0";
      overlay.appendChild(close);
      overlay.appendChild(title);
      overlay.appendChild(pre);
      document.body.appendChild(overlay);
    }
    overlay.querySelector("pre").textContent = text;
    overlay.hidden = false;
  }
  var events = new EventSource("/__planbook/events");
  // Says the page is listening (tools and tests wait for it rather than for a while).
  events.addEventListener("open", function () { document.documentElement.setAttribute("data-planbook-live", "open"); });
  events.addEventListener("reload", function () { location.reload(); });
  // Only the pages that changed reload (a folder URL is its index.html).
  function page(path) { return path.replace(/\/index\.html$/, "/"); }
  events.addEventListener("changed", function (e) {
    var here = page(decodeURIComponent(location.pathname));
    var pages = JSON.parse(e.data).pages;
    for (var i = 0; i < pages.length; i++) {
      if (page(pages[i]) === here) { location.reload(); return; }
    }
  });
  events.addEventListener("problems", function (e) { show(JSON.parse(e.data).text); });
})();
