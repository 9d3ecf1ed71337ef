// The partnership map: zoom and pan by changing the SVG's viewBox, and highlight the ties of
// the organization in focus. The page works without this file (links and the table).
(function () {
  "use strict";
  var svg = document.getElementById("network-graph");
  if (!svg) { return; }
  var width = parseFloat(svg.getAttribute("data-width"));
  var height = parseFloat(svg.getAttribute("data-height"));
  var view = { x: 0, y: 0, w: width, h: height };
  var MIN_W = width / 12, MAX_W = width * 1.5;

  function apply() {
    svg.setAttribute("viewBox", [view.x, view.y, view.w, view.h].map(function (n) {
      return n.toFixed(1);
    }).join(" "));
  }

  function zoom(factor, cx, cy) {
    var w = Math.min(MAX_W, Math.max(MIN_W, view.w * factor));
    var f = w / view.w;
    if (cx === undefined) { cx = view.x + view.w / 2; cy = view.y + view.h / 2; }
    view.x = cx - (cx - view.x) * f;
    view.y = cy - (cy - view.y) * f;
    view.w = w;
    view.h = view.h * f;
    apply();
  }

  function reset() { view = { x: 0, y: 0, w: width, h: height }; apply(); }

  function toGraph(clientX, clientY) {
    var box = svg.getBoundingClientRect();
    var scale = Math.max(view.w / box.width, view.h / box.height);
    var offsetX = (box.width * scale - view.w) / 2, offsetY = (box.height * scale - view.h) / 2;
    return {
      x: view.x + (clientX - box.left) * scale - offsetX,
      y: view.y + (clientY - box.top) * scale - offsetY,
      scale: scale
    };
  }

  var controls = document.querySelector(".graph-controls");
  if (controls) {
    controls.hidden = false;
    controls.addEventListener("click", function (event) {
      var action = event.target.getAttribute("data-graph-zoom");
      if (action === "in") { zoom(0.7); }
      else if (action === "out") { zoom(1 / 0.7); }
      else if (action === "reset") { reset(); }
    });
  }

  svg.addEventListener("wheel", function (event) {
    event.preventDefault();
    var p = toGraph(event.clientX, event.clientY);
    zoom(event.deltaY < 0 ? 0.85 : 1 / 0.85, p.x, p.y);
  }, { passive: false });

  var drag = null;
  svg.addEventListener("pointerdown", function (event) {
    if (event.button !== 0) { return; }
    drag = { x: event.clientX, y: event.clientY, vx: view.x, vy: view.y, moved: false, id: event.pointerId };
  });
  svg.addEventListener("pointermove", function (event) {
    if (!drag) { return; }
    var dx = event.clientX - drag.x, dy = event.clientY - drag.y;
    if (!drag.moved && Math.abs(dx) + Math.abs(dy) < 4) { return; }
    if (!drag.moved) { drag.moved = true; svg.setPointerCapture(drag.id); svg.classList.add("dragging"); }
    var scale = toGraph(0, 0).scale;
    view.x = drag.vx - dx * scale;
    view.y = drag.vy - dy * scale;
    apply();
  });
  function endDrag() {
    if (drag && drag.moved) {
      svg.classList.remove("dragging");
      // A drag is not a click on the organization under the pointer.
      svg.addEventListener("click", function stop(e) { e.preventDefault(); svg.removeEventListener("click", stop, true); }, true);
    }
    drag = null;
  }
  svg.addEventListener("pointerup", endDrag);
  svg.addEventListener("pointercancel", endDrag);

  svg.addEventListener("keydown", function (event) {
    var step = view.w / 10, handled = true;
    if (event.key === "+" || event.key === "=") { zoom(0.8); }
    else if (event.key === "-" || event.key === "_") { zoom(1 / 0.8); }
    else if (event.key === "0") { reset(); }
    else if (event.key === "ArrowLeft" && event.target === svg) { view.x -= step; apply(); }
    else if (event.key === "ArrowRight" && event.target === svg) { view.x += step; apply(); }
    else if (event.key === "ArrowUp" && event.target === svg) { view.y -= step; apply(); }
    else if (event.key === "ArrowDown" && event.target === svg) { view.y += step; apply(); }
    else { handled = false; }
    if (handled) { event.preventDefault(); }
  });

  // Highlight the ties of the organization under the pointer or in keyboard focus.
  var lines = svg.querySelectorAll(".graph-edges line");
  function highlight(id) {
    svg.classList.toggle("focused", Boolean(id));
    for (var i = 0; i < lines.length; i++) {
      var near = id && (lines[i].getAttribute("data-a") === id || lines[i].getAttribute("data-b") === id);
      lines[i].classList.toggle("near", Boolean(near));
    }
  }
  function nodeId(target) {
    var node = target.closest ? target.closest(".graph-node") : null;
    return node ? node.getAttribute("data-id") : null;
  }
  svg.addEventListener("focusin", function (event) { highlight(nodeId(event.target)); });
  svg.addEventListener("focusout", function () { highlight(null); });
  svg.addEventListener("pointerover", function (event) { if (!drag) { highlight(nodeId(event.target)); } });
  svg.addEventListener("pointerleave", function () { highlight(null); });
})();
