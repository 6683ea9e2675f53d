//! Protection of body data between its sender (wearable or BAN gateway) and the cloudlet, where it is decrypted.
//!
//! Three modes (`crypto.mode`): `per_packet` encapsulates a fresh key for every sample and seals the sample under it
//! (the papers' literal reading); `session` encapsulates at the first sample and again every `rekey_s`, sealing
//! every sample under the session key, the encapsulated key riding on the sample that opens the session; `batch`
//! lets the gateway collect samples for `batch_s` and seal them together under one encapsulation. Costs are
//! profile cycles × the node's J/cycle; sizes are the profile's ciphertext plus AEAD nonce and tag.
//!
//! With real cryptography on, every sealed packet also carries real ciphertext (kept beside the packet, keyed by
//! its id), which the cloudlet really decrypts and compares with the expected plaintext.

use std::collections::HashMap;

use crate::chain::{NodeId, PacketId};
use crate::crypto::cipher::real::CipherKind;
use crate::crypto::processor::Processors;
use crate::crypto::{CryptoAt, CryptoMode, CryptoSpec};
use crate::crypto::{CryptoError, Kem};
use crate::energy::config::ProcessorSpec;
use crate::kernel::SimTime;

/// What sealing one message costs and adds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sealing {
    /// Processor cycles at the sender.
    pub cycles: f64,
    /// Bytes added to the payload.
    pub extra_bytes: u32,
    /// Whether an encapsulated key travels with this message.
    pub kem: bool,
}

/// The model's cryptographic state.
pub struct CryptoState {
    /// The validated configuration.
    pub spec: CryptoSpec,
    /// The processors the work occupies.
    pub processors: Processors,
    /// Session mode: when each sender must next encapsulate a key.
    next_rekey: Vec<SimTime>,
    /// Bytes each sender's current key has encrypted (only when the AEAD has a data limit per key).
    key_bytes_used: Vec<u64>,
    /// Rekeys forced by the AEAD's data limit per key (`docs/model.md` §14).
    pub forced_rekeys: u64,
    /// Real cryptography, if enabled.
    real: Option<RealCrypto>,
    /// The cloudlet → cloud channel (`[channel]`), when its table asks for it.
    pub channel: Option<crate::crypto::channel::ChannelState>,
}

impl CryptoState {
    /// State for `senders` encrypting nodes (wearables or gateways, by `spec.at`) and `cloudlets` opening ones, on
    /// the processors of `cpu`.
    pub fn new(spec: CryptoSpec, cpu: &ProcessorSpec, senders: usize, cloudlets: usize) -> Self {
        let next_rekey = if spec.mode == CryptoMode::Session { vec![SimTime::ZERO; senders] } else { Vec::new() };
        let units = match (spec.encrypts(), spec.at) {
            (false, _) => [0, 0, 0],
            (true, CryptoAt::Wearable) => [senders, 0, cloudlets],
            (true, CryptoAt::Gateway) => [0, senders, cloudlets],
        };
        let key_bytes_used = if spec.aead.max_bytes_per_key.is_some() { vec![0; senders] } else { Vec::new() };
        CryptoState {
            processors: Processors::new(cpu, units),
            spec,
            next_rekey,
            key_bytes_used,
            forced_rekeys: 0,
            real: None,
            channel: None,
        }
    }

    /// Turns on real cryptography (one receiver key pair shared by all cloudlets).
    pub fn enable_real(&mut self) -> Result<(), CryptoError> {
        let kem = Kem::generate(&self.spec.scheme.name)?;
        let cipher = CipherKind::from_name(&self.spec.aead.name)
            .ok_or_else(|| CryptoError::Unsupported(self.spec.aead.name.clone()))?;
        self.real = Some(RealCrypto {
            kem,
            cipher,
            sealed: HashMap::new(),
            sessions: HashMap::new(),
            epochs: HashMap::new(),
            checked: 0,
            errors: 0,
        });
        Ok(())
    }

    /// Real-cryptography round trips checked and failed so far (both zero when off).
    pub fn real_counts(&self) -> (u64, u64) {
        self.real.as_ref().map_or((0, 0), |r| (r.checked, r.errors))
    }

    /// Whether real cryptography is on.
    pub fn real_enabled(&self) -> bool {
        self.real.is_some()
    }

