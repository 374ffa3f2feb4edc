// The desk's one script: countdowns that tick with the demo clock, and
// filters that apply when changed. Every page works without it.
(function () {
  "use strict";
  var body = document.body;
  var pageNow = Number(body.dataset.now);
  var running = body.dataset.running === "true";
  var en = body.dataset.lang === "en";
  var loaded = Date.now();

  function now() { return running ? pageNow + (Date.now() - loaded) : pageNow; }

  // span says a duration in its two largest units, as the server does.
  function span(ms) {
    var s = Math.floor(ms / 1000);
    var d = Math.floor(s / 86400), h = Math.floor(s / 3600) % 24, m = Math.floor(s / 60) % 60, sec = s % 60;
    var u = en ? ["d", "h", "m", "s"] : ["天", "小时", "分", "秒"];
    function two(n) { return n < 10 ? "0" + n : String(n); }
    if (d > 0) return d + u[0] + " " + h + u[1];
    if (h > 0) return h + u[1] + " " + two(m) + u[2];
    return m + u[2] + " " + two(sec) + u[3];
  }

  function left(due, at) {
    var d = due - at, over = d < 0;
    var s = span(Math.abs(d));
    if (en) return s + (over ? " overdue" : " left");
    return (over ? "超时 " : "剩 ") + s;
  }

  function pad(n) { return n < 10 ? "0" + n : String(n); }
  // The clock shows UTC+8, the desk's zone, whatever the browser's.
  function clockText(ms) {
    var t = new Date(ms + 8 * 3600 * 1000);
    return t.getUTCFullYear() + "-" + pad(t.getUTCMonth() + 1) + "-" + pad(t.getUTCDate()) + " " +
      pad(t.getUTCHours()) + ":" + pad(t.getUTCMinutes()) + ":" + pad(t.getUTCSeconds());
  }

  function tick() {
    var at = now();
    var clock = document.getElementById("clock");
    if (clock) clock.textContent = clockText(at);
    var els = document.querySelectorAll(".countdown[data-due]");
    for (var i = 0; i < els.length; i++) {
      var due = Number(els[i].dataset.due), d = due - at;
      els[i].textContent = left(due, at);
      els[i].className = "countdown " + (d <= 0 ? "u-over" : d <= 86400000 ? "u-soon" : "u-later");
    }
  }
  if (running) setInterval(tick, 1000);

  var filters = document.querySelector("form.filters");
  if (filters) {
    // Checkboxes apply at once; the kind list waits for the button, so
    // moving through it with the arrow keys does not reload the page.
    filters.addEventListener("change", function (e) {
      if (e.target.type === "checkbox") filters.submit();
    });
  }
})();
