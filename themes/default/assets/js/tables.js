// Tables: sortable columns and the status filter on the plans page.

function sortable() {
  document.querySelectorAll("table.sortable").forEach(function (table) {
    var heads = table.querySelectorAll("thead th[data-sort]");
    heads.forEach(function (th) {
      var index = Array.prototype.indexOf.call(th.parentNode.children, th);
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = th.textContent;
      th.textContent = "";
      th.appendChild(button);
      button.addEventListener("click", function () {
        var asc = th.getAttribute("aria-sort") !== "ascending";
        heads.forEach(function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", asc ? "ascending" : "descending");
        var numeric = th.getAttribute("data-sort") === "number";
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        var key = function (row) {
          var cell = row.children[index];
          var v = cell ? (cell.getAttribute("data-value") || cell.textContent).trim() : "";
          return numeric ? (v === "" ? Infinity : parseFloat(v)) : v.toLowerCase();
        };
        rows.sort(function (a, b) {
          var x = key(a), y = key(b);
          var r = x < y ? -1 : x > y ? 1 : 0;
          return asc ? r : -r;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  });
}

function filters() {
  var nav = document.querySelector(".filters");
  if (!nav) return;
  var links = nav.querySelectorAll("[data-filter]");
  var groups = document.querySelectorAll(".plan-group");
  function show(state) {
    links.forEach(function (a) {
      a.setAttribute("aria-current", a.getAttribute("data-filter") === state ? "true" : "false");
    });
    groups.forEach(function (g) {
      g.hidden = state !== "all" && g.getAttribute("data-state") !== state;
    });
  }
  links.forEach(function (a) {
    a.addEventListener("click", function (e) {
      e.preventDefault();
      var state = a.getAttribute("data-filter");
      show(state);
      history.replaceState(null, "", "#" + state);
    });
  });
  var initial = location.hash.slice(1);
  if (/^[a-z-]+$/.test(initial) && nav.querySelector('[data-filter="' + initial + '"]')) show(initial);
}
