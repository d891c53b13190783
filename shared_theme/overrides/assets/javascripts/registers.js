// The Văn bản filter: narrows the register's rows by year, type and issuing body. Without
// JavaScript the form stays hidden and the table is the whole list, newest first.
(function () {
  "use strict";
  function matches(row, form) {
    return ["year", "type", "body"].every(function (name) {
      var wanted = form.elements[name].value;
      return !wanted || row.getAttribute("data-" + name) === wanted;
    });
  }
  function enhance(form) {
    var table = document.getElementById(form.getAttribute("data-tt-filter"));
    if (!table || !table.tBodies.length) return;
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var count = form.querySelector(".tt-filter__count");
    function apply() {
      var shown = 0;
      rows.forEach(function (row) {
        row.hidden = !matches(row, form);
        if (!row.hidden) shown += 1;
      });
      count.textContent = shown === rows.length
        ? "Đang hiện tất cả " + rows.length + " văn bản."
        : "Đang hiện " + shown + "/" + rows.length + " văn bản.";
    }
    form.addEventListener("change", apply);
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    apply();
  }
  // Loaded right after the form, not deferred: the form shows before the first paint, so the
  // list below it never moves (no layout shift); the rows are wired once they are all parsed.
  var forms = document.querySelectorAll("form[data-tt-filter]");
  Array.prototype.forEach.call(forms, function (form) { form.hidden = false; });
  function enhanceAll() { Array.prototype.forEach.call(forms, enhance); }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", enhanceAll, { once: true });
  } else {
    enhanceAll();
  }
})();
