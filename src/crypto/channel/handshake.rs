//! What one TLS 1.3 or DTLS 1.3 handshake and one record cost, as pure functions of the validated `[channel]`
//! table: bytes of each flight, public-key cycles at each end, record overhead, and when a session needs a new
//! handshake.
//!
//! A full handshake (RFC 8446 §2, Figure 1) is three flights: the client's ClientHello; the server's ServerHello
//! then, protected, EncryptedExtensions, Certificate, CertificateVerify and Finished; the client's Finished
//! (preceded by its Certificate and CertificateVerify under mutual authentication), which travels with the first
//! record. The server then sends a NewSessionTicket. A PSK resumption (RFC 8446 §2.2, Figure 3) drops the
//! certificates and signatures and, with `psk_dhe_ke`, keeps one X25519 exchange. Data waits one round trip of the
//! handshake (plus, for TLS over TCP, the TCP handshake's) and the public-key work on its critical path.
//!
//! DTLS 1.3 (RFC 9147) frames the same messages with a 12-byte handshake header instead of 4 (§5.2) and a
//! 13-byte DTLSPlaintext header instead of TLS's 5 (§4); its protected records use the unified header (§4,
//! Figure 3), here 3 bytes (flags, 16-bit sequence number, no length: one record per datagram).

use super::raw::{ChannelSpec, Protection};

/// A full handshake, or a PSK resumption.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HandshakeKind {
    /// Certificates, signatures and an X25519 exchange.
    Full,
    /// A pre-shared key from the last session's ticket (with an X25519 exchange if `resume_dhe`).
    Resumed,
}

/// Bytes of the flights of one handshake (record framing included, link headers not).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Flights {
    /// Client → server: ClientHello.
    pub client_hello: u64,
    /// Server → client: ServerHello … Finished.
    pub server: u64,
    /// Client → server: (Certificate, CertificateVerify,) Finished.
    pub client_finish: u64,
    /// Server → client: NewSessionTicket, after the handshake.
    pub ticket: u64,
}

/// Server-class cycles of one handshake, by who does the work and when.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HandshakeCycles {
    /// Client (the cloudlet) before its ClientHello: its X25519 key pair.
    pub client_hello: f64,
    /// Server (the cloud) before its reply: key pair, shared secret, CertificateVerify signature.
    pub server_reply: f64,
    /// Client after the reply: shared secret, chain and CertificateVerify verification (and its own signature).
    pub client_finish: f64,
    /// Server after the client's last flight: verification of the client's chain (mutual authentication); off the
    /// data's critical path.
    pub server_after: f64,
}

/// The key_share extension of a ClientHello with one X25519 share: 4 + 2 + 2 + 2 + 32 bytes (RFC 8446 §4.2.8).
const CLIENT_KEY_SHARE: u64 = 42;
/// The key_share extension of a ServerHello: 4 + 2 + 2 + 32 bytes.
const SERVER_KEY_SHARE: u64 = 40;
/// A ServerHello's pre_shared_key extension (the selected identity): 4 + 2 bytes (RFC 8446 §4.2.11).
const SERVER_PSK: u64 = 6;
/// TLS 1.3 record header (RFC 8446 §5.1) and inner content type (§5.2), bytes.
const TLS_RECORD_HEADER: u64 = 5;
const INNER_CONTENT_TYPE: u64 = 1;
/// DTLSPlaintext header (RFC 9147 §4): type 1, version 2, epoch 2, sequence number 6, length 2.
const DTLS_PLAINTEXT_HEADER: u64 = 13;
/// Extra bytes of a DTLS handshake header over TLS's (message_seq 2, fragment_offset 3, fragment_length 3).
const DTLS_HANDSHAKE_EXTRA: u64 = 8;

impl ChannelSpec {
    fn dtls(&self) -> bool {
        self.protection == Protection::Dtls13
    }

    /// Bytes one protected record adds to its plaintext: header, inner content type and AEAD tag (0 when off).
    pub fn record_overhead_bytes(&self) -> u32 {
        let header = match self.protection {
            Protection::None => return 0,
            Protection::Tls13 => TLS_RECORD_HEADER as u32,
            Protection::Dtls13 => self.dtls_header_bytes,
        };
        header + INNER_CONTENT_TYPE as u32 + self.aead_tag_bytes
    }

    /// A handshake message of `tls_bytes` in TLS framing, framed for this protocol.
    fn msg(&self, tls_bytes: u64) -> u64 {
        tls_bytes + if self.dtls() { DTLS_HANDSHAKE_EXTRA } else { 0 }
    }

    /// Plaintext messages of `bytes` in one unprotected record.
    fn plain(&self, bytes: u64) -> u64 {
        bytes + if self.dtls() { DTLS_PLAINTEXT_HEADER } else { TLS_RECORD_HEADER }
    }

    /// Messages of `bytes` in one protected record.
    fn protected(&self, bytes: u64) -> u64 {
        bytes + u64::from(self.record_overhead_bytes())
    }

