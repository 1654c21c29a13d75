/*
 * The opening page, for a bid sealed in the browser (format 3): the passphrase or key file
 * unwraps the bid's data key on this device (seal.js) and only the data key is sent; the server
 * opens the bid with it and checks every file against the receipt's SHA-256.
 */
(function () {
  "use strict";
  const form = document.querySelector("[data-open-form]");
  if (!form) return;
  const d = form.dataset;
  const button = form.querySelector("[data-testid=decrypt]");
  const status = form.querySelector("[data-open-status]");
  const seal = window.YangguangSeal;
  function say(text, kind) {
    status.className = "col-12 alert alert-" + kind;
    status.textContent = text;
    status.hidden = false;
  }
  if (!(window.crypto && window.crypto.subtle && window.WebAssembly && seal)) {
    say(d.msgOldBrowser, "warning");
    return;
  }
  button.disabled = false;
  const material = JSON.parse(d.keyMaterial);
  form.addEventListener("submit", async function (event) {
    event.preventDefault();
    button.disabled = true;
    let dataKey;
    try {
      say(d.msgOpening, "info");
      let secret;
      const pass = form.querySelector("[data-open-passphrase]");
      if (pass) secret = { passphrase: pass.value };
      else {
        const file = form.querySelector("[data-open-key-file]").files[0];
        secret = { key: seal.readKeyFile(file ? await file.slice(0, 4096).text() : "") };
      }
      dataKey = await seal.unwrapDataKey(material, secret);
    } catch (error) {
      say(d.msgWrong, "danger");
      button.disabled = false;
      return;
    }
    const body = new FormData();
    body.append("csrfmiddlewaretoken", form.querySelector("[name=csrfmiddlewaretoken]").value);
    body.append("data_key", seal.b64(dataKey));
    dataKey.fill(0);
    const response = await fetch(form.action, { method: "POST", body: body, credentials: "same-origin" });
    let next = window.location.href;
    try {
      next = (await response.json()).next || next;
    } catch (e) {
      /* the page shows the message */
    }
    window.location.assign(next);
  });
})();
