// Progressive enhancement for instrument forms: hide questions that earlier answers make
// irrelevant (the definition's enableWhen). The server applies the same rules and ignores
// answers to hidden questions, so the form works without this file.
(function () {
  "use strict";
  function value(form, name) {
    var checked = form.querySelectorAll("[name='" + name + "']:checked");
    if (checked.length) return checked[0].value;
    var field = form.querySelector("[name='" + name + "']:not([type=radio]):not([type=checkbox])");
    return field && field.value !== "" ? field.value : null;
  }
  function test(actual, operator, expected) {
    if (operator === "exists") return (actual !== null) === (expected !== false);
    if (actual === null) return false;
    if (typeof expected === "boolean") expected = expected ? "true" : "false";
    var a = parseFloat(actual), e = parseFloat(expected);
    var numeric = !isNaN(a) && !isNaN(e);
    switch (operator) {
      case "=": return numeric ? a === e : String(actual) === String(expected);
      case "!=": return numeric ? a !== e : String(actual) !== String(expected);
      case ">": return numeric && a > e;
      case "<": return numeric && a < e;
      case ">=": return numeric && a >= e;
      case "<=": return numeric && a <= e;
    }
    return true;
  }
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector(".observe-form");
    if (!form) return;
    var blocks = form.querySelectorAll("[data-enable-when]");
    function update() {
      blocks.forEach(function (block) {
        var rule = JSON.parse(block.getAttribute("data-enable-when"));
        var results = rule.conditions.map(function (c) {
          return test(value(form, c.question), c.operator, c.answer);
        });
        var shown = rule.behavior === "any" ? results.some(Boolean) : results.every(Boolean);
        block.hidden = !shown;
      });
    }
    form.addEventListener("change", update);
    update();
  });
})();
