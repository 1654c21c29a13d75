// Add a row to a Django formset: clone the <template> holding the empty form, renumber it.
document.addEventListener("click", function (event) {
  const button = event.target.closest("[data-formset-add]");
  if (!button) return;
  event.preventDefault();
  const prefix = button.dataset.formsetAdd;
  const total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
  const template = document.getElementById(prefix + "-empty");
  const target = document.getElementById(prefix + "-rows");
  const index = parseInt(total.value, 10);
  const html = template.innerHTML.replace(/__prefix__/g, String(index));
  target.insertAdjacentHTML("beforeend", html);
  total.value = String(index + 1);
});
document.addEventListener("click", function (event) {
  const button = event.target.closest("[data-formset-remove]");
  if (!button) return;
  event.preventDefault();
  const row = button.closest("[data-formset-row]");
  row.querySelectorAll("input, select, textarea").forEach(function (el) {
    if (el.type === "checkbox") el.checked = false; else el.value = "";
  });
  row.hidden = true;
});
