// Bid file names stay on the bidder's device until the opening (the platform stores them
// sealed). On the bid page each chosen file is hashed here (SHA-256, never sent anywhere) and
// its name kept in this tab's sessionStorage by hash; the receipt page shows the name beside
// each file whose hash the server recorded. Nothing works without Web Crypto: then the receipt
// shows only the files' positions and hashes, as the stored receipt does.
(function () {
  "use strict";
  var KEY = "yg-bid-file-names";
  var subtle = window.crypto && window.crypto.subtle;

  function load() {
    try { return JSON.parse(sessionStorage.getItem(KEY) || "{}"); } catch (e) { return {}; }
  }
  function save(names) {
    var keys = Object.keys(names);
    // A tab bids on a few lots at most; keep the store small.
    keys.slice(0, Math.max(0, keys.length - 50)).forEach(function (k) { delete names[k]; });
    try { sessionStorage.setItem(KEY, JSON.stringify(names)); } catch (e) { /* full: skip */ }
  }
  function hex(buffer) {
    return Array.prototype.map.call(new Uint8Array(buffer), function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("");
  }

  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!subtle || !input.matches || !input.matches("input[type=file][data-bid-files]")) return;
    Array.prototype.forEach.call(input.files || [], function (file) {
      file.arrayBuffer().then(function (bytes) {
        return subtle.digest("SHA-256", bytes);
      }).then(function (digest) {
        var names = load();
        names[hex(digest)] = file.name;
        save(names);
      }).catch(function () { /* unreadable: the receipt shows the position only */ });
    });
  });

  function showNames() {
    var names = load();
    document.querySelectorAll("[data-local-name][data-sha256]").forEach(function (cell) {
      var name = names[cell.dataset.sha256];
      if (!name) return;
      cell.querySelector("[data-name]").textContent = name;
      var note = cell.querySelector("[data-local-note]");
      if (note) note.hidden = false;
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", showNames);
  } else {
    showNames();
  }
})();
