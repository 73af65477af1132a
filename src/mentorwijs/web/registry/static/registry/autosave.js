/* Save a tap at once without reloading the page. Without this script every form still works
   as a plain POST; with it, the answer comes back as JSON and only the button changes. */
(function () {
  "use strict";
  var list = document.querySelector("ul.attendance");
  if (!list || !window.fetch || !window.FormData) { return; }
  var count = document.getElementById("present-count");

  function show(button, state) {
    var label = list.getAttribute("data-label-" + state);
    button.setAttribute("data-state", state);
    button.setAttribute("aria-pressed", state === "present" ? "true" : "false");
    button.querySelector(".state").textContent = label;
  }

  list.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute("data-autosave")) { return; }
    event.preventDefault();
    var button = form.querySelector("button");
    var next = form.querySelector("input[name=present]");
    var before = button.getAttribute("data-state");
    if (button.getAttribute("aria-busy") === "true") { return; }
    button.setAttribute("aria-busy", "true");
    button.querySelector(".state").textContent = list.getAttribute("data-label-saving");
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { "X-Requested-With": "fetch" },
      credentials: "same-origin"
    }).then(function (response) {
      if (!response.ok) { throw new Error(response.status); }
      return response.json();
    }).then(function (data) {
      show(button, data.present ? "present" : "absent");
      next.value = data.present ? "0" : "1";
      if (count) {
        count.textContent = count.getAttribute("data-template").replace("__N__", data.count);
      }
    }).catch(function () {
      button.setAttribute("data-state", before);
      button.querySelector(".state").textContent = list.getAttribute("data-label-failed");
    }).then(function () {
      button.removeAttribute("aria-busy");
    });
  });
}());
