// Opening a collapsed section a link targets, and starting everything.

function openTarget() {
  var id = decodeURIComponent(location.hash.slice(1));
  if (!id) return;
  var el = document.getElementById(id);
  for (var p = el; p; p = p.parentElement) {
    if (p.tagName === "DETAILS") p.open = true;
  }
}

function init() {
  ages();
  quarter();
  sortable();
  filters();
  timelineFilters();
  searchPage(siteSearch());
  openTarget();
  window.addEventListener("hashchange", openTarget);
}

// The client's tokenizer, for themes and for the tests that check it against the index's.
window.planbook = { tokenize: tokenize };

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
else init();