    /// Seals one sample of `plaintext_bytes` from sender `sender` (its index among encrypting nodes) at `now`.
    pub fn seal_sample(&mut self, sender: usize, plaintext_bytes: u32, now: SimTime) -> Sealing {
        let spec = &self.spec;
        let kem = spec.has_kem()
            && match spec.mode {
                CryptoMode::Session => {
                    let due = now >= self.next_rekey[sender];
                    if due {
                        self.next_rekey[sender] = now + spec.rekey;
                    }
                    due
                }
                CryptoMode::PerPacket | CryptoMode::Batch => true,
            };
        let forced = self.count_forced_rekeys(sender, plaintext_bytes as u64, kem);
        self.sealing(plaintext_bytes as u64, kem, forced)
    }

    /// Seals a gateway batch of `plaintext_bytes` (framing included) from gateway `sender`: one encapsulation, one
    /// AEAD.
    pub fn seal_batch(&mut self, sender: usize, plaintext_bytes: u64) -> Sealing {
        let kem = self.spec.has_kem();
        let forced = self.count_forced_rekeys(sender, plaintext_bytes, kem);
        self.sealing(plaintext_bytes, kem, forced)
    }

    /// Rekeys the AEAD's data limit forces for a message of `plaintext_bytes` from `sender` (`fresh`: the message
    /// opens a new key anyway); counts them (`docs/model.md` §14).
    fn count_forced_rekeys(&mut self, sender: usize, plaintext_bytes: u64, fresh: bool) -> u64 {
        let Some(limit) = self.spec.aead.max_bytes_per_key else { return 0 };
        let used = if fresh { 0 } else { self.key_bytes_used[sender] };
        let encrypted = self.spec.aead.encrypted_bytes(plaintext_bytes);
        let (forced, used) = crate::crypto::cipher::rekey::forced_rekeys(used, encrypted, Some(limit));
        self.key_bytes_used[sender] = used;
        self.forced_rekeys += forced;
        forced
    }

    /// What sealing costs: the AEAD, an encapsulation if `kem`, and `forced` more for the data limit (each a fresh
    /// key: an encapsulation of the scheme, when it has one, and the cipher's key setup).
    fn sealing(&self, plaintext_bytes: u64, kem: bool, forced: u64) -> Sealing {
        let spec = &self.spec;
        let keys = kem as u64 + forced;
        let mut cycles = spec.aead_cycles(plaintext_bytes);
        let mut extra_bytes = spec.aead_overhead_bytes(plaintext_bytes);
        if keys > 0 {
            let per_key = if spec.has_kem() { spec.scheme.encaps_cycles } else { 0.0 };
            cycles += per_key * keys as f64;
            if spec.encrypts() && spec.aead.wearable_key_setup_cycles > 0.0 {
                cycles += spec.aead.wearable_key_setup_cycles * keys as f64;
            }
            let ct = if spec.has_kem() { spec.scheme.ciphertext_bytes } else { 0 };
            extra_bytes += ct.saturating_mul(keys.min(u32::MAX as u64) as u32);
        }
        Sealing { cycles, extra_bytes, kem: kem || (forced > 0 && spec.has_kem()) }
    }

    /// Server cycles the cloudlet spends to open a message of `plaintext_bytes`.
    pub fn open_cycles(&self, plaintext_bytes: u64, kem: bool) -> f64 {
        let kem_cycles = if kem { self.spec.scheme.server_decaps_cycles } else { 0.0 };
        let setup = self.spec.aead.server_key_setup_cycles;
        let cycles = kem_cycles + self.spec.aead_server_cycles(plaintext_bytes);
        if kem && setup > 0.0 {
            cycles + setup
        } else {
            cycles
        }
    }

    /// Real mode: seals `plaintext` for packet `id` from sender node `sender`.
    pub fn real_seal(&mut self, id: PacketId, sender: NodeId, plaintext: &[u8], kem: bool) {
        let session = self.spec.mode == CryptoMode::Session;
        if let Some(real) = &mut self.real {
            real.seal(id, sender, plaintext, kem, session);
        }
    }

