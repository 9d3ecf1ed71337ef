// Small progressive enhancements; every page works without this file.
(function () {
  "use strict";
  // Move focus to the error summary so screen reader and keyboard users hear it first.
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.getElementById("error-summary");
    if (summary) summary.focus();
    // The language switcher submits on change; its button stays for no-JS use.
    var select = document.getElementById("language-select");
    if (select) select.addEventListener("change", function () { select.form.submit(); });
  });
  // After an htmx swap that brings an error summary, focus it too.
  document.addEventListener("htmx:afterSwap", function (event) {
    var summary = event.detail.target.querySelector("#error-summary");
    if (summary) summary.focus();
  });
})();
