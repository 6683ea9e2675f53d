//! Bit error rates of the PHYs the chain's radio links use, as functions of the signal-to-noise ratio.
//!
//! Every [`Modulation::ber`] takes the SNR as a linear power ratio **over that modulation's reference noise
//! bandwidth** [`Modulation::noise_bandwidth_hz`] (the receiver's channel bandwidth), and converts it to what its
//! formula needs: Eb/N0 = SNR·B/R_b with B the noise bandwidth and R_b the bit rate ([`Modulation::ebn0`]).
//! Formulas and sources (full text in docs/model.md, "Link losses and the radio channel"):
//!
//! * BLE LE 1M / 2M (GFSK, h = 0.5) as non-coherent binary FSK: BER = ½·exp(−Eb/(2N0)) (Proakis, *Digital
//!   Communications*, 4th ed., §5.4, binary orthogonal signals with non-coherent detection). The curve is an
//!   approximation for h = 0.5 GFSK; the receiver's effective noise figure is calibrated to the datasheet
//!   sensitivity, so the curve passes through the measured BER = 10⁻³ point ([`super::raw`]).
//! * IEEE 802.15.4 2.4 GHz O-QPSK/DSSS: the standard's own expression (IEEE Std 802.15.4-2006, Annex E,
//!   E.4.1.8), 16-ary orthogonal non-coherent detection:
//!   BER = (8/15)·(1/16)·Σ_{k=2}^{16} (−1)^k·C(16,k)·exp(20·SINR·(1/k − 1)), SINR over the 2 MHz channel.
//! * IEEE 802.11a/g OFDM (6–54 Mbit/s) and 802.11n HT MCS 0–7 (20 MHz, long guard interval): the "NIST" model of
//!   Pei & Henderson, "Validation of OFDM error rate model in ns-3" (Boeing, 2010): the uncoded BER of the
//!   subcarrier constellation at the channel SNR (taken as the per-subcarrier Es/N0), then the union bound of the
//!   K = 7 convolutional code for hard-decision Viterbi decoding with the Bhattacharyya bound
//!   P_d ≈ ½·D^d, D = √(4p(1−p)): P_b ≤ 1/(2k)·Σ_d c_d·D^d, with the information-weight spectra c_d of the
//!   rate-1/2 code and its rate-2/3, 3/4 and 5/6 punctured versions (Frenger, Orten, Ottosson, IEEE Comm.
//!   Letters 3(11), 1999; Haccoun & Bégin, IEEE Trans. Comm. 37(11), 1989, Table V for 5/6).
//! * IEEE 802.11b DSSS: DBPSK 1 Mbit/s BER = ½·exp(−Eb/N0); DQPSK 2 Mbit/s the high-SNR approximation
//!   BER ≈ (√2+1)/√(8π√2) · exp(−(2−√2)·Eb/N0)/√(Eb/N0) (Proakis, 4th ed., §5.2, differentially coherent PSK),
//!   with Eb/N0 = SNR·22 MHz/R_b (the 11-chip Barker spreading gain), as in Pei & Henderson's DSSS model.
//!   CCK 5.5/11 Mbit/s are not provided: their symbol error rate needs a numerical integral per call.
//!
//! All results are clamped to [0, ½] (a union bound or an asymptotic expression can exceed ½ at low SNR).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use statrs::function::erf::erfc;

