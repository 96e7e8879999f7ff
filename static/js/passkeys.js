/* Passkeys (WebAuthn) on the second factor's pages: a form with data-passkey="register" adds
 * one, a button with data-passkey="authenticate" signs in with one. The server makes the
 * challenge (begin) and checks the answer (finish): see chambers/passkeys.py. Bytes travel as
 * base64url strings both ways (python-fido2's JSON form). Without this script, or in a browser
 * without WebAuthn, the controls stay hidden and the app codes work as before. */
(function () {
  "use strict";
  if (!window.PublicKeyCredential || !navigator.credentials) return;

  function toBytes(text) {
    var base64 = text.replace(/-/g, "+").replace(/_/g, "/");
    var binary = atob(base64 + "===".slice((base64.length + 3) % 4));
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
    return bytes.buffer;
  }

  function toText(buffer) {
    var bytes = new Uint8Array(buffer);
    var binary = "";
    for (var i = 0; i < bytes.length; i += 1) binary += String.fromCharCode(bytes[i]);
    return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function withIds(list) {
    return (list || []).map(function (item) {
      return Object.assign({}, item, { id: toBytes(item.id) });
    });
  }

  function creationOptions(json) {
    var key = json.publicKey;
    return Object.assign({}, key, {
      challenge: toBytes(key.challenge),
      user: Object.assign({}, key.user, { id: toBytes(key.user.id) }),
      excludeCredentials: withIds(key.excludeCredentials),
    });
  }

  function requestOptions(json) {
    var key = json.publicKey;
    return Object.assign({}, key, {
      challenge: toBytes(key.challenge),
      allowCredentials: withIds(key.allowCredentials),
    });
  }

  function credentialJSON(credential) {
    var response = credential.response;
    var out = { clientDataJSON: toText(response.clientDataJSON) };
    if (response.attestationObject) out.attestationObject = toText(response.attestationObject);
    if (response.authenticatorData) out.authenticatorData = toText(response.authenticatorData);
    if (response.signature) out.signature = toText(response.signature);
    if (response.userHandle) out.userHandle = toText(response.userHandle);
    return {
      id: credential.id,
      rawId: toText(credential.rawId),
      type: credential.type,
      response: out,
      clientExtensionResults: credential.getClientExtensionResults(),
    };
  }

  function post(url, token, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": token },
      body: JSON.stringify(body || {}),
    }).then(function (response) {
      return response.json().then(function (data) {
        if (!response.ok) throw new Error(data.detail || response.statusText);
        return data;
      });
    });
  }

  function run(root, work) {
    var status = root.querySelector("[data-passkey-status]");
    var button = root.querySelector("button");
    var token = root.querySelector("[name=csrfmiddlewaretoken]").value;
    root.hidden = false;
    root.addEventListener("submit", function (event) {
      event.preventDefault();
      button.disabled = true;
      status.textContent = root.getAttribute("data-working");
      work(token)
        .then(function (data) {
          window.location.assign(data.redirect);
        })
        .catch(function (error) {
          var cancelled = error && error.name === "NotAllowedError";
          status.textContent = cancelled ? root.getAttribute("data-cancelled") : error.message;
          button.disabled = false;
        });
    });
  }

  document.querySelectorAll("form[data-passkey=register]").forEach(function (form) {
    run(form, function (token) {
      return post(form.getAttribute("data-begin"), token)
        .then(function (options) {
          return navigator.credentials.create({ publicKey: creationOptions(options) });
        })
        .then(function (credential) {
          return post(form.action, token, {
            name: form.querySelector("[name=name]").value,
            credential: credentialJSON(credential),
          });
        });
    });
  });

  document.querySelectorAll("form[data-passkey=authenticate]").forEach(function (form) {
    run(form, function (token) {
      return post(form.getAttribute("data-begin"), token)
        .then(function (options) {
          return navigator.credentials.get({ publicKey: requestOptions(options) });
        })
        .then(function (credential) {
          return post(form.action, token, { credential: credentialJSON(credential) });
        });
    });
  });
})();
