/* Yangguang: behaviour every page shares. No inline scripts anywhere: the
   Content-Security-Policy runs only our own files (config/settings/base.py). */
(function () {
  "use strict";

  // The footer's language menu switches as soon as a language is chosen.
  document.addEventListener("change", function (event) {
    var select = event.target;
    if (select instanceof HTMLSelectElement && select.hasAttribute("data-submit-on-change") && select.form) {
      select.form.submit();
    }
  });

  // A form sent once is not sent again by a second click while its page loads: its submit
  // buttons are disabled once the submission has started (after the event, so the clicked
  // button's own name and value still go with it). The server refuses a repeat all the same
  // (common/once.py); this only spares the user the wait. A page shown again from the
  // back-forward cache gets its buttons back, and so does a form whose answer was a download
  // (the page stays) after a few seconds.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || event.defaultPrevented) return;
    if ((form.getAttribute("method") || "get").toLowerCase() !== "post") return;
    if (form.hasAttribute("data-allow-resubmit") || form.target === "_blank") return;
    if (form.dataset.submitting === "1") {
      event.preventDefault();
      return;
    }
    form.dataset.submitting = "1";
    window.setTimeout(function () {
      form.querySelectorAll("button[type=submit], button:not([type]), input[type=submit]").forEach(function (button) {
        button.disabled = true;
        button.setAttribute("aria-disabled", "true");
      });
    }, 0);
    window.setTimeout(function () { release(form); }, 10000);
  });

  function release(form) {
    delete form.dataset.submitting;
    form.querySelectorAll("[aria-disabled=true]").forEach(function (button) {
      button.disabled = false;
      button.removeAttribute("aria-disabled");
    });
  }
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-submitting]").forEach(release);
  });
})();
