// Small progressive enhancements; every page works without this file.
(function () {
  "use strict";

  function focusErrorSummary(root) {
    // Screen reader and keyboard users hear what to fix first (GOV.UK's error summary pattern).
    var summary = root.querySelector(".error-summary");
    if (summary) summary.focus();
  }

  document.addEventListener("DOMContentLoaded", function () {
    focusErrorSummary(document);
  });

  // After an htmx swap that brings an error summary, focus it too.
  document.addEventListener("htmx:afterSwap", function (event) {
    focusErrorSummary(event.detail.target);
  });

  // The narrow-screen menu closes with Escape (focus returns to its button) or a click outside.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    document.querySelectorAll("details.menu[open]").forEach(function (menu) {
      menu.removeAttribute("open");
      menu.querySelector("summary").focus();
    });
  });
  document.addEventListener("click", function (event) {
    document.querySelectorAll("details.menu[open]").forEach(function (menu) {
      if (!menu.contains(event.target)) menu.removeAttribute("open");
    });
  });
})();