/// A PHY modulation and coding scheme whose bit error rate the channel model knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub enum Modulation {
    /// Bluetooth LE 1M PHY: GFSK (h = 0.5) at 1 Mbit/s, noise bandwidth 1 MHz, as non-coherent binary FSK.
    #[serde(rename = "ble_1m")]
    Ble1M,
    /// Bluetooth LE 2M PHY: GFSK (h = 0.5) at 2 Mbit/s, noise bandwidth 2 MHz, as non-coherent binary FSK.
    #[serde(rename = "ble_2m")]
    Ble2M,
    /// IEEE 802.15.4 2.4 GHz O-QPSK with 16-ary DSSS, 250 kbit/s, noise bandwidth 2 MHz.
    #[serde(rename = "ieee802154")]
    Ieee802154,
    /// IEEE 802.11b DSSS DBPSK, 1 Mbit/s, noise bandwidth 22 MHz.
    #[serde(rename = "dsss_1")]
    Dsss1,
    /// IEEE 802.11b DSSS DQPSK, 2 Mbit/s, noise bandwidth 22 MHz.
    #[serde(rename = "dsss_2")]
    Dsss2,
    /// IEEE 802.11a/g OFDM 6 Mbit/s: BPSK, rate 1/2; noise bandwidth 20 MHz.
    #[serde(rename = "ofdm_6")]
    Ofdm6,
    /// OFDM 9 Mbit/s: BPSK, rate 3/4.
    #[serde(rename = "ofdm_9")]
    Ofdm9,
    /// OFDM 12 Mbit/s: QPSK, rate 1/2.
    #[serde(rename = "ofdm_12")]
    Ofdm12,
    /// OFDM 18 Mbit/s: QPSK, rate 3/4.
    #[serde(rename = "ofdm_18")]
    Ofdm18,
    /// OFDM 24 Mbit/s: 16-QAM, rate 1/2.
    #[serde(rename = "ofdm_24")]
    Ofdm24,
    /// OFDM 36 Mbit/s: 16-QAM, rate 3/4.
    #[serde(rename = "ofdm_36")]
    Ofdm36,
    /// OFDM 48 Mbit/s: 64-QAM, rate 2/3.
    #[serde(rename = "ofdm_48")]
    Ofdm48,
    /// OFDM 54 Mbit/s: 64-QAM, rate 3/4.
    #[serde(rename = "ofdm_54")]
    Ofdm54,
    /// 802.11n HT MCS 0 (20 MHz, 800 ns GI, one stream): BPSK 1/2, 6.5 Mbit/s.
    #[serde(rename = "ht_mcs0")]
    HtMcs0,
    /// HT MCS 1: QPSK 1/2, 13 Mbit/s.
    #[serde(rename = "ht_mcs1")]
    HtMcs1,
    /// HT MCS 2: QPSK 3/4, 19.5 Mbit/s.
    #[serde(rename = "ht_mcs2")]
    HtMcs2,
    /// HT MCS 3: 16-QAM 1/2, 26 Mbit/s.
    #[serde(rename = "ht_mcs3")]
    HtMcs3,
    /// HT MCS 4: 16-QAM 3/4, 39 Mbit/s.
    #[serde(rename = "ht_mcs4")]
    HtMcs4,
    /// HT MCS 5: 64-QAM 2/3, 52 Mbit/s.
    #[serde(rename = "ht_mcs5")]
    HtMcs5,
    /// HT MCS 6: 64-QAM 3/4, 58.5 Mbit/s.
    #[serde(rename = "ht_mcs6")]
    HtMcs6,
    /// HT MCS 7: 64-QAM 5/6, 65 Mbit/s.
    #[serde(rename = "ht_mcs7")]
    HtMcs7,
}

/// Subcarrier constellation of an OFDM mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Constellation {
    Bpsk,
    Qpsk,
    Qam16,
    Qam64,
}

/// Convolutional code rate of an OFDM mode (the K = 7 (133, 171) code, punctured above 1/2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CodeRate {
    R12,
    R23,
    R34,
    R56,
}

/// Information-weight distance spectrum of one code rate: free distance, distance step between listed terms,
/// the input bits k per puncturing period, and the first ten (nine for rate 1/2) coefficients c_d.
struct Spectrum {
    d_free: i32,
    step: i32,
    k: f64,
    c: &'static [f64],
}

