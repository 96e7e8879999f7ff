"""A software authenticator for the passkey tests: what a security key does, with a real P-256
key pair, so the server's checks (origin, challenge, relying party, signature, counter) run on
real signatures. It answers the JSON options of :mod:`chambers.passkeys` as a browser's
``navigator.credentials`` would, in the JSON form the portal's script posts."""

from __future__ import annotations

import os
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from fido2.cose import ES256
from fido2.utils import sha256, websafe_decode, websafe_encode
from fido2.webauthn import (
    Aaguid,
    AttestationObject,
    AttestedCredentialData,
    AuthenticatorData,
    CollectedClientData,
)

FLAGS = AuthenticatorData.FLAG


class SoftKey:
    def __init__(self, origin: str = "http://localhost:8000", rp_id: str = "localhost") -> None:
        self.origin = origin
        self.rp_id = rp_id
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.credential_id = os.urandom(16)
        self.counter = 0

    def _client_data(self, kind: str, options: dict[str, Any]) -> CollectedClientData:
        challenge = websafe_decode(options["publicKey"]["challenge"])
        return CollectedClientData.create(type=kind, challenge=challenge, origin=self.origin)

    def create(self, options: dict[str, Any]) -> dict[str, Any]:
        """The answer to ``navigator.credentials.create()``: a new credential, no attestation."""
        client_data = self._client_data("webauthn.create", options)
        credential = AttestedCredentialData.create(
            Aaguid.NONE, self.credential_id, ES256.from_cryptography_key(self.key.public_key())
        )
        auth_data = AuthenticatorData.create(
            sha256(self.rp_id.encode()), FLAGS.UP | FLAGS.UV | FLAGS.AT, self.counter, credential
        )
        attestation = AttestationObject.create("none", auth_data, {})
        return self._json(
            clientDataJSON=websafe_encode(bytes(client_data)),
            attestationObject=websafe_encode(bytes(attestation)),
        )

    def get(self, options: dict[str, Any], *, counter: int | None = None) -> dict[str, Any]:
        """The answer to ``navigator.credentials.get()``: the challenge signed, the counter one
        up (or ``counter``, to play a copied key)."""
        client_data = self._client_data("webauthn.get", options)
        self.counter = self.counter + 1 if counter is None else counter
        auth_data = AuthenticatorData.create(
            sha256(self.rp_id.encode()), FLAGS.UP | FLAGS.UV, self.counter
        )
        signature = self.key.sign(bytes(auth_data) + client_data.hash, ec.ECDSA(hashes.SHA256()))
        return self._json(
            clientDataJSON=websafe_encode(bytes(client_data)),
            authenticatorData=websafe_encode(bytes(auth_data)),
            signature=websafe_encode(signature),
        )

    def _json(self, **response: str) -> dict[str, Any]:
        return {
            "id": websafe_encode(self.credential_id),
            "rawId": websafe_encode(self.credential_id),
            "type": "public-key",
            "response": response,
            "clientExtensionResults": {},
        }
