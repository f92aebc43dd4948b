"""Keys and certificates for the test control plane and its nodes, made with the openssl CLI."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path


class PKIError(RuntimeError):
    """openssl failed to make a key or a certificate."""


@dataclass(frozen=True)
class PKI:
    """Paths of the files one control plane needs; all live in one directory of the state dir."""

    directory: Path

    @property
    def ca_cert(self) -> Path:
        return self.directory / "ca.crt"

    @property
    def ca_key(self) -> Path:
        return self.directory / "ca.key"

    @property
    def serving_cert(self) -> Path:
        return self.directory / "apiserver.crt"

    @property
    def serving_key(self) -> Path:
        return self.directory / "apiserver.key"

    @property
    def service_account_key(self) -> Path:
        return self.directory / "sa.key"

    @property
    def service_account_pub(self) -> Path:
        return self.directory / "sa.pub"


def _openssl(*args: str, cwd: Path) -> None:
    result = subprocess.run(["openssl", *args], cwd=cwd, capture_output=True, text=True)
    if result.returncode != 0:
        raise PKIError(f"openssl {' '.join(args)} failed:\n{result.stderr}")


def _ec_key(path: Path) -> None:
    # P-256 keys are made in milliseconds, unlike RSA; kube-apiserver accepts them everywhere here.
    _openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", str(path), cwd=path.parent)


def create_pki(directory: Path) -> PKI:
    """A CA, a serving cert for 127.0.0.1/localhost signed by it, and a service-account key pair."""
    directory.mkdir(parents=True, exist_ok=True)
    pki = PKI(directory)
    _ec_key(pki.ca_key)
    _openssl(
        "req", "-x509", "-new", "-key", str(pki.ca_key), "-days", "3650", "-subj", "/CN=kubedojo-test-ca",
        "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
        "-out", str(pki.ca_cert), cwd=directory,
    )
    _ec_key(pki.serving_key)
    csr = directory / "apiserver.csr"
    _openssl("req", "-new", "-key", str(pki.serving_key), "-subj", "/CN=kube-apiserver", "-out", str(csr), cwd=directory)
    extensions = directory / "apiserver.ext"
    extensions.write_text(
        "basicConstraints=CA:FALSE\n"
        "keyUsage=critical,digitalSignature,keyEncipherment\n"
        "extendedKeyUsage=serverAuth\n"
        "subjectKeyIdentifier=hash\n"
        "authorityKeyIdentifier=keyid,issuer\n"
        "subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,"
        "DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local,IP:10.96.0.1\n"
    )
    _openssl(
        "x509", "-req", "-in", str(csr), "-CA", str(pki.ca_cert), "-CAkey", str(pki.ca_key), "-CAcreateserial",
        "-days", "3650", "-extfile", str(extensions), "-out", str(pki.serving_cert), cwd=directory,
    )
    _ec_key(pki.service_account_key)
    _openssl("pkey", "-in", str(pki.service_account_key), "-pubout", "-out", str(pki.service_account_pub), cwd=directory)
    return pki


def client_cert(pki: PKI, name: str, common_name: str, organizations: tuple[str, ...] = ()) -> tuple[Path, Path]:
    """A client certificate (and its key) for common_name in organizations, signed by the CA: (cert, key)."""
    key, csr, cert = (pki.directory / f"{name}.{suffix}" for suffix in ("key", "csr", "crt"))
    _ec_key(key)
    subject = "".join(f"/O={org}" for org in organizations) + f"/CN={common_name}"
    _openssl("req", "-new", "-key", str(key), "-subj", subject, "-out", str(csr), cwd=pki.directory)
    extensions = pki.directory / f"{name}.ext"
    extensions.write_text("basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\n"
                          "extendedKeyUsage=clientAuth\n")
    _openssl("x509", "-req", "-in", str(csr), "-CA", str(pki.ca_cert), "-CAkey", str(pki.ca_key), "-CAcreateserial",
             "-days", "3650", "-extfile", str(extensions), "-out", str(cert), cwd=pki.directory)
    return cert, key