/// Rate 1/2, K = 7 (133, 171): d_free = 10, only even distances (Frenger, Orten, Ottosson 1999; as tabulated in
/// Pei & Henderson 2010 and ns-3's `NistErrorRateModel`).
const SPECTRUM_R12: Spectrum = Spectrum {
    d_free: 10,
    step: 2,
    k: 1.0,
    c: &[36.0, 211.0, 1404.0, 11633.0, 77433.0, 502690.0, 3322763.0, 21292910.0, 134365911.0],
};
/// Rate 2/3 punctured: d_free = 6 (same sources).
const SPECTRUM_R23: Spectrum = Spectrum {
    d_free: 6,
    step: 1,
    k: 2.0,
    c: &[3.0, 70.0, 285.0, 1276.0, 6160.0, 27128.0, 117019.0, 498860.0, 2103891.0, 8784123.0],
};
/// Rate 3/4 punctured: d_free = 5 (same sources).
const SPECTRUM_R34: Spectrum = Spectrum {
    d_free: 5,
    step: 1,
    k: 3.0,
    c: &[42.0, 201.0, 1492.0, 10469.0, 62935.0, 379644.0, 2253373.0, 13073811.0, 75152755.0, 428005675.0],
};
/// Rate 5/6 punctured: d_free = 4 (Haccoun & Bégin 1989, Table V, as used by ns-3's `NistErrorRateModel`).
const SPECTRUM_R56: Spectrum = Spectrum {
    d_free: 4,
    step: 1,
    k: 5.0,
    c: &[92.0, 528.0, 8694.0, 79453.0, 792114.0, 7375573.0, 67884974.0, 610875423.0, 5427275376.0, 47664215639.0],
};

/// Largest bit error rate any formula returns: a fair coin.
const MAX_BER: f64 = 0.5;

/// The 802.15.4 sum's signed binomial coefficients (−1)^k·C(16, k) for k = 2..=16.
const IEEE802154_TERMS: [f64; 15] = [
    120.0, -560.0, 1820.0, -4368.0, 8008.0, -11440.0, 12870.0, -11440.0, 8008.0, -4368.0, 1820.0, -560.0, 120.0, -16.0,
    1.0,
];

impl Modulation {
    /// Every modulation, for tests and listings.
    pub const ALL: [Modulation; 21] = [
        Modulation::Ble1M,
        Modulation::Ble2M,
        Modulation::Ieee802154,
        Modulation::Dsss1,
        Modulation::Dsss2,
        Modulation::Ofdm6,
        Modulation::Ofdm9,
        Modulation::Ofdm12,
        Modulation::Ofdm18,
        Modulation::Ofdm24,
        Modulation::Ofdm36,
        Modulation::Ofdm48,
        Modulation::Ofdm54,
        Modulation::HtMcs0,
        Modulation::HtMcs1,
        Modulation::HtMcs2,
        Modulation::HtMcs3,
        Modulation::HtMcs4,
        Modulation::HtMcs5,
        Modulation::HtMcs6,
        Modulation::HtMcs7,
    ];

    /// PHY bit rate in bit/s (data bits, after coding for the OFDM modes).
    pub fn bit_rate_bps(self) -> f64 {
        use Modulation::*;
        match self {
            Ble1M | Dsss1 => 1.0e6,
            Ble2M | Dsss2 => 2.0e6,
            Ieee802154 => 250.0e3,
            Ofdm6 => 6.0e6,
            Ofdm9 => 9.0e6,
            Ofdm12 => 12.0e6,
            Ofdm18 => 18.0e6,
            Ofdm24 => 24.0e6,
            Ofdm36 => 36.0e6,
            Ofdm48 => 48.0e6,
            Ofdm54 => 54.0e6,
            HtMcs0 => 6.5e6,
            HtMcs1 => 13.0e6,
            HtMcs2 => 19.5e6,
            HtMcs3 => 26.0e6,
            HtMcs4 => 39.0e6,
            HtMcs5 => 52.0e6,
            HtMcs6 => 58.5e6,
            HtMcs7 => 65.0e6,
        }
    }

    /// The receiver noise bandwidth, in Hz, over which [`Modulation::ber`]'s SNR is measured: BLE 1M 1 MHz and
    /// 2M 2 MHz (one bit per symbol, noise bandwidth = symbol rate); 802.15.4 2 MHz (its channel); 802.11b 22 MHz
    /// (its channel, as in Pei & Henderson's DSSS model); OFDM and HT 20 MHz.
    pub fn noise_bandwidth_hz(self) -> f64 {
        use Modulation::*;
        match self {
            Ble1M => 1.0e6,
            Ble2M | Ieee802154 => 2.0e6,
            Dsss1 | Dsss2 => 22.0e6,
            _ => 20.0e6,
        }
    }

