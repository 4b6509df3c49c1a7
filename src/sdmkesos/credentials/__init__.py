"""Verifiable credentials without Django: Data Integrity proofs (cryptosuite ``eddsa-jcs-2022``),
multibase/Multikey encoding, did:key and did:web, Bitstring Status Lists and a verifier that
reports each check.

Modules: ``multibase`` (base58btc, base64url, Multikey), ``keys`` (Ed25519 key files),
``eddsa_jcs`` (create/verify proofs), ``dids`` (did:key resolution, did:web documents),
``statuslist`` (W3C Bitstring Status List), ``verify`` (the full credential check).
"""
