/*
 * The bid page: reads the form, seals it in this browser (seal.js) and uploads only the sealed
 * bid (a multipart PUT to data-upload-url). Configuration and messages come from the form's
 * data- attributes; the submit button stays disabled without JavaScript (the page says so).
 */
(function () {
  "use strict";
  const form = document.querySelector("[data-seal-form]");
  if (!form) return;
  const d = form.dataset;
  const button = form.querySelector("[data-testid=submit-bid]");
  const status = form.querySelector("[data-seal-status]");
  const seal = window.YangguangSeal;
  const capable =
    window.crypto && window.crypto.subtle && window.crypto.randomUUID && window.WebAssembly && seal;
  if (!capable) {
    status.textContent = d.msgOldBrowser;
    status.hidden = false;
    return;
  }
  button.disabled = false;

  function field(name) {
    return form.querySelector("[name='" + name + "']");
  }
  function value(name) {
    const el = field(name);
    return el ? el.value.trim() : "";
  }
  function radio(name) {
    const el = form.querySelector("[name='" + name + "']:checked");
    return el ? el.value : "";
  }
  function fail(messages) {
    status.replaceChildren();
    messages.forEach(function (m) {
      const line = document.createElement("div");
      line.textContent = m;
      status.appendChild(line);
    });
    status.className = "alert alert-danger";
    status.hidden = false;
    button.disabled = false;
    status.scrollIntoView({ block: "center" });
  }
  function progress(text) {
    status.className = "alert alert-info";
    status.textContent = text;
    status.hidden = false;
  }
  function share(name) {
    const text = value(name).replace(",", ".") || "0";
    if (!/^\d{1,3}(\.\d{1,2})?$/.test(text) || Number(text) > 100) return null;
    return Number(text).toFixed(2);
  }
  function figure(text) {
    if (text === "") return "";
    if (!/^\d+(\.\d{1,2})?$/.test(text)) return null;
    return Number(text).toFixed(2);
  }
  function smeItems(errors) {
    const declare = field("sme_declare");
    if (!declare || !declare.checked) return [];
    const total = Number(value("sme-TOTAL_FORMS") || "0");
    const items = [];
    for (let i = 0; i < total; i++) {
      const p = "sme-" + i + "-";
      const del = field(p + "DELETE");
      if (del && del.checked) continue;
      const line = {
        item: value(p + "item"),
        manufacturer: value(p + "manufacturer"),
        size_class: value(p + "size_class"),
        industry: value(p + "industry"),
        employees: value(p + "employees") === "" ? null : Number(value(p + "employees")),
        revenue: figure(value(p + "revenue")),
        total_assets: figure(value(p + "total_assets")),
      };
      if (!line.item && !line.manufacturer) continue;
      if (
        !line.item ||
        !line.manufacturer ||
        !line.size_class ||
        !line.industry ||
        line.revenue === null ||
        line.total_assets === null ||
        (line.employees !== null && !(Number.isInteger(line.employees) && line.employees >= 0))
      ) {
        errors.push(d.msgSmeLine.replace("%(n)s", String(i + 1)));
      }
      items.push(line);
    }
    if (!items.length) errors.push(d.msgSmeEmpty);
    return items;
  }

  async function collect() {
    const errors = [];
    const priceText = value("price").replace(/,/g, "");
    let price = null;
    if (!/^\d{1,14}(\.\d{1,2})?$/.test(priceText) || Number(priceText) <= 0) {
      errors.push(d.msgPrice);
    } else {
      const [whole, frac] = priceText.split(".");
      price = String(BigInt(whole)) + "." + (frac || "").padEnd(2, "0");
    }
    const chosen = Array.from(field("files").files || []);
    const maxFiles = Number(d.maxFiles);
    const maxBytes = Number(d.maxBytes);
    if (!chosen.length) errors.push(d.msgNoFiles);
    if (chosen.length > maxFiles) errors.push(d.msgTooMany);
    const files = [];
    for (const file of chosen) {
      const kind = await seal.kindOf(file);
      if (file.size === 0) errors.push(d.msgEmpty.replace("%(name)s", file.name));
      else if (file.size > maxBytes) errors.push(d.msgTooLarge.replace("%(name)s", file.name));
      else if (!kind) errors.push(d.msgWrongType.replace("%(name)s", file.name));
      files.push({ name: file.name.slice(0, 255), kind: kind, file: file });
    }
    const sme = smeItems(errors);
    const arrangement = radio("arrangement");
    const policy = {
      arrangement: arrangement,
      small_micro_share: share("small_micro_share"),
      domestic_share: share("domestic_share"),
    };
    if (policy.small_micro_share === null || policy.domestic_share === null) errors.push(d.msgShare);
    if (arrangement && !field("no_control").checked) errors.push(d.msgNoControl);
    if (!arrangement && policy.small_micro_share && Number(policy.small_micro_share) > 0) {
      errors.push(d.msgShareWithout);
    }
    let secret = null;
    if (radio("key_method") === "key_file") {
      const chosenKey = field("key_file").files[0];
      if (!chosenKey) errors.push(d.msgChooseKey);
      else {
        try {
          secret = { key: seal.readKeyFile(await chosenKey.slice(0, 4096).text()) };
        } catch (e) {
          errors.push(d.msgBadKey);
        }
      }
    } else {
      const pass = field("passphrase").value;
      if (pass.length < Number(d.minPassphrase)) errors.push(d.msgShortPassphrase);
      else if (pass !== field("passphrase_again").value) errors.push(d.msgPassphrasesDiffer);
      else secret = { passphrase: pass };
    }
    if (!field("understood").checked) errors.push(d.msgUnderstood);
    return { errors: errors, bid: { price: price, files: files, sme_items: sme, policy: policy }, secret: secret };
  }

  function upload(sealed) {
    const body = new FormData();
    body.append("envelope", JSON.stringify(sealed.envelope));
    sealed.blobs.forEach(function (blob, i) {
      body.append("file:" + (i + 1), blob, "sealed.bin");
    });
    return new Promise(function (resolve, reject) {
      const xhr = new XMLHttpRequest();
      xhr.open("PUT", d.uploadUrl);
      xhr.setRequestHeader("X-CSRFToken", field("csrfmiddlewaretoken").value);
      xhr.upload.onprogress = function (e) {
        if (e.lengthComputable) {
          progress(d.msgUploading.replace("%(p)s", Math.round((100 * e.loaded) / e.total) + "%"));
        }
      };
      xhr.onload = function () {
        let answer = {};
        try {
          answer = JSON.parse(xhr.responseText);
        } catch (e) {
          answer = {};
        }
        if (xhr.status === 200 && answer.receipt) resolve(answer);
        else reject(new Error(answer.error || d.msgFailed));
      };
      xhr.onerror = function () {
        reject(new Error(d.msgFailed));
      };
      xhr.send(body);
    });
  }

  form.addEventListener("submit", async function (event) {
    event.preventDefault();
    button.disabled = true;
    try {
      const got = await collect();
      if (got.errors.length) return fail(got.errors);
      progress(d.msgSealing);
      const sealed = await seal.sealBid(Number(d.lotId), got.bid, got.secret, {
        m: Number(d.argonM),
        t: Number(d.argonT),
        p: Number(d.argonP),
      });
      sealed.dataKey.fill(0);
      const answer = await upload(sealed);
      window.location.assign(answer.receipt);
    } catch (error) {
      fail([error && error.message && error.message.length > 12 ? error.message : d.msgFailed]);
    }
  });
})();
