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
use crate::crypto::processor::Processors;
use crate::crypto::{open, seal, CryptoError, Kem};
use crate::crypto::{CryptoAt, CryptoMode, CryptoSpec};
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
        CryptoState { processors: Processors::new(cpu, units), spec, next_rekey, real: None, channel: None }
    }

    /// Turns on real cryptography (one receiver key pair shared by all cloudlets).
    pub fn enable_real(&mut self) -> Result<(), CryptoError> {
        let kem = Kem::generate(&self.spec.scheme.name)?;
        self.real = Some(RealCrypto {
            kem,
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
        self.sealing(plaintext_bytes as u64, kem)
    }

    /// Seals a gateway batch of `plaintext_bytes` (framing included): one encapsulation, one AEAD.
    pub fn seal_batch(&self, plaintext_bytes: u64) -> Sealing {
        self.sealing(plaintext_bytes, self.spec.has_kem())
    }

    fn sealing(&self, plaintext_bytes: u64, kem: bool) -> Sealing {
        let spec = &self.spec;
        let kem_cycles = if kem { spec.scheme.encaps_cycles } else { 0.0 };
        let kem_bytes = if kem { spec.scheme.ciphertext_bytes } else { 0 };
        Sealing {
            cycles: kem_cycles + spec.aead_cycles(plaintext_bytes),
            extra_bytes: kem_bytes + spec.aead_overhead_bytes(),
            kem,
        }
    }

    /// Server cycles the cloudlet spends to open a message of `plaintext_bytes`.
    pub fn open_cycles(&self, plaintext_bytes: u64, kem: bool) -> f64 {
        let kem_cycles = if kem { self.spec.scheme.server_decaps_cycles } else { 0.0 };
        kem_cycles + self.spec.aead_server_cycles(plaintext_bytes)
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
            Ok(Sealed { sender, epoch, kem_ct: None, body: seal(&key, plaintext) })
        } else {
            k.encapsulate().map(|(key, ct)| Sealed { sender, epoch: 0, kem_ct: Some(ct), body: seal(&key, plaintext) })
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
        let ok = key.and_then(|key| open(&key, &s.body)).is_ok_and(|p| p == expected);
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
