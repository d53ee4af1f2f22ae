//! Certificates for TLS tests, made with the openssl tool at test time.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The subject of `app.pem`, as a client registers it (RFC 4514).
pub const APP_SUBJECT: &str = "CN=mtls-app,O=grantspec,C=FR";

/// A private CA and what it issued, under `dir`:
/// - `ca.pem`; `other-ca.pem`, a CA the sandbox does not trust;
/// - server certificates for 127.0.0.1: `server.pem` (valid), `expired-server.pem`,
///   `foreign-server.pem` (from the other CA), all with `server.key`;
/// - client certificates: `app.pem` (subject [`APP_SUBJECT`], SAN `mtls-app.example`, EC
///   key `app.key`), `expired-app.pem` (same key, expired), `foreign-app.pem` (same subject
///   and key, from the other CA), `intruder.pem` (another client, `intruder.key`), and
///   `self.pem`, self-signed (RSA key `self.key`);
/// - `app-sec1.key`: `app.key` as `openssl ecparam -genkey` writes keys, an `EC PARAMETERS`
///   block then the SEC1 `EC PRIVATE KEY`.
pub struct Pki {
    pub dir: PathBuf,
}

impl Pki {
    /// `None` when the openssl tool is missing.
    pub fn generate(dir: &Path) -> Option<Pki> {
        std::fs::create_dir_all(dir).ok()?;
        let run = |args: &[&str]| {
            Command::new("openssl")
                .args(args)
                .current_dir(dir)
                .output()
                .ok()
                .filter(|o| o.status.success())
                .map(|_| ())
        };
        let ec = [
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-nodes",
        ];
        let self_signed = |name: &str, subject: &str, newkey: &[&str]| {
            let key = format!("{name}.key");
            let pem = format!("{name}.pem");
            let mut args = vec!["req", "-x509"];
            args.extend_from_slice(newkey);
            args.extend([
                "-keyout", &key, "-out", &pem, "-days", "2", "-subj", subject,
            ]);
            run(&args)
        };
        let request = |key: &str, csr: &str, subject: &str| {
            let mut args = vec!["req"];
            args.extend_from_slice(&ec);
            args.extend(["-keyout", key, "-out", csr, "-subj", subject]);
            run(&args)
        };
        let sign = |csr: &str, ca: &str, out: &str, ext: &str| {
            let (ca_pem, ca_key) = (format!("{ca}.pem"), format!("{ca}.key"));
            run(&[
                "x509",
                "-req",
                "-in",
                csr,
                "-CA",
                &ca_pem,
                "-CAkey",
                &ca_key,
                "-CAcreateserial",
                "-out",
                out,
                "-days",
                "2",
                "-extfile",
                ext,
            ])
        };
        self_signed("ca", "/CN=grantspec test CA", &ec)?;
        self_signed("other-ca", "/CN=another CA", &ec)?;
        self_signed(
            "self",
            "/CN=self-signed app",
            &["-newkey", "rsa:2048", "-nodes"],
        )?;
        std::fs::write(dir.join("server.ext"), "subjectAltName=IP:127.0.0.1\n").ok()?;
        std::fs::write(dir.join("app.ext"), "subjectAltName=DNS:mtls-app.example\n").ok()?;
        request("server.key", "server.csr", "/CN=127.0.0.1")?;
        sign("server.csr", "ca", "server.pem", "server.ext")?;
        sign("server.csr", "other-ca", "foreign-server.pem", "server.ext")?;
        request("app.key", "app.csr", "/C=FR/O=grantspec/CN=mtls-app")?;
        sign("app.csr", "ca", "app.pem", "app.ext")?;
        sign("app.csr", "other-ca", "foreign-app.pem", "app.ext")?;
        request("intruder.key", "intruder.csr", "/CN=intruder")?;
        sign("intruder.csr", "ca", "intruder.pem", "app.ext")?;
        run(&["ec", "-in", "app.key", "-out", "sec1.key"])?;
        run(&["ecparam", "-name", "prime256v1", "-out", "params.pem"])?;
        let sec1 = std::fs::read_to_string(dir.join("params.pem")).ok()?
            + &std::fs::read_to_string(dir.join("sec1.key")).ok()?;
        std::fs::write(dir.join("app-sec1.key"), sec1).ok()?;
        // Expired: `openssl ca` is the tool of OpenSSL 3.0 that sets both dates.
        std::fs::write(
            dir.join("ca.cnf"),
            "[ca]\ndefault_ca = test\n[test]\ndatabase = index.txt\nnew_certs_dir = .\n\
             certificate = ca.pem\nprivate_key = ca.key\nserial = serial\ndefault_md = sha256\n\
             policy = any\n[any]\ncommonName = supplied\n",
        )
        .ok()?;
        std::fs::write(dir.join("index.txt"), "").ok()?;
        std::fs::write(dir.join("serial"), "01\n").ok()?;
        for (csr, out, ext) in [
            ("server.csr", "expired-server.pem", "server.ext"),
            ("app.csr", "expired-app.pem", "app.ext"),
        ] {
            run(&[
                "ca",
                "-batch",
                "-config",
                "ca.cnf",
                "-in",
                csr,
                "-out",
                out,
                "-notext",
                "-startdate",
                "20200101000000Z",
                "-enddate",
                "20200102000000Z",
                "-extfile",
                ext,
            ])?;
        }
        Some(Pki {
            dir: dir.to_path_buf(),
        })
    }

    pub fn read(&self, name: &str) -> String {
        std::fs::read_to_string(self.dir.join(name)).expect("a generated file")
    }
}

/// The PKI under `dir`, or `None` — after saying so — when openssl is missing outside CI; in CI
/// a missing tool fails the test.
pub fn pki_or_skip(dir: &Path) -> Option<Pki> {
    let pki = Pki::generate(dir);
    if pki.is_none() {
        assert!(
            std::env::var_os("CI").is_none(),
            "the openssl tool is needed for this test in CI"
        );
        eprintln!("skipped: the openssl tool is missing");
    }
    pki
}
