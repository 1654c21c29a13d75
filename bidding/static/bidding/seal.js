/*
 * Sealing a bid in the bidder's browser (format 3; the same format in Python: bidding/sealing.py).
 *
 * Only ciphertext, the wrapped data key, the Argon2id salt and parameters and each file's
 * SHA-256 leave this page; the price, the files, their names, the declarations and the
 * passphrase or key file never do. Needs WebCrypto and WebAssembly (hash-wasm, vendored:
 * static/vendor/hash-wasm-4.13.0) — a current browser.
 *
 * window.YangguangSeal is the format's code, used by the bid page (this file, below), the
 * opening page (open.js) and the browser tests.
 */
(function () {
  "use strict";

  const CHUNK = 1024 * 1024;
  const enc = new TextEncoder();
  const subtle = window.crypto && window.crypto.subtle;

  function b64(bytes) {
    let s = "";
    const u = new Uint8Array(bytes);
    for (let i = 0; i < u.length; i += 0x8000) {
      s += String.fromCharCode.apply(null, u.subarray(i, i + 0x8000));
    }
    return btoa(s);
  }
  function unb64(text) {
    const s = atob(text);
    const u = new Uint8Array(s.length);
    for (let i = 0; i < s.length; i++) u[i] = s.charCodeAt(i);
    return u;
  }
  function random(n) {
    return window.crypto.getRandomValues(new Uint8Array(n));
  }
  function aad(uuid, lot, field) {
    return enc.encode("yangguang-bid|" + uuid + "|" + lot + "|" + field);
  }
  function concat(a, b) {
    const out = new Uint8Array(a.length + b.length);
    out.set(a, 0);
    out.set(b, a.length);
    return out;
  }
  async function aesKey(raw, usages) {
    return subtle.importKey("raw", raw, { name: "AES-GCM" }, false, usages);
  }
  async function encrypt(key, nonce, data, ad) {
    return new Uint8Array(
      await subtle.encrypt({ name: "AES-GCM", iv: nonce, additionalData: ad }, key, data)
    );
  }
  async function decrypt(key, nonce, data, ad) {
    return new Uint8Array(
      await subtle.decrypt({ name: "AES-GCM", iv: nonce, additionalData: ad }, key, data)
    );
  }
  async function hkdf(raw, info) {
    const key = await subtle.importKey("raw", raw, "HKDF", false, ["deriveBits"]);
    const bits = await subtle.deriveBits(
      { name: "HKDF", hash: "SHA-256", salt: new Uint8Array(0), info: info },
      key,
      256
    );
    return new Uint8Array(bits);
  }
  async function hmac(raw, data) {
    const key = await subtle.importKey(
      "raw",
      raw,
      { name: "HMAC", hash: "SHA-256" },
      false,
      ["sign"]
    );
    return new Uint8Array(await subtle.sign("HMAC", key, data));
  }
  async function argon2id(passphrase, kdf) {
    return window.hashwasm.argon2id({
      password: passphrase,
      salt: unb64(kdf.salt),
      parallelism: kdf.p,
      iterations: kdf.t,
      memorySize: kdf.m,
      hashLength: 32,
      outputType: "binary",
    });
  }
  function chunkNonce(prefix, index) {
    const nonce = new Uint8Array(12);
    nonce.set(prefix, 0);
    new DataView(nonce.buffer).setUint32(8, index, false);
    return nonce;
  }
  function chunkAad(uuid, lot, position, index, last) {
    return enc.encode(
      "yangguang-bid|" + uuid + "|" + lot + "|file:" + position + "|" + index + "|" + (last ? 1 : 0)
    );
  }

  /* The 32 bytes of a key file (YANGGUANG-BID-KEY-1 and base64); throws if it is not one. */
  function readKeyFile(text) {
    const lines = text.trim().split(/\r?\n/);
    if (lines.length !== 2 || lines[0].trim() !== "YANGGUANG-BID-KEY-1") throw new Error("keyfile");
    const key = unb64(lines[1].trim());
    if (key.length !== 32) throw new Error("keyfile");
    return key;
  }

  async function kekOf(kdf, secret) {
    if (kdf) return argon2id(secret.passphrase, kdf);
    return secret.key;
  }

  /* Seal one file (a Blob) chunk by chunk: a Blob of sealed chunks, its SHA-256 and nonce. */
  async function sealFile(dataKey, uuid, lot, position, file) {
    const key = await aesKey(dataKey, ["encrypt"]);
    const prefix = random(8);
    const hasher = await window.hashwasm.createSHA256();
    hasher.init();
    const parts = [];
    const count = Math.max(1, Math.ceil(file.size / CHUNK));
    for (let i = 0; i < count; i++) {
      const plain = new Uint8Array(await file.slice(i * CHUNK, (i + 1) * CHUNK).arrayBuffer());
      hasher.update(plain);
      const last = i === count - 1;
      parts.push(
        new Blob([await encrypt(key, chunkNonce(prefix, i), plain, chunkAad(uuid, lot, position, i, last))])
      );
    }
    return { blob: new Blob(parts), sha256: hasher.digest("hex"), nonce: b64(prefix) };
  }

  /*
   * Seal a bid: {price: "123.45", files: [{name, kind, file: Blob}], sme_items, policy},
   * secret: {passphrase} or {key: Uint8Array(32)}; argon: {m, t, p}.
   * Returns {envelope, blobs: [Blob]} (and dataKey, which the page drops).
   */
  async function sealBid(lot, bid, secret, argon) {
    const uuid = window.crypto.randomUUID();
    const dataKey = random(32);
    const kdf = secret.key
      ? null
      : { alg: "argon2id", m: argon.m, t: argon.t, p: argon.p, salt: b64(random(16)) };
    const kek = await aesKey(await kekOf(kdf, secret), ["encrypt"]);
    const dk = await aesKey(dataKey, ["encrypt"]);
    async function sealed(key, data, field) {
      const nonce = random(12);
      return { nonce: b64(nonce), ct: b64(await encrypt(key, nonce, data, aad(uuid, lot, field))) };
    }
    const wrapped = await sealed(kek, dataKey, "data_key");
    const manifest = {
      files: bid.files.map(function (f, i) {
        return { position: i + 1, name: f.name, kind: f.kind, size: f.file.size };
      }),
      sme_items: bid.sme_items || [],
      policy: bid.policy || { arrangement: "", small_micro_share: "0.00", domestic_share: "0.00" },
    };
    const envelope = {
      format: 3,
      uuid: uuid,
      lot: lot,
      key: {
        method: kdf ? "passphrase" : "key_file",
        kdf: kdf,
        nonce: wrapped.nonce,
        wrapped: wrapped.ct,
        check: b64(await hkdf(dataKey, aad(uuid, lot, "key_check"))),
      },
      price: await sealed(dk, enc.encode(bid.price), "price"),
      commitment: b64(
        await hmac(await hkdf(dataKey, aad(uuid, lot, "commitment")), enc.encode(bid.price))
      ),
      manifest: await sealed(dk, enc.encode(JSON.stringify(manifest)), "manifest"),
      files: [],
    };
    const blobs = [];
    for (let i = 0; i < bid.files.length; i++) {
      const s = await sealFile(dataKey, uuid, lot, i + 1, bid.files[i].file);
      envelope.files.push({ position: i + 1, nonce: s.nonce, sha256: s.sha256 });
      blobs.push(s.blob);
    }
    return { envelope: envelope, blobs: blobs, dataKey: dataKey };
  }

  /* At the opening: the data key from the key material the page gives and the bidder's key. */
  async function unwrapDataKey(material, secret) {
    const k = material.key;
    const kek = await aesKey(await kekOf(k.kdf, secret), ["decrypt"]);
    const dataKey = await decrypt(
      kek,
      unb64(k.nonce),
      unb64(k.wrapped),
      aad(material.uuid, material.lot, "data_key")
    );
    const check = await hkdf(dataKey, aad(material.uuid, material.lot, "key_check"));
    if (b64(check) !== k.check) throw new Error("check");
    return dataKey;
  }

  /* Open a whole sealed bid in the browser (the tests' reverse direction and a self-check). */
  async function openBid(envelope, blobs, secret) {
    const dataKey = await unwrapDataKey(envelope, secret);
    const dk = await aesKey(dataKey, ["decrypt"]);
    const lot = envelope.lot;
    const uuid = envelope.uuid;
    const price = new TextDecoder().decode(
      await decrypt(dk, unb64(envelope.price.nonce), unb64(envelope.price.ct), aad(uuid, lot, "price"))
    );
    const manifest = JSON.parse(
      new TextDecoder().decode(
        await decrypt(
          dk,
          unb64(envelope.manifest.nonce),
          unb64(envelope.manifest.ct),
          aad(uuid, lot, "manifest")
        )
      )
    );
    const sha = [];
    for (let f = 0; f < envelope.files.length; f++) {
      const entry = envelope.files[f];
      const blob = blobs[f];
      const prefix = unb64(entry.nonce);
      const hasher = await window.hashwasm.createSHA256();
      hasher.init();
      const count = Math.max(1, Math.ceil(blob.size / (CHUNK + 16)));
      for (let i = 0; i < count; i++) {
        const ct = new Uint8Array(
          await blob.slice(i * (CHUNK + 16), (i + 1) * (CHUNK + 16)).arrayBuffer()
        );
        hasher.update(
          await decrypt(dk, chunkNonce(prefix, i), ct, chunkAad(uuid, lot, entry.position, i, i === count - 1))
        );
      }
      sha.push(hasher.digest("hex"));
    }
    return { price: price, manifest: manifest, sha256: sha, dataKey: b64(dataKey) };
  }

  /* The kind of a bid file from its first bytes and name (the server checks again at the
     opening): PDF, or a ZIP container named .docx, .xlsx or .zip. */
  async function kindOf(file) {
    const head = new Uint8Array(await file.slice(0, 5).arrayBuffer());
    const text = String.fromCharCode.apply(null, head);
    if (text === "%PDF-") return "pdf";
    if (text.slice(0, 4) === "PK\u0003\u0004") {
      const ext = (file.name.split(".").pop() || "").toLowerCase();
      return ["docx", "xlsx", "zip"].indexOf(ext) >= 0 ? ext : "zip";
    }
    return null;
  }

  window.YangguangSeal = {
    CHUNK: CHUNK,
    b64: b64,
    unb64: unb64,
    readKeyFile: readKeyFile,
    sealBid: sealBid,
    openBid: openBid,
    unwrapDataKey: unwrapDataKey,
    kindOf: kindOf,
  };
})();
