(function () {
  "use strict";
  var bar = document.getElementById("filters");
  var failedOnly = document.getElementById("failed-only");
  var text = document.getElementById("filter-text");
  var tag = document.getElementById("filter-tag");
  var rule = document.getElementById("filter-rule");
  var rows = Array.prototype.slice.call(document.querySelectorAll("#matrix tbody tr"));
  var count = document.getElementById("filter-count");
  var scenarios = Array.prototype.slice.call(document.querySelectorAll("details.scenario"));
  if (!bar || scenarios.length === 0) {
    return;
  }
  bar.hidden = false;
  function apply() {
    var query = text.value.trim().toLowerCase();
    var wantTag = tag.value ? "\n" + tag.value + "\n" : "";
    var wantRule = rule.value ? "\n" + rule.value + "\n" : "";
    var shown = 0;
    scenarios.forEach(function (s) {
      var bad = s.dataset.verdict === "failed" || s.dataset.verdict === "error";
      var visible = (!failedOnly.checked || bad) &&
        s.dataset.search.indexOf(query) !== -1 &&
        s.dataset.tags.indexOf(wantTag) !== -1 &&
        s.dataset.rules.indexOf(wantRule) !== -1;
      s.hidden = !visible;
      shown += visible ? 1 : 0;
    });
    rows.forEach(function (r) {
      var bad = r.dataset.verdict === "failed" || r.dataset.verdict === "error";
      r.hidden = (failedOnly.checked && !bad) || (rule.value !== "" && r.dataset.rule !== rule.value);
    });
    count.textContent = shown + " of " + scenarios.length + " scenarios shown";
  }
  // Filters can be preset from the address: index.html#failed&tag=oidc&rule=B-01&q=token
  location.hash.replace(/^#/, "").split("&").forEach(function (part) {
    var eq = part.indexOf("=");
    var key = decodeURIComponent(eq === -1 ? part : part.slice(0, eq));
    var value = eq === -1 ? "" : decodeURIComponent(part.slice(eq + 1));
    if (key === "failed") { failedOnly.checked = true; }
    if (key === "tag") { tag.value = value; }
    if (key === "rule") { rule.value = value; }
    if (key === "q") { text.value = value; }
  });
  failedOnly.addEventListener("change", apply);
  text.addEventListener("input", apply);
  tag.addEventListener("change", apply);
  rule.addEventListener("change", apply);
  apply();
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details:not([open])").forEach(function (d) {
      d.setAttribute("data-print-opened", "");
      d.open = true;
    });
  });
  window.addEventListener("afterprint", function () {
    document.querySelectorAll("details[data-print-opened]").forEach(function (d) {
      d.removeAttribute("data-print-opened");
      d.open = false;
    });
  });
})();
