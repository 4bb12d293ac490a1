"""A push service on 127.0.0.1 that checks what a real one checks, and reads every message.

Each subscription gets what a browser makes: a P-256 key pair and a 16-byte auth secret. On
``POST /push/<id>`` the service checks the VAPID header (ES256 signature with ``k``, ``aud``
equal to the endpoint's origin, ``exp`` at most 24 h ahead, ``sub`` a mailto: or https: URL),
the ``Content-Encoding: aes128gcm`` and ``TTL`` headers, decrypts the body independently of
pywebpush (RFC 8291), and answers 201. A subscription made with ``status=`` answers that
status instead (404, 410, 429, 500...), with ``retry_after=`` as a Retry-After header.
"""

import base64
import json
import os
import struct
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat


def b64u(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def b64u_dec(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _hkdf(salt: bytes, ikm: bytes, info: bytes, length: int) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=length, salt=salt, info=info).derive(ikm)


def decrypt_aes128gcm(body: bytes, ua_priv, auth: bytes) -> bytes:
    """RFC 8188/8291, a single record."""
    salt, _rs, idlen = body[:16], struct.unpack("!L", body[16:20])[0], body[20]
    as_pub_raw, ciphertext = body[21:21 + idlen], body[21 + idlen:]
    ua_pub_raw = ua_priv.public_key().public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)
    ecdh = ua_priv.exchange(ec.ECDH(), ec.EllipticCurvePublicKey.from_encoded_point(
        ec.SECP256R1(), as_pub_raw))
    ikm = _hkdf(auth, ecdh, b"WebPush: info\x00" + ua_pub_raw + as_pub_raw, 32)
    cek = _hkdf(salt, ikm, b"Content-Encoding: aes128gcm\x00", 16)
    nonce = _hkdf(salt, ikm, b"Content-Encoding: nonce\x00", 12)
    plain = AESGCM(cek).decrypt(nonce, ciphertext, None).rstrip(b"\x00")
    if not plain.endswith(b"\x02"):
        raise ValueError("not the last record")
    return plain[:-1]


def verify_vapid(header: str, expected_aud: str) -> dict:
    """RFC 8292 ``vapid t=<JWT>, k=<key>``: the claims, or ValueError."""
    scheme, _, params = header.partition(" ")
    if scheme.lower() != "vapid":
        raise ValueError(f"scheme {scheme!r}")
    kv = dict(p.strip().split("=", 1) for p in params.split(","))
    h64, c64, s64 = kv["t"].split(".")
    if json.loads(b64u_dec(h64)).get("alg") != "ES256":
        raise ValueError("not ES256")
    pub = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), b64u_dec(kv["k"]))
    sig = b64u_dec(s64)
    if len(sig) != 64:
        raise ValueError("signature is not raw r||s")
    pub.verify(encode_dss_signature(int.from_bytes(sig[:32], "big"),
                                    int.from_bytes(sig[32:], "big")),
               f"{h64}.{c64}".encode(), ec.ECDSA(hashes.SHA256()))
    claims = json.loads(b64u_dec(c64))
    if claims["aud"] != expected_aud:
        raise ValueError(f"aud {claims['aud']!r} != {expected_aud!r}")
    if not time.time() < claims["exp"] <= time.time() + 86460:
        raise ValueError("exp out of range")
    if not str(claims.get("sub", "")).startswith(("mailto:", "https:")):
        raise ValueError("sub is not mailto: or https:")
    return {**claims, "k": kv["k"]}


class _Subscription:
    def __init__(self, sid: str, status: int, retry_after: str | None):
        self.id = sid
        self.private_key = ec.generate_private_key(ec.SECP256R1())
        self.auth = os.urandom(16)
        self.status = status
        self.retry_after = retry_after


class FakePushService:
    """``with FakePushService() as service: info = service.new_subscription()``.

    ``received``: every accepted message as a dict (``plaintext``, ``payload``, ``headers``,
    ``claims``, ``subscription``); ``rejected``: what failed a check, with the reason.
    ``verify=False`` skips the signature and decryption (the bench, to measure our side).
    """

    def __init__(self, verify: bool = True):
        self.verify = verify
        self.subscriptions: dict[str, _Subscription] = {}
        self.received: list[dict] = []
        self.rejected: list[dict] = []
        self.requests = 0
        self._lock = threading.Lock()
        self._counter = 0
        self.server = None
        self.thread = None

    @property
    def origin(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def new_subscription(self, status: int = 201, retry_after: str | None = None) -> dict:
        """A browser's ``PushSubscription.toJSON()`` for a new device."""
        with self._lock:
            self._counter += 1
            sid = f"s{self._counter}-{os.urandom(6).hex()}"
        sub = _Subscription(sid, status, retry_after)
        self.subscriptions[sid] = sub
        public = sub.private_key.public_key().public_bytes(Encoding.X962,
                                                           PublicFormat.UncompressedPoint)
        return {"endpoint": f"{self.origin}/push/{sid}", "expirationTime": None,
                "keys": {"p256dh": b64u(public), "auth": b64u(sub.auth)}}

    def set_status(self, endpoint: str, status: int, retry_after: str | None = None) -> None:
        sub = self.subscriptions[endpoint.rsplit("/", 1)[1]]
        sub.status, sub.retry_after = status, retry_after

    def for_endpoint(self, endpoint: str) -> list[dict]:
        sid = endpoint.rsplit("/", 1)[1]
        return [m for m in self.received if m["subscription"] == sid]

    def __enter__(self):
        service = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _answer(self, status, headers=None, body=b""):
                self.send_response(status)
                for key, value in (headers or {}).items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_POST(self):  # noqa: N802 - http.server's name
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                with service._lock:
                    service.requests += 1
                sid = self.path.rsplit("/", 1)[-1]
                sub = service.subscriptions.get(sid)
                if not self.path.startswith("/push/") or sub is None:
                    return self._answer(404)
                if sub.status != 201:
                    headers = {"Retry-After": sub.retry_after} if sub.retry_after else {}
                    return self._answer(sub.status, headers)
                try:
                    message = service.check(sub, dict(self.headers), body)
                except Exception as error:  # noqa: BLE001 - report every failed check
                    with service._lock:
                        service.rejected.append({"subscription": sid, "reason": repr(error)})
                    return self._answer(400, body=repr(error).encode())
                with service._lock:
                    service.received.append(message)
                return self._answer(201, {"Location": f"/message/{len(service.received)}"})

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.server.request_queue_size = 128
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def check(self, sub: _Subscription, headers: dict, body: bytes) -> dict:
        headers = {k.lower(): v for k, v in headers.items()}
        if headers.get("content-encoding") != "aes128gcm":
            raise ValueError(f"Content-Encoding {headers.get('content-encoding')!r}")
        if not headers.get("ttl", "").isdigit():
            raise ValueError(f"TTL {headers.get('ttl')!r}")
        message = {"subscription": sub.id, "headers": headers, "size": len(body)}
        if self.verify:
            message["claims"] = verify_vapid(headers["authorization"], self.origin)
            plaintext = decrypt_aes128gcm(body, sub.private_key, sub.auth)
            message["plaintext"] = plaintext
            message["payload"] = json.loads(plaintext)
        return message

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)