    /// Bytes of the flights of one handshake.
    pub fn flights(&self, kind: HandshakeKind) -> Flights {
        let s = &self.sizes;
        let b = |v: u32| u64::from(v);
        let ticket = self.protected(self.msg(4 + 4 + 4 + 1 + 8 + 2 + b(s.ticket) + 2));
        let fin = self.msg(b(s.finished));
        match kind {
            HandshakeKind::Full => {
                let auth = self.msg(b(s.certificate)) + self.msg(b(s.certificate_verify));
                Flights {
                    client_hello: self.plain(self.msg(b(s.client_hello))),
                    server: self.plain(self.msg(b(s.server_hello)))
                        + self.protected(self.msg(b(s.encrypted_extensions)) + auth + fin),
                    client_finish: self.protected(if self.mutual_auth { auth } else { 0 } + fin),
                    ticket,
                }
            }
            HandshakeKind::Resumed => {
                let no_dhe = |share: u64| if self.resume_dhe { 0 } else { share };
                // psk_key_exchange_modes (4 + 1 + 1) and pre_shared_key (4 + 2 + 2 + ticket + 4 + 2 + 1 + 32).
                let psk = 6 + 4 + 2 + 2 + b(s.ticket) + 4 + 2 + 1 + 32;
                let hello = (b(s.client_hello) + psk).saturating_sub(no_dhe(CLIENT_KEY_SHARE));
                let server_hello = (b(s.server_hello) + SERVER_PSK).saturating_sub(no_dhe(SERVER_KEY_SHARE));
                Flights {
                    client_hello: self.plain(self.msg(hello)),
                    server: self.plain(self.msg(server_hello))
                        + self.protected(self.msg(b(s.encrypted_extensions)) + fin),
                    client_finish: self.protected(fin),
                    ticket,
                }
            }
        }
    }

    /// Server-class cycles of one handshake at each end.
    pub fn handshake_cycles(&self, kind: HandshakeKind) -> HandshakeCycles {
        let c = &self.cycles;
        let chain = (self.chain_certificates + 1) as f64 * c.verify; // the chain, then CertificateVerify
        match kind {
            HandshakeKind::Full => HandshakeCycles {
                client_hello: c.kx_keygen,
                server_reply: c.kx_keygen + c.kx_shared + c.sign,
                client_finish: c.kx_shared + chain + if self.mutual_auth { c.sign } else { 0.0 },
                server_after: if self.mutual_auth { chain } else { 0.0 },
            },
            HandshakeKind::Resumed => {
                let dhe = if self.resume_dhe { 1.0 } else { 0.0 };
                HandshakeCycles {
                    client_hello: dhe * c.kx_keygen,
                    server_reply: dhe * (c.kx_keygen + c.kx_shared),
                    client_finish: dhe * c.kx_shared,
                    server_after: 0.0,
                }
            }
        }
    }

    /// Round trips of transport set-up before each handshake (TCP's, for TLS only).
    pub fn transport_rtts(&self) -> u32 {
        if self.protection == Protection::Tls13 {
            self.tcp_setup_rtts
        } else {
            0
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::channel::raw::{channel, RawChannel};
    use crate::scenario::checker::Checker;

    fn spec(protection: Protection) -> ChannelSpec {
        let raw = RawChannel { protection, ..RawChannel::default() };
        let mut c = Checker::new();
        let s = channel(&mut c, &raw);
        assert!(c.into_problems().is_empty());
        s
    }

    /// The per-record overhead is the closed form header + inner content type + tag: TLS 1.3 5 + 1 + 16 = 22
    /// (RFC 8446 §5.1-5.2), DTLS 1.3 with the 3-byte unified header 3 + 1 + 16 = 20 (RFC 9147 §4).
    #[test]
    fn record_overhead_is_header_type_and_tag() {
        assert_eq!(spec(Protection::Tls13).record_overhead_bytes(), 22);
        assert_eq!(spec(Protection::Dtls13).record_overhead_bytes(), 20);
        assert_eq!(spec(Protection::None).record_overhead_bytes(), 0);
    }

    /// The flights of a full TLS 1.3 handshake with the default sizes, added by hand from RFC 8446 §4:
    /// ClientHello 183 + 5; ServerHello 122 + 5, then one protected record of EE 6 + Certificate 2540 + CV 72 +
    /// Finished 36 + 22; client Certificate 2540 + CV 72 + Finished 36 + 22; NewSessionTicket 25 + 192 + 22.
    #[test]
    fn full_tls_flights_add_up_by_hand() {
        let f = spec(Protection::Tls13).flights(HandshakeKind::Full);
        assert_eq!(f.client_hello, 188);
        assert_eq!(f.server, 127 + 2676);
        assert_eq!(f.client_finish, 2670);
        assert_eq!(f.ticket, 239);
        // DTLS: + 8 per handshake message, plaintext header 13, protected records 20.
        let d = spec(Protection::Dtls13).flights(HandshakeKind::Full);
        assert_eq!(d.client_hello, 183 + 8 + 13);
        assert_eq!(d.server, (122 + 8 + 13) + (6 + 2540 + 72 + 36 + 4 * 8 + 20));
        // A resumption carries no certificate: its server flight is far smaller than a full one's.
        let r = spec(Protection::Tls13).flights(HandshakeKind::Resumed);
        assert_eq!(r.client_hello, 183 + 53 + 192 + 5);
        assert_eq!(r.server, (122 + 6 + 5) + (6 + 36 + 22));
        assert!(r.server * 10 < f.server);
    }

    /// Cycles of a full handshake with mutual authentication: each end one key pair, one shared secret, one
    /// signature and three verifications (two certificates and CertificateVerify); a resumption with DHE only the
    /// X25519 work.
    #[test]
    fn handshake_cycles_count_each_operation() {
        let s = spec(Protection::Tls13);
        let c = s.handshake_cycles(HandshakeKind::Full);
        let total = c.client_hello + c.server_reply + c.client_finish + c.server_after;
        let by_hand = 2.0 * (134_236.0 + 118_455.0 + 125_875.0 + 3.0 * 410_016.0);
        assert!((total - by_hand).abs() < 1e-6, "{total} vs {by_hand}");
        let r = s.handshake_cycles(HandshakeKind::Resumed);
        assert_eq!(r.client_hello + r.server_reply + r.client_finish, 2.0 * (134_236.0 + 118_455.0));
        assert_eq!(s.transport_rtts(), 1);
        assert_eq!(spec(Protection::Dtls13).transport_rtts(), 0);
    }
}