    /// Real mode: opens packet `id` and compares with `expected`; counts a check and, on mismatch, an error.
    pub fn real_open(&mut self, id: PacketId, expected: &[u8]) {
        if let Some(real) = &mut self.real {
            real.open(id, expected);
        }
    }

    /// Real mode: forgets packet `id` (dropped).
    pub fn real_forget(&mut self, id: PacketId) {
        if let Some(real) = &mut self.real {
            real.sealed.remove(&id);
        }
    }
}

/// A sealed message kept beside its packet.
struct Sealed {
    sender: NodeId,
    epoch: u32,
    kem_ct: Option<Vec<u8>>,
    body: Vec<u8>,
}

/// A session key: the sender's copy, the encapsulation, and the cloudlet's copy once it decapsulated.
struct Session {
    sender_key: [u8; 16],
    kem_ct: Vec<u8>,
    receiver_key: Option<[u8; 16]>,
}

struct RealCrypto {
    kem: Option<Kem>,
    /// The session AEAD (`crypto.aead`).
    cipher: CipherKind,
    sealed: HashMap<PacketId, Sealed>,
    /// Session keys by (sender, epoch), session mode; the key exchange is assumed reliable. Only the current and
    /// the previous epoch of each sender are kept (older packets are long delivered or dropped).
    sessions: HashMap<(NodeId, u32), Session>,
    /// Current epoch per sender.
    epochs: HashMap<NodeId, u32>,
    checked: u64,
    errors: u64,
}

impl RealCrypto {
    fn seal(&mut self, id: PacketId, sender: NodeId, plaintext: &[u8], kem: bool, session: bool) {
        let Some(k) = &self.kem else { return };
        let result = if session {
            if kem || !self.epochs.contains_key(&sender) {
                let Ok((key, ct)) = k.encapsulate() else {
                    self.errors += 1;
                    return;
                };
                let epoch = self.epochs.get(&sender).map_or(0, |e| e + 1);
                self.epochs.insert(sender, epoch);
                self.sessions.insert((sender, epoch), Session { sender_key: key, kem_ct: ct, receiver_key: None });
                if let Some(old) = epoch.checked_sub(2) {
                    self.sessions.remove(&(sender, old));
                }
            }
            let epoch = self.epochs[&sender];
            let key = self.sessions[&(sender, epoch)].sender_key;
            Ok(Sealed { sender, epoch, kem_ct: None, body: self.cipher.seal(&key, plaintext) })
        } else {
            let cipher = self.cipher;
            k.encapsulate().map(|(key, ct)| Sealed {
                sender,
                epoch: 0,
                kem_ct: Some(ct),
                body: cipher.seal(&key, plaintext),
            })
        };
        match result {
            Ok(s) => {
                self.sealed.insert(id, s);
            }
            Err(_) => self.errors += 1,
        }
    }

    fn open(&mut self, id: PacketId, expected: &[u8]) {
        let Some(k) = &self.kem else { return };
        self.checked += 1;
        let Some(s) = self.sealed.remove(&id) else {
            self.errors += 1;
            return;
        };
        let key = match &s.kem_ct {
            Some(ct) => k.decapsulate(ct),
            None => match self.sessions.get_mut(&(s.sender, s.epoch)) {
                Some(sess) => match sess.receiver_key {
                    Some(key) => Ok(key),
                    None => k.decapsulate(&sess.kem_ct).inspect(|key| sess.receiver_key = Some(*key)),
                },
                None => Err(CryptoError::Failed("no session key for this epoch".into())),
            },
        };
        let cipher = self.cipher;
        let ok = key.and_then(|key| cipher.open(&key, &s.body)).is_ok_and(|p| p == expected);
        if !ok {
            self.errors += 1;
        }
    }
}

/// The plaintext a sample stands for in real mode: `len` bytes derived from (wearable, sensor, time taken), so the
/// cloudlet can recompute what it should decrypt to.
pub fn sample_plaintext(origin: NodeId, sensor: u16, created: SimTime, len: u32, out: &mut Vec<u8>) {
    let seed = (origin.get() as u64) << 32 ^ (sensor as u64) << 16 ^ created.as_nanos();
    out.extend(
        (0..len as u64).map(|i| (seed.wrapping_mul(0x9E37_79B9_7F4A_7C15).wrapping_add(i * 0x2545_F491) >> 24) as u8),
    );
}