    /// Eb/N0 (linear) at a linear SNR over [`Modulation::noise_bandwidth_hz`]: SNR·B/R_b.
    pub fn ebn0(self, snr_linear: f64) -> f64 {
        snr_linear * self.noise_bandwidth_hz() / self.bit_rate_bps()
    }

    /// Subcarrier constellation and code rate of the OFDM and HT modes; `None` for the others.
    fn ofdm(self) -> Option<(Constellation, CodeRate)> {
        use CodeRate::*;
        use Constellation::*;
        use Modulation::*;
        Some(match self {
            Ofdm6 | HtMcs0 => (Bpsk, R12),
            Ofdm9 => (Bpsk, R34),
            Ofdm12 | HtMcs1 => (Qpsk, R12),
            Ofdm18 | HtMcs2 => (Qpsk, R34),
            Ofdm24 | HtMcs3 => (Qam16, R12),
            Ofdm36 | HtMcs4 => (Qam16, R34),
            Ofdm48 | HtMcs5 => (Qam64, R23),
            Ofdm54 | HtMcs6 => (Qam64, R34),
            HtMcs7 => (Qam64, R56),
            Ble1M | Ble2M | Ieee802154 | Dsss1 | Dsss2 => return None,
        })
    }

    /// Bit error rate at a linear SNR measured over [`Modulation::noise_bandwidth_hz`] (not Eb/N0: the
    /// conversion is done here). For OFDM and HT this is the decoded (post-Viterbi) bit error rate. In [0, ½];
    /// a non-positive or NaN SNR gives ½.
    pub fn ber(self, snr_linear: f64) -> f64 {
        if snr_linear.is_nan() || snr_linear <= 0.0 {
            return MAX_BER;
        }
        let ber = match self {
            Modulation::Ble1M | Modulation::Ble2M => nc_fsk_ber(self.ebn0(snr_linear)),
            Modulation::Ieee802154 => ieee802154_ber(snr_linear),
            Modulation::Dsss1 => dbpsk_ber(self.ebn0(snr_linear)),
            Modulation::Dsss2 => dqpsk_ber(self.ebn0(snr_linear)),
            _ => {
                let (constellation, rate) = self.ofdm().expect("every other modulation is OFDM");
                coded_ber(uncoded_ber(constellation, snr_linear), rate)
            }
        };
        ber.clamp(0.0, MAX_BER)
    }

    /// [`Modulation::ber`] at an SNR in dB.
    pub fn ber_db(self, snr_db: f64) -> f64 {
        self.ber(db_to_linear(snr_db))
    }

    /// An SNR in dB from which [`Modulation::ber_db`] is exactly 0 (every term of its formula underflows), so that
    /// a caller may skip computing it; +∞ if it is not 0 anywhere up to 400 dB.
    ///
    /// The first point of a ¼ dB grid at which the BER is 0, plus [`ERROR_FREE_MARGIN_DB`]: every formula falls
    /// with the SNR and reaches 0 through an `exp` or `erfc` of an argument that only grows in magnitude from
    /// there, so the margin covers the rounding of the formula near the point where it first underflows (a test
    /// checks a dense grid above the threshold of every modulation). Computed once for all modulations.
    pub fn error_free_snr_db(self) -> f64 {
        static TABLE: std::sync::OnceLock<[f64; Modulation::ALL.len()]> = std::sync::OnceLock::new();
        let first_zero = |m: Modulation| {
            (0..=1800)
                .map(|i| -50.0 + 0.25 * f64::from(i))
                .find(|&snr_db| m.ber_db(snr_db) == 0.0)
                .map_or(f64::INFINITY, |snr_db| snr_db + ERROR_FREE_MARGIN_DB)
        };
        // `ALL` lists the modulations in declaration order, so a modulation's discriminant is its index.
        TABLE.get_or_init(|| Modulation::ALL.map(first_zero))[self as usize]
    }
}

/// Margin added to the first SNR at which a BER formula gives exactly 0 ([`Modulation::error_free_snr_db`]), dB:
/// 1 dB multiplies the linear SNR by 1.26, far beyond the rounding of the formula.
pub const ERROR_FREE_MARGIN_DB: f64 = 1.0;

