// The SME declaration letter's lines (a Django formset, prefix "sme"): add a line from the
// <template>, remove one by ticking its DELETE box and hiding it, number the visible lines,
// and show the lines only while "submit a letter" is ticked. Without JavaScript every line
// and its "remove" box stay visible and the form works the same.
(function () {
  "use strict";
  var PREFIX = "sme";

  function rows() {
    return Array.prototype.filter.call(
      document.querySelectorAll("#" + PREFIX + "-rows [data-sme-row]"),
      function (row) { return !row.hidden; }
    );
  }
  function renumber() {
    rows().forEach(function (row, i) {
      var n = row.querySelector("[data-sme-number]");
      if (n) n.textContent = String(i + 1);
    });
  }
  function enhance(root) {
    root.querySelectorAll("[data-sme-delete]").forEach(function (el) { el.hidden = true; });
    root.querySelectorAll("[data-sme-remove], [data-sme-add]").forEach(function (el) {
      el.hidden = false;
    });
  }
  function toggle() {
    var box = document.querySelector("input[name=sme_declare]");
    var lines = document.querySelector("[data-sme-lines]");
    if (box && lines) lines.hidden = !box.checked;
  }

  document.addEventListener("click", function (event) {
    var add = event.target.closest("[data-sme-add]");
    if (add) {
      event.preventDefault();
      var total = document.getElementById("id_" + PREFIX + "-TOTAL_FORMS");
      var index = parseInt(total.value, 10) || 0;
      var html = document.getElementById(PREFIX + "-empty").innerHTML.replace(/__prefix__/g, String(index));
      var target = document.getElementById(PREFIX + "-rows");
      target.insertAdjacentHTML("beforeend", html);
      total.value = String(index + 1);
      enhance(target.lastElementChild);
      renumber();
      var first = target.lastElementChild.querySelector("input, select");
      if (first) first.focus();
      return;
    }
    var remove = event.target.closest("[data-sme-remove]");
    if (remove) {
      event.preventDefault();
      var row = remove.closest("[data-sme-row]");
      var del = row.querySelector("input[name$='-DELETE']");
      if (del) del.checked = true;
      row.hidden = true;
      renumber();
    }
  });
  document.addEventListener("change", function (event) {
    if (event.target.name === "sme_declare") toggle();
  });

  function start() {
    enhance(document);
    renumber();
    toggle();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
