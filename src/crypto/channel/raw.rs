//! The `[channel]` table: protection of the second stage (entry cloudlet → remote cloud) by TLS 1.3 or DTLS 1.3,
//! its validation and its validated form.
//!
//! Every default has its source in the doc comment of its key and in `docs/model.md` §16. Sizes are of handshake
//! messages as TLS 1.3 frames them (RFC 8446 §4: a 4-byte handshake header included); DTLS 1.3 adds its own
//! framing in [`super::handshake`].

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::kernel::SimTime;
use crate::scenario::checker::Checker;

/// Which protocol protects the cloudlet → cloud channel.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Protection {
    /// No channel protection: samples cross the mesh and the WAN in plaintext (the base model).
    #[default]
    None,
    /// TLS 1.3 (RFC 8446) over TCP: the TCP handshake, then a 1-RTT TLS handshake.
    Tls13,
    /// DTLS 1.3 (RFC 9147) over UDP: a 1-RTT handshake, no transport set-up.
    Dtls13,
}

impl Protection {
    /// Its scenario and output name.
    pub fn name(self) -> &'static str {
        match self {
            Protection::None => "none",
            Protection::Tls13 => "tls13",
            Protection::Dtls13 => "dtls13",
        }
    }
}

/// `[channel]`: protection of samples between the cloudlet where they enter the mesh and the remote cloud (off by
/// default). The channel is end to end: the entry cloudlet seals each packet it sends toward the cloud as one
/// record, relaying cloudlets forward records they cannot read, and the cloud opens them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct RawChannel {
    /// `none` (the default: plaintext on mesh and WAN links), `tls13` (RFC 8446 over TCP) or `dtls13` (RFC 9147).
    pub protection: Protection,
    /// Count what an intruder on each link class could read (samples and bytes crossing it in plaintext), and write
    /// the `channel` section of `summary.json` even with `protection = "none"`.
    pub count_exposure: bool,
    /// Seconds a session lasts before the next record opens a PSK resumption (a new connection resuming with the
    /// ticket of the last one; RFC 8446 §2.2, ticket lifetime at most 7 days by §4.6.1), > 0. Our assumption: 3600.
    pub resume_s: f64,
    /// Resumptions also run an X25519 exchange (`psk_dhe_ke`, forward secret; RFC 8446 §4.2.9); false: `psk_ke`.
    pub resume_dhe: bool,
    /// The cloudlet also authenticates with a certificate (mutual TLS; RFC 8446 §4.3.2): the cloud should know
    /// which cloudlet uploads medical data. Our assumption: true.
    pub mutual_auth: bool,
    /// TLS 1.3 only: round trips of transport set-up before each handshake (TCP's three-way handshake, RFC 9293
    /// §3.5: 1).
    pub tcp_setup_rtts: u64,
    /// ClientHello of a full handshake, bytes: header 4, version 2, random 32, session id 1+32, three cipher suites
    /// 2+6, compression 2, extensions 2 + supported_versions 7, key_share with one X25519 share 42,
    /// supported_groups 8, signature_algorithms 14, server_name for a 20-byte host 29 (RFC 8446 §4.1.2, §4.2).
    pub client_hello_bytes: u64,
    /// ServerHello, bytes: header 4, version 2, random 32, session id 1+32, suite 2, compression 1, extensions 2 +
    /// supported_versions 6 + key_share 40 (RFC 8446 §4.1.3).
    pub server_hello_bytes: u64,
    /// EncryptedExtensions with none, bytes: header 4 + length 2 (RFC 8446 §4.3.1).
    pub encrypted_extensions_bytes: u64,
    /// Certificate message with the chain, bytes: 2540 for two certificates of about a thousand bytes each, as
    /// measured by D. Wong ("How big are TLS records during a handshake?", cryptologie.net, 2017; a secondary
    /// source, for a web server's chain).
    pub certificate_bytes: u64,
    /// Signatures a peer verifies to accept a chain (one per certificate sent, the root being trusted): 2.
    pub chain_certificates: u64,
    /// CertificateVerify with an Ed25519 signature, bytes: header 4, scheme 2, length 2, signature 64 (RFC 8446
    /// §4.4.3, RFC 8032).
    pub certificate_verify_bytes: u64,
    /// Finished with SHA-256, bytes: header 4 + verify_data 32 (RFC 8446 §4.4.4).
    pub finished_bytes: u64,
    /// Opaque session ticket the cloud issues, bytes (server-chosen, 1 to 65535 by RFC 8446 §4.6.1). Our
    /// assumption: 192. NewSessionTicket is 4 + 4 + 4 + 1 + 8 (nonce) + 2 + ticket + 2 bytes; the resuming
    /// ClientHello adds psk_key_exchange_modes (6) and pre_shared_key (4 + 2 + 2 + ticket + 4 + 2 + 1 + 32).
    pub ticket_bytes: u64,
    /// DTLS 1.3 only: unified header of a protected record, bytes (RFC 9147 §4, Figure 3): 1 flag byte and a
    /// 16-bit sequence number; the length is left out as each record fills its datagram: 3.
    pub dtls_header_bytes: u64,
    /// AEAD tag per record, bytes (AES-128-GCM, RFC 5116 §5.1): 16.
    pub aead_tag_bytes: u64,
    /// X25519 key-pair generation on the server class (cloudlet and cloud), cycles: OpenSSL 3.1.1 on Skylake,
    /// 134,236 (lib25519-20230630 doc/speed.md, "X key").
    pub kx_keygen_cycles: f64,
    /// X25519 shared secret, cycles: OpenSSL 3.1.1 on Skylake, 118,455 (lib25519 doc/speed.md, "X dh").
    pub kx_shared_cycles: f64,
    /// Ed25519 signature, cycles: OpenSSL 3.1.1 on Skylake, 125,875 (lib25519 doc/speed.md, "Ed sign").
    pub sign_cycles: f64,
    /// Ed25519 verification, cycles: OpenSSL 3.1.1 on Skylake, 410,016 (lib25519 doc/speed.md, "Ed verif").
    pub verify_cycles: f64,
}

