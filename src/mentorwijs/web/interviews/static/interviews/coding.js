/* Coding a transcript with the mouse or the keyboard. Without this script the coding form
   still works: type the numbers of the first and last sentence. With it, the transcript is a
   multi-select list of sentences: a mouse selection, a click (Shift+click extends) or the
   keys below fill in those numbers, and Enter or C moves to the code chooser.

   Keys in the transcript: Down/Up next/previous sentence (Shift extends), Page Down/Up ten
   sentences, Home/End first/last, Enter or C to the code chooser; Esc in the chooser returns. */
(function () {
  "use strict";
  var list = document.getElementById("transcript");
  var form = document.getElementById("coding-form");
  if (!list || !form) { return; }
  var first = form.querySelector("input[name=first]");
  var last = form.querySelector("input[name=last]");
  var status = document.getElementById("selection-status");
  var filter = document.getElementById("code-filter");
  var options = Array.prototype.slice.call(list.querySelectorAll("[role=option]"));
  var count = options.length;
  if (!count) { return; }
  var anchor = 1;
  var active = 1;

  Array.prototype.forEach.call(form.querySelectorAll(".js-only"), function (el) {
    el.hidden = false;
  });

  function clamp(n) { return Math.max(1, Math.min(count, n)); }

  function show(a, b, f, scroll) {
    anchor = clamp(a);
    active = clamp(f);
    var lo = Math.min(anchor, clamp(b)), hi = Math.max(anchor, clamp(b));
    options.forEach(function (el, i) {
      var on = i + 1 >= lo && i + 1 <= hi;
      el.setAttribute("aria-selected", on ? "true" : "false");
      el.classList.toggle("active", i + 1 === active);
    });
    list.setAttribute("aria-activedescendant", "s" + active);
    first.value = lo;
    last.value = hi;
    var text = lo === hi ? form.getAttribute("data-one") : form.getAttribute("data-range");
    status.textContent = text.replace("__A__", lo).replace("__B__", hi);
    if (scroll) { options[active - 1].scrollIntoView({ block: "nearest" }); }
  }

  function move(to, extend) {
    to = clamp(to);
    if (extend) { show(anchor, to, to, true); } else { show(to, to, to, true); }
  }

  function toChooser() {
    var target = filter && !filter.hidden ? filter : form.querySelector("input[name=codes]");
    if (target) { target.focus(); }
  }

  list.addEventListener("keydown", function (event) {
    var key = event.key;
    var handled = true;
    if (key === "ArrowDown") { move(active + 1, event.shiftKey); }
    else if (key === "ArrowUp") { move(active - 1, event.shiftKey); }
    else if (key === "PageDown") { move(active + 10, event.shiftKey); }
    else if (key === "PageUp") { move(active - 10, event.shiftKey); }
    else if (key === "Home") { move(1, event.shiftKey); }
    else if (key === "End") { move(count, event.shiftKey); }
    else if (key === "Enter" || key === "c" || key === "C") { toChooser(); }
    else { handled = false; }
    if (handled) { event.preventDefault(); }
  });

  function optionOf(node) {
    var el = node && (node.nodeType === 1 ? node : node.parentElement);
    return el ? el.closest("[role=option]") : null;
  }

  list.addEventListener("mouseup", function (event) {
    var sel = window.getSelection();
    if (sel && !sel.isCollapsed && sel.rangeCount) {
      var a = optionOf(sel.anchorNode), b = optionOf(sel.focusNode);
      if (a && b && list.contains(a) && list.contains(b)) {
        var na = Number(a.getAttribute("data-n")), nb = Number(b.getAttribute("data-n"));
        show(Math.min(na, nb), Math.max(na, nb), nb, false);
        return;
      }
    }
    var hit = optionOf(event.target);
    if (hit) {
      var n = Number(hit.getAttribute("data-n"));
      if (event.shiftKey) { show(anchor, n, n, false); } else { show(n, n, n, false); }
    }
  });

  function fromInputs() {
    var a = parseInt(first.value, 10), b = parseInt(last.value, 10);
    if (a >= 1 && b >= a && b <= count) { show(a, b, b, true); }
  }
  first.addEventListener("change", fromInputs);
  last.addEventListener("change", fromInputs);

  form.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { event.preventDefault(); list.focus(); }
  });

  if (filter) {
    var labels = Array.prototype.slice.call(form.querySelectorAll(".code-option"));
    filter.addEventListener("input", function () {
      var q = filter.value.trim().toLowerCase();
      labels.forEach(function (label) {
        label.hidden = q !== "" && label.getAttribute("data-name").indexOf(q) < 0;
      });
    });
    filter.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); toChooserFirstVisible(); }
    });
  }

  function toChooserFirstVisible() {
    var boxes = form.querySelectorAll(".code-option:not([hidden]) input");
    if (boxes.length) { boxes[0].focus(); }
  }

  var hash = /^#s(\d+)$/.exec(window.location.hash);
  var start = parseInt(first.value, 10) || 1, end = parseInt(last.value, 10) || start;
  if (hash) {
    // Back from coding: the selection and the keyboard focus return to the last sentence
    // coded (after the browser has scrolled to the fragment, which would move the focus).
    show(Number(hash[1]), Number(hash[1]), Number(hash[1]), true);
    window.addEventListener("load", function () {
      window.setTimeout(function () {
        list.focus({ preventScroll: true });
        options[active - 1].scrollIntoView({ block: "nearest" });
      }, 0);
    });
  } else {
    show(start, Math.max(start, end), Math.max(start, end), false);
  }
}());
