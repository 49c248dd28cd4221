// Dates: relative ages ("12 days ago") computed now rather than at build time, and the
// "completed in <quarter>" count for today's quarter.

var DAY = 24 * 60 * 60 * 1000;

function parseDate(s) {
  var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s || "");
  return m ? Date.UTC(+m[1], +m[2] - 1, +m[3]) : NaN;
}

function today() {
  var d = new Date();
  return Date.UTC(d.getFullYear(), d.getMonth(), d.getDate());
}

function ages() {
  var now = today();
  document.querySelectorAll("[data-age-from]").forEach(function (el) {
    var t = parseDate(el.getAttribute("data-age-from"));
    if (isNaN(t)) return;
    var days = Math.round((now - t) / DAY);
    if (days < 0) return;
    el.textContent = "(" + (days === 0 ? "today" : days === 1 ? "1 day ago" : days + " days ago") + ")";
  });
}

function quarter() {
  var stat = document.querySelector("[data-quarter-stat]");
  if (!stat) return;
  var d = new Date();
  var year = d.getFullYear();
  var q = Math.floor(d.getMonth() / 3) + 1;
  var from = Date.UTC(year, (q - 1) * 3, 1);
  var to = Date.UTC(year, q * 3, 1);
  var count = 0;
  document.querySelectorAll("[data-completed]").forEach(function (row) {
    var t = parseDate(row.getAttribute("data-completed"));
    if (t >= from && t < to) count++;
  });
  stat.querySelector("[data-quarter-count]").textContent = String(count);
  stat.querySelector("[data-quarter-label]").textContent = year + " Q" + q;
}