/// A power ratio in dB as a linear ratio: 10^(x/10), as one `exp`.
pub fn db_to_linear(db: f64) -> f64 {
    (db * (std::f64::consts::LN_10 / 10.0)).exp()
}

/// Non-coherent binary orthogonal FSK: ½·exp(−Eb/(2N0)) (Proakis, 4th ed., §5.4).
pub fn nc_fsk_ber(ebn0: f64) -> f64 {
    0.5 * (-0.5 * ebn0).exp()
}

/// Differentially coherent BPSK (DBPSK): ½·exp(−Eb/N0) (Proakis, 4th ed., §5.2).
pub fn dbpsk_ber(ebn0: f64) -> f64 {
    0.5 * (-ebn0).exp()
}

/// DQPSK with Gray coding, high-SNR approximation (Proakis, 4th ed., §5.2):
/// (√2+1)/√(8π√2) · exp(−(2−√2)·Eb/N0)/√(Eb/N0). Not clamped here; it exceeds ½ below Eb/N0 ≈ 0.2.
pub fn dqpsk_ber(ebn0: f64) -> f64 {
    let sqrt2 = std::f64::consts::SQRT_2;
    let factor = (sqrt2 + 1.0) / (8.0 * std::f64::consts::PI * sqrt2).sqrt();
    factor * (-(2.0 - sqrt2) * ebn0).exp() / ebn0.sqrt()
}

/// IEEE 802.15.4-2006 Annex E (E.4.1.8): (8/15)·(1/16)·Σ_{k=2}^{16} (−1)^k·C(16,k)·exp(20·SINR·(1/k − 1)).
pub fn ieee802154_ber(sinr: f64) -> f64 {
    let mut sum = 0.0;
    for (i, coefficient) in IEEE802154_TERMS.iter().enumerate() {
        let k = (i + 2) as f64;
        sum += coefficient * (20.0 * sinr * (1.0 / k - 1.0)).exp();
    }
    sum * (8.0 / 15.0 / 16.0)
}

/// Uncoded BER of a subcarrier constellation at symbol SNR `snr` (Pei & Henderson 2010; Proakis): BPSK
/// ½·erfc(√γ); QPSK ½·erfc(√(γ/2)); square M-QAM with Gray coding (2/log₂M)(1 − 1/√M)·erfc(√(3γ/(2(M−1)))).
fn uncoded_ber(constellation: Constellation, snr: f64) -> f64 {
    match constellation {
        Constellation::Bpsk => 0.5 * erfc(snr.sqrt()),
        Constellation::Qpsk => 0.5 * erfc((0.5 * snr).sqrt()),
        // M = 16: (2/4)(3/4) = 3/8; 3/(2·15) = 1/10.
        Constellation::Qam16 => 0.375 * erfc((snr / 10.0).sqrt()),
        // M = 64: (2/6)(7/8) = 7/24; 3/(2·63) = 1/42.
        Constellation::Qam64 => (7.0 / 24.0) * erfc((snr / 42.0).sqrt()),
    }
}

