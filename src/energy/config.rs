//! The validated energy model (see [`super::raw`] for the meaning of each key).

/// A radio energy profile, in joules per bit.
#[derive(Debug, Clone, PartialEq)]
pub struct RadioProfile {
    /// Profile name.
    pub name: String,
    /// Transmitter electronics, J/bit.
    pub tx_elec_j_per_bit: f64,
    /// Receiver electronics, J/bit.
    pub rx_elec_j_per_bit: f64,
    /// Amplifier term.
    pub amp: Amplifier,
}

/// The distance-dependent amplifier term of a radio profile.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Amplifier {
    /// `amp · dⁿ` J/bit.
    Power {
        /// J/bit/mⁿ.
        amp_j_per_bit_per_m_n: f64,
        /// Path-loss exponent n.
        exponent: f64,
    },
    /// `ε_fs · d²` below d0 = sqrt(ε_fs/ε_mp), `ε_mp · d⁴` above.
    TwoRay {
        /// ε_fs, J/bit/m².
        fs_j_per_bit_per_m2: f64,
        /// ε_mp, J/bit/m⁴.
        mp_j_per_bit_per_m4: f64,
    },
}

impl RadioProfile {
    /// Energy to transmit one bit over `d` metres, in joules.
    pub fn tx_j_per_bit(&self, d: f64) -> f64 {
        self.tx_elec_j_per_bit
            + match self.amp {
                Amplifier::Power { amp_j_per_bit_per_m_n, exponent } => {
                    if amp_j_per_bit_per_m_n == 0.0 {
                        0.0
                    } else {
                        amp_j_per_bit_per_m_n * d.powf(exponent)
                    }
                }
                Amplifier::TwoRay { fs_j_per_bit_per_m2: fs, mp_j_per_bit_per_m4: mp } => {
                    let d0 = (fs / mp).sqrt();
                    if d < d0 {
                        fs * d * d
                    } else {
                        mp * d.powi(4)
                    }
                }
            }
    }
}

/// The validated energy model.
#[derive(Debug, Clone, PartialEq)]
pub struct EnergySpec {
    /// Radio profile per link class.
    pub radio: enum_map::EnumMap<crate::chain::LinkClass, RadioProfile>,
    /// Wearable processor, J/cycle.
    pub wearable_j_per_cycle: f64,
    /// Gateway processor, J/cycle.
    pub gateway_j_per_cycle: f64,
    /// Cloudlet processor, J per server cycle.
    pub cloudlet_j_per_cycle: f64,
    /// Processor clocks, cores and timing.
    pub processor: ProcessorSpec,
    /// Wearable idle power, W.
    pub wearable_idle_w: f64,
    /// Gateway idle power, W.
    pub gateway_idle_w: f64,
    /// Cloudlet idle power, W.
    pub cloudlet_idle_w: f64,
    /// Wearable battery, J.
    pub wearable_battery_j: f64,
    /// Gateway battery, J.
    pub gateway_battery_j: f64,
    /// Battery model and pulse derating.
    pub battery: BatterySpec,
}

/// The validated processors (see [`super::raw::RawProcessor`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ProcessorSpec {
    /// Whether work takes time (`queued`) or not (`instant`).
    pub timing: super::raw::ProcessorTiming,
    /// Wearable clock, Hz.
    pub wearable_hz: f64,
    /// Gateway clock, Hz.
    pub gateway_hz: f64,
    /// Cloudlet core clock, Hz.
    pub cloudlet_hz: f64,
    /// Cores per cloudlet.
    pub cloudlet_cores: u32,
}

/// The validated battery model (see [`super::raw::RawBattery`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BatterySpec {
    /// `ideal` or `kibam`.
    pub model: super::raw::BatteryModel,
    /// KiBaM available fraction c, in (0, 1].
    pub kibam_c: f64,
    /// KiBaM conductance k, 1/s.
    pub kibam_k_per_s: f64,
    /// Wearable supply voltage, V.
    pub wearable_supply_v: f64,
    /// Gateway supply voltage, V.
    pub gateway_supply_v: f64,
    /// Pulse derating of the wearable's capacity.
    pub pulse_derating: super::raw::PulseDerating,
    /// Wearable peak current for the derating, mA.
    pub peak_current_ma: f64,
}

impl BatterySpec {
    /// Fraction of the wearable's nominal capacity it can deliver given its peak current (1 without derating).
    pub fn wearable_capacity_fraction(&self) -> f64 {
        self.pulse_derating.fraction(self.peak_current_ma)
    }
}
