// The decision timeline's filters.

// Timeline: filter decisions by plan status, author and year, instantly; the choice is kept
// in the URL (?state=active&author=agent) so a filtered timeline can be shared.
function timelineFilters() {
  var form = document.querySelector("[data-filters]");
  if (!form) return;
  form.hidden = false;
  var selects = form.querySelectorAll("select[data-filter-key]");
  var entries = document.querySelectorAll("li.decision[data-state]");
  var months = document.querySelectorAll("section.month");
  var out = form.querySelector("[data-filter-count]");
  var params = new URLSearchParams(location.search);
  selects.forEach(function (s) {
    var v = params.get(s.getAttribute("data-filter-key"));
    if (v !== null) s.value = v;
  });
  function apply() {
    var want = {};
    var query = new URLSearchParams();
    selects.forEach(function (s) {
      var key = s.getAttribute("data-filter-key");
      if (s.value) { want[key] = s.value; query.set(key, s.value); }
    });
    var shown = 0;
    entries.forEach(function (li) {
      var ok = Object.keys(want).every(function (k) { return li.getAttribute("data-" + k) === want[k]; });
      li.hidden = !ok;
      if (ok) shown++;
    });
    months.forEach(function (m) {
      m.hidden = m.querySelectorAll("li.decision:not([hidden])").length === 0;
    });
    out.textContent = shown + " of " + entries.length + " decisions on this page";
    var qs = query.toString();
    history.replaceState(null, "", location.pathname + (qs ? "?" + qs : "") + location.hash);
  }
  selects.forEach(function (s) { s.addEventListener("change", apply); });
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  apply();
}