/// Decoded BER bound for hard-decision Viterbi decoding: 1/(2k)·Σ c_d·D^d with D = √(4p(1−p)).
fn coded_ber(p: f64, rate: CodeRate) -> f64 {
    let spectrum = match rate {
        CodeRate::R12 => &SPECTRUM_R12,
        CodeRate::R23 => &SPECTRUM_R23,
        CodeRate::R34 => &SPECTRUM_R34,
        CodeRate::R56 => &SPECTRUM_R56,
    };
    let d = (4.0 * p * (1.0 - p)).sqrt();
    let mut power = d.powi(spectrum.d_free);
    let step = d.powi(spectrum.step);
    let mut sum = 0.0;
    for &c in spectrum.c {
        sum += c * power;
        power *= step;
    }
    sum / (2.0 * spectrum.k)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chain::channel::per_from_ber;

    /// Success probability of a frame of `bits` bits at `snr_db`.
    fn psr(m: Modulation, snr_db: f64, bits: u64) -> f64 {
        1.0 - per_from_ber(m.ber_db(snr_db), bits)
    }

    /// The SNR in dB at which a frame of `bits` bits is lost with probability `per` (bisection on [−20, 60] dB).
    fn snr_for_per(m: Modulation, per: f64, bits: u64) -> f64 {
        let (mut lo, mut hi) = (-20.0, 60.0);
        for _ in 0..100 {
            let mid = 0.5 * (lo + hi);
            if per_from_ber(m.ber_db(mid), bits) > per {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        0.5 * (lo + hi)
    }

    #[test]
    fn nc_fsk_closed_form() {
        // Eb/N0 = 10 dB = 10: ½·e^{−5} = 0.5 · 0.006737947 = 3.3690e-3. BLE 1M: B = R_b = 1 MHz, so SNR = Eb/N0;
        // BLE 2M: B = R_b = 2 MHz, the same.
        let expected = 0.5 * (-5.0f64).exp();
        assert!((expected - 3.369e-3).abs() < 1e-6);
        for m in [Modulation::Ble1M, Modulation::Ble2M] {
            assert!((m.ber_db(10.0) / expected - 1.0).abs() < 1e-12, "{m:?}");
        }
        // Eb/N0 = 0: ½.
        assert!((nc_fsk_ber(0.0) - 0.5).abs() < 1e-15);
    }

    #[test]
    fn ieee802154_against_the_standard_formula_values() {
        // Reference values of the same expression from ns-3's LrWpanErrorModel test (lr-wpan-error-model-test.cc):
        // (SNR dB, BER, tolerance).
        for (snr_db, ber, tol) in [
            (5.0, 7.38e-14, 0.01e-14),
            (2.0, 5.13e-7, 0.01e-7),
            (-1.0, 0.00114, 0.00001),
            (-4.0, 0.0391, 0.0001),
            (-7.0, 0.175, 0.001),
        ] {
            let got = Modulation::Ieee802154.ber_db(snr_db);
            assert!((got - ber).abs() < tol, "SNR {snr_db} dB: {got} vs {ber}");
        }
        // At SINR = 0 the terms sum to Σ_{k=2}^{16} (−1)^k C(16,k) = 0 − 1 + 16 = 15: BER = (8/15)(1/16)·15 = ½.
        assert!((ieee802154_ber(0.0) - 0.5).abs() < 1e-12);
        // BER = 1e-5 is crossed near +1.1 dB (not −1 dB, where the BER is 1.1e-3).
        let at = snr_for_per(Modulation::Ieee802154, 1e-5, 1);
        eprintln!("802.15.4: BER 1e-5 at SINR {at:.2} dB");
        assert!((1.0..1.2).contains(&at), "{at}");
    }

    #[test]
    fn ofdm_against_pei_henderson_nist_model() {
        // Frame success rates of 2000-byte frames from ns-3's NistErrorRateModel test (wifi-error-rate-models-test.cc,
        // values generated by ofdm-validation.cc, the program of Pei & Henderson's validation): (mode, SNR dB,
        // success rate, tolerance).
        use Modulation::*;
        let cases = [
            (Ofdm6, 2.5, 2.04e-10, 1e-10),
            (Ofdm6, 3.0, 0.020, 0.001),
            (Ofdm6, 4.0, 0.885, 0.001),
            (Ofdm6, 5.0, 0.997, 0.001),
            (Ofdm9, 6.0, 0.097, 0.001),
            (Ofdm9, 7.0, 0.918, 0.001),
            (Ofdm9, 8.0, 0.998, 0.001),
            (Ofdm12, 6.0, 0.0174, 0.001),
            (Ofdm12, 7.0, 0.881, 0.001),
            (Ofdm12, 8.0, 0.997, 0.001),
            (Ofdm18, 8.5, 2.85e-6, 1e-6),
            (Ofdm18, 9.5, 0.623, 0.001),
            (Ofdm18, 10.5, 0.985, 0.001),
            (Ofdm24, 12.0, 2.22e-7, 1e-7),
            (Ofdm24, 13.0, 0.495, 0.001),
            (Ofdm24, 14.0, 0.974, 0.001),
            (Ofdm36, 15.5, 0.012, 0.001),
            (Ofdm36, 16.5, 0.818, 0.001),
            (Ofdm36, 17.5, 0.993, 0.001),
            (Ofdm48, 20.0, 1.3e-4, 1e-4),
            (Ofdm48, 21.0, 0.649, 0.001),
            (Ofdm48, 22.0, 0.983, 0.001),
            (Ofdm54, 21.0, 5.44e-8, 1e-8),
            (Ofdm54, 22.0, 0.410, 0.001),
            (Ofdm54, 23.0, 0.958, 0.001),
            (Ofdm54, 24.0, 0.999, 0.001),
        ];
        for (m, snr_db, expected, tol) in cases {
            let got = psr(m, snr_db, 2000 * 8);
            assert!((got - expected).abs() <= tol, "{m:?} at {snr_db} dB: {got} vs {expected}");
        }
        // PER 10% for 2000-byte frames at 54 Mbit/s: between 22 dB (PER 0.59) and 23 dB (PER 0.042).
        let at = snr_for_per(Ofdm54, 0.1, 2000 * 8);
        eprintln!("OFDM 54 Mbit/s: PER 10% (2000 bytes) at {at:.2} dB");
        assert!((22.0..23.0).contains(&at), "{at}");
    }

    #[test]
    fn faster_modes_need_more_snr() {
        use Modulation::*;
        for chain in [
            &[Ofdm6, Ofdm9, Ofdm12, Ofdm18, Ofdm24, Ofdm36, Ofdm48, Ofdm54][..],
            &[HtMcs0, HtMcs1, HtMcs2, HtMcs3, HtMcs4, HtMcs5, HtMcs6, HtMcs7][..],
            &[Dsss1, Dsss2][..],
        ] {
            let thresholds: Vec<f64> = chain.iter().map(|&m| snr_for_per(m, 0.1, 1000 * 8)).collect();
            eprintln!("PER 10% (1000 bytes), dB: {:?}", chain.iter().zip(&thresholds).collect::<Vec<_>>());
            assert!(thresholds.windows(2).all(|w| w[0] < w[1]), "{chain:?}: {thresholds:?}");
        }
        // HT modes with the 802.11a constellation and rate have the same BER curve (MCS0 = 6 Mbit/s, MCS6 = 54).
        assert_eq!(HtMcs0.ber_db(3.0), Ofdm6.ber_db(3.0));
        assert_eq!(HtMcs6.ber_db(21.0), Ofdm54.ber_db(21.0));
    }

    #[test]
    fn dsss_against_pei_henderson_validation() {
        // ns-3 DsssErrorRateModel test (values from the 80211b.c program of the validation): 1078-byte frames
        // (1024 + 40 + 14), SINR = RSS − (−100.5522786 dBm thermal noise in 22 MHz + 7 dB noise figure).
        let bits = (1024 + 40 + 14) * 8;
        let snr = |rss_dbm: f64| rss_dbm - (-100.5522786 + 7.0);
        let dbpsk = [(-99.0, 0.0003, 0.0001), (-98.0, 0.202, 0.005), (-97.0, 0.813, 0.005), (-96.0, 0.984, 0.005)];
        let dqpsk = [(-95.0, 4.5e-6, 1e-6), (-94.0, 0.036, 0.005), (-93.0, 0.519, 0.005), (-92.0, 0.915, 0.005)];
        for (m, cases) in [(Modulation::Dsss1, dbpsk), (Modulation::Dsss2, dqpsk)] {
            for (rss, expected, tol) in cases {
                let got = psr(m, snr(rss), bits);
                assert!((got - expected).abs() <= tol, "{m:?} at {rss} dBm: {got} vs {expected}");
            }
        }
    }

    #[test]
    fn every_curve_is_a_probability_and_falls_with_snr() {
        for m in Modulation::ALL {
            assert_eq!(m.ber(0.0), 0.5);
            assert_eq!(m.ber(-1.0), 0.5);
            assert_eq!(m.ber(f64::NAN), 0.5);
            let mut last = 0.5;
            for i in 0..=500 {
                let b = m.ber_db(-10.0 + 0.1 * f64::from(i));
                assert!((0.0..=0.5).contains(&b), "{m:?}: {b}");
                assert!(b <= last + 1e-15, "{m:?} rises at step {i}: {last} → {b}");
                last = b;
            }
            assert!(m.ber_db(40.0) < 1e-12, "{m:?}");
        }
    }
}