impl Default for RawChannel {
    fn default() -> Self {
        RawChannel {
            protection: Protection::None,
            count_exposure: false,
            resume_s: 3_600.0,
            resume_dhe: true,
            mutual_auth: true,
            tcp_setup_rtts: 1,
            client_hello_bytes: 183,
            server_hello_bytes: 122,
            encrypted_extensions_bytes: 6,
            certificate_bytes: 2_540,
            chain_certificates: 2,
            certificate_verify_bytes: 72,
            finished_bytes: 36,
            ticket_bytes: 192,
            dtls_header_bytes: 3,
            aead_tag_bytes: 16,
            kx_keygen_cycles: 134_236.0,
            kx_shared_cycles: 118_455.0,
            sign_cycles: 125_875.0,
            verify_cycles: 410_016.0,
        }
    }
}

impl RawChannel {
    /// Whether the table asks for nothing (it is then left out of `scenario.resolved.toml`).
    pub fn is_off(&self) -> bool {
        *self == RawChannel::default()
    }

    /// Protects the channel with `protection`, counting exposure (what `crypto-compare` varies).
    pub fn set_protection(&mut self, protection: Protection) {
        self.protection = protection;
        self.count_exposure = true;
    }
}

/// The validated `[channel]` table (see [`RawChannel`] for each field's meaning and source).
#[derive(Debug, Clone, PartialEq)]
pub struct ChannelSpec {
    /// The protocol.
    pub protection: Protection,
    /// Whether the `channel` section is written with the protection off.
    pub count_exposure: bool,
    /// Session lifetime before a resumption.
    pub resume: SimTime,
    /// Resumptions with an X25519 exchange.
    pub resume_dhe: bool,
    /// The cloudlet presents a certificate too.
    pub mutual_auth: bool,
    /// TLS: transport round trips before each handshake.
    pub tcp_setup_rtts: u32,
    /// Message sizes, bytes: ClientHello, ServerHello, EncryptedExtensions, Certificate, CertificateVerify,
    /// Finished, ticket.
    pub sizes: MessageSizes,
    /// Signatures verified per chain.
    pub chain_certificates: u32,
    /// DTLS unified header bytes.
    pub dtls_header_bytes: u32,
    /// AEAD tag bytes per record.
    pub aead_tag_bytes: u32,
    /// Server-class cycles: X25519 keygen, X25519 shared secret, signature, verification.
    pub cycles: PublicKeyCycles,
}

/// Handshake message sizes in TLS 1.3 framing, bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MessageSizes {
    /// ClientHello (full handshake).
    pub client_hello: u32,
    /// ServerHello.
    pub server_hello: u32,
    /// EncryptedExtensions.
    pub encrypted_extensions: u32,
    /// Certificate (the whole chain).
    pub certificate: u32,
    /// CertificateVerify.
    pub certificate_verify: u32,
    /// Finished.
    pub finished: u32,
    /// The opaque ticket.
    pub ticket: u32,
}

/// Public-key operations on the server class, cycles.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PublicKeyCycles {
    /// X25519 key-pair generation.
    pub kx_keygen: f64,
    /// X25519 shared secret.
    pub kx_shared: f64,
    /// Signature.
    pub sign: f64,
    /// Verification.
    pub verify: f64,
}

impl ChannelSpec {
    /// Whether records are protected.
    pub fn protects(&self) -> bool {
        self.protection != Protection::None
    }

    /// Whether a run keeps the channel's counters and writes its section.
    pub fn reported(&self) -> bool {
        self.protects() || self.count_exposure
    }
}

impl Default for ChannelSpec {
    fn default() -> Self {
        let mut c = Checker::new();
        channel(&mut c, &RawChannel::default())
    }
}

