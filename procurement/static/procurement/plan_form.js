// The plan form: show the method's ground and reasons only for a method other than public
// tender, offer only the chosen method's grounds, and the original contract only for a
// follow-on purchase. Without JavaScript every field shows; the server checks them all.
(function () {
  const method = document.getElementById("id_method");
  const ground = document.getElementById("id_method_ground");
  const box = document.querySelector("[data-method-fields]");
  const followOn = document.querySelector("[data-follow-on]");
  if (!method || !ground || !box) return;

  function update() {
    const chosen = method.value;
    box.hidden = chosen === "public_tender";
    ground.querySelectorAll("option[data-method]").forEach(function (option) {
      const other = option.dataset.method !== chosen;
      option.hidden = other;
      option.disabled = other;
    });
    ground.querySelectorAll("optgroup").forEach(function (group) {
      group.hidden = !group.querySelector("option:not([disabled])");
    });
    const selected = ground.selectedOptions[0];
    if (selected && selected.disabled) ground.value = "";
    if (followOn) followOn.hidden = ground.value !== "single_source_follow_on";
  }

  method.addEventListener("change", update);
  ground.addEventListener("change", update);
  update();
})();