/// Checks `[channel]`.
pub(crate) fn channel(c: &mut Checker, raw: &RawChannel) -> ChannelSpec {
    let mut small = |k: &str, v: u64| c.small(&format!("channel.{k}"), v);
    let sizes = MessageSizes {
        client_hello: small("client_hello_bytes", raw.client_hello_bytes),
        server_hello: small("server_hello_bytes", raw.server_hello_bytes),
        encrypted_extensions: small("encrypted_extensions_bytes", raw.encrypted_extensions_bytes),
        certificate: small("certificate_bytes", raw.certificate_bytes),
        certificate_verify: small("certificate_verify_bytes", raw.certificate_verify_bytes),
        finished: small("finished_bytes", raw.finished_bytes),
        ticket: small("ticket_bytes", raw.ticket_bytes),
    };
    let (chain, tcp) =
        (small("chain_certificates", raw.chain_certificates), small("tcp_setup_rtts", raw.tcp_setup_rtts));
    let (dtls, tag) = (small("dtls_header_bytes", raw.dtls_header_bytes), small("aead_tag_bytes", raw.aead_tag_bytes));
    if sizes.ticket == 0 || sizes.ticket > 65_535 {
        c.fail("channel.ticket_bytes", format!("must be from 1 to 65535 (RFC 8446 §4.6.1; got {})", raw.ticket_bytes));
    }
    // Bounded so that a flight's byte count stays far inside u32 (a TLS handshake message is below 2^24 bytes).
    let bounded = [
        ("client_hello_bytes", sizes.client_hello),
        ("server_hello_bytes", sizes.server_hello),
        ("encrypted_extensions_bytes", sizes.encrypted_extensions),
        ("certificate_bytes", sizes.certificate),
        ("certificate_verify_bytes", sizes.certificate_verify),
        ("finished_bytes", sizes.finished),
        ("dtls_header_bytes", dtls),
        ("aead_tag_bytes", tag),
    ];
    for (k, v) in bounded {
        if v >= 1 << 24 {
            c.fail(&format!("channel.{k}"), format!("must be below 16777216 bytes (2^24, RFC 8446 §4; got {v})"));
        }
    }
    if tcp > 16 {
        c.fail("channel.tcp_setup_rtts", format!("must be from 0 to 16 (got {tcp})"));
    }
    if chain > 16 {
        c.fail("channel.chain_certificates", format!("must be from 0 to 16 (got {chain})"));
    }
    let cycles = PublicKeyCycles {
        kx_keygen: c.non_negative("channel.kx_keygen_cycles", raw.kx_keygen_cycles),
        kx_shared: c.non_negative("channel.kx_shared_cycles", raw.kx_shared_cycles),
        sign: c.non_negative("channel.sign_cycles", raw.sign_cycles),
        verify: c.non_negative("channel.verify_cycles", raw.verify_cycles),
    };
    ChannelSpec {
        protection: raw.protection,
        count_exposure: raw.count_exposure,
        resume: c.time("channel.resume_s", raw.resume_s, true),
        resume_dhe: raw.resume_dhe,
        mutual_auth: raw.mutual_auth,
        tcp_setup_rtts: tcp.min(16),
        sizes: MessageSizes {
            client_hello: sizes.client_hello.min(1 << 24),
            server_hello: sizes.server_hello.min(1 << 24),
            encrypted_extensions: sizes.encrypted_extensions.min(1 << 24),
            certificate: sizes.certificate.min(1 << 24),
            certificate_verify: sizes.certificate_verify.min(1 << 24),
            finished: sizes.finished.min(1 << 24),
            ticket: sizes.ticket.min(65_535),
        },
        chain_certificates: chain.min(16),
        dtls_header_bytes: dtls.min(1 << 24),
        aead_tag_bytes: tag.min(1 << 24),
        cycles,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(raw: &RawChannel) -> Vec<String> {
        let mut c = Checker::new();
        channel(&mut c, raw);
        c.into_problems().into_iter().map(|p| p.key).collect()
    }

    /// The defaults are valid and off (left out of `scenario.resolved.toml`); out-of-range values are refused by
    /// key.
    #[test]
    fn bad_values_are_refused_by_key() {
        assert!(RawChannel::default().is_off() && problems(&RawChannel::default()).is_empty());
        let bad = RawChannel {
            resume_s: 0.0,
            ticket_bytes: 0,
            certificate_bytes: 1 << 24,
            kx_shared_cycles: f64::NAN,
            tcp_setup_rtts: 17,
            ..RawChannel::default()
        };
        assert_eq!(
            problems(&bad),
            [
                "channel.ticket_bytes",
                "channel.certificate_bytes",
                "channel.tcp_setup_rtts",
                "channel.kx_shared_cycles",
                "channel.resume_s"
            ]
        );
        let mut on = RawChannel::default();
        on.set_protection(Protection::Dtls13);
        assert!(!on.is_off() && on.count_exposure);
    }
}
