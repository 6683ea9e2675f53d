//! IEEE 802.11 PHY timing for the access hop: 802.11b (HR/DSSS), 802.11g (ERP-OFDM) and 802.11n (HT20, one
//! spatial stream, HT-mixed format, 800 ns guard interval), all in the 2.4 GHz band.
//!
//! Every figure cites IEEE Std 802.11-2016; table numbers were checked against public references that quote them
//! (ns-3 `wifi-phy.cc` comments for Tables 16-4 and 18-5, the WARP project's receiver characterisation page for the
//! sensitivity clauses); where only another edition's number could be checked it is marked "(unverified)".

/// How a PPDU is modulated and framed; it fixes the preamble and how the payload maps to air time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// DSSS (1, 2 Mbit/s; Clause 15) and HR/DSSS CCK (5.5, 11 Mbit/s; Clause 16).
    Dsss,
    /// ERP-OFDM (Clause 18, the OFDM PHY of Clause 17 in the 2.4 GHz band, with a 6 µs signal extension).
    ErpOfdm,
    /// HT-mixed format, 20 MHz, one spatial stream, BCC, 800 ns guard interval (Clause 19).
    HtMixed,
}

/// Which amendment's PHY the access hop uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standard {
    /// 802.11b: HR/DSSS.
    B,
    /// 802.11g: ERP-OFDM only (no 802.11b stations in the BSS, so no protection frames).
    G,
    /// 802.11n: HT20 single stream in the 2.4 GHz band.
    N,
}

/// One PHY data rate with the figures the model needs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rate {
    /// Data rate, Mbit/s.
    pub mbps: f64,
    /// HT MCS index (802.11n only).
    pub mcs: Option<u8>,
    /// PPDU format.
    pub format: Format,
    /// Data bits per OFDM symbol N_DBPS (0 for DSSS): Table 17-4 (OFDM), Table 19-27 (HT MCS, 20 MHz, 1 stream).
    pub ndbps: u32,
    /// Rate compared with the BSS basic rate set to pick the ACK rate: the rate itself for non-HT rates, the
    /// "non-HT reference rate" of the MCS for HT (BPSK 1/2 → 6, QPSK 1/2 → 12, QPSK 3/4 → 18, 16-QAM 1/2 → 24,
    /// 16-QAM 3/4 → 36, 64-QAM 2/3 → 48, 64-QAM 3/4 and 5/6 → 54 Mbit/s), Mbit/s.
    pub ref_mbps: f64,
    /// Typical receiver sensitivity of the ESP32-WROOM-32E, dBm (datasheet v2.0, Table 21 "RX Sensitivity"; PER
    /// limit 8% for 11b, 10% for 11g/n).
    pub esp32_sensitivity_dbm: f64,
    /// The standard's minimum input sensitivity, dBm, where it gives one: 802.11-2016 15.4.6.2 (DSSS, 2 Mbit/s),
    /// the HR/DSSS clause (11 Mbit/s, −76 dBm; subclause number unverified), 17.3.10.2 Table 17-18 (OFDM),
    /// 19.3.19.1 Table 19-23 (HT, 20 MHz).
    pub ieee_min_sensitivity_dbm: Option<f64>,
}

const fn dsss(mbps: f64, esp: f64, ieee: Option<f64>) -> Rate {
    Rate {
        mbps,
        mcs: None,
        format: Format::Dsss,
        ndbps: 0,
        ref_mbps: mbps,
        esp32_sensitivity_dbm: esp,
        ieee_min_sensitivity_dbm: ieee,
    }
}

const fn ofdm(mbps: f64, ndbps: u32, esp: f64, ieee: f64) -> Rate {
    Rate {
        mbps,
        mcs: None,
        format: Format::ErpOfdm,
        ndbps,
        ref_mbps: mbps,
        esp32_sensitivity_dbm: esp,
        ieee_min_sensitivity_dbm: Some(ieee),
    }
}

const fn ht(mcs: u8, mbps: f64, ndbps: u32, ref_mbps: f64, esp: f64, ieee: f64) -> Rate {
    Rate {
        mbps,
        mcs: Some(mcs),
        format: Format::HtMixed,
        ndbps,
        ref_mbps,
        esp32_sensitivity_dbm: esp,
        ieee_min_sensitivity_dbm: Some(ieee),
    }
}

/// 802.11b rates (Clause 15 DSSS 1, 2; Clause 16 HR/DSSS CCK 5.5, 11 Mbit/s).
pub const RATES_11B: [Rate; 4] =
    [dsss(1.0, -97.0, None), dsss(2.0, -94.0, Some(-80.0)), dsss(5.5, -92.0, None), dsss(11.0, -88.0, Some(-76.0))];

/// 802.11g ERP-OFDM rates with N_DBPS (Table 17-4) and sensitivities (ESP32 Table 21; 802.11-2016 Table 17-18).
pub const RATES_11G: [Rate; 8] = [
    ofdm(6.0, 24, -93.0, -82.0),
    ofdm(9.0, 36, -91.0, -81.0),
    ofdm(12.0, 48, -89.0, -79.0),
    ofdm(18.0, 72, -87.0, -77.0),
    ofdm(24.0, 96, -84.0, -74.0),
    ofdm(36.0, 144, -80.0, -70.0),
    ofdm(48.0, 192, -77.0, -66.0),
    ofdm(54.0, 216, -75.0, -65.0),
];

/// 802.11n HT20 MCS 0–7, one stream, 800 ns GI (Table 19-27), sensitivities (ESP32 Table 21; 802.11-2016
/// Table 19-23).
pub const RATES_11N: [Rate; 8] = [
    ht(0, 6.5, 26, 6.0, -92.0, -82.0),
    ht(1, 13.0, 52, 12.0, -88.0, -79.0),
    ht(2, 19.5, 78, 18.0, -86.0, -77.0),
    ht(3, 26.0, 104, 24.0, -83.0, -74.0),
    ht(4, 39.0, 156, 36.0, -80.0, -70.0),
    ht(5, 52.0, 208, 48.0, -76.0, -66.0),
    ht(6, 58.5, 234, 54.0, -74.0, -65.0),
    ht(7, 65.0, 260, 54.0, -72.0, -64.0),
];

/// BSS basic rate set of an 802.11b BSS, Mbit/s: {1, 2}, the DSSS rates every 802.11b station supports (ours: the
/// common access-point default; an AP may advertise more).
pub const BASIC_11B_MBPS: [f64; 2] = [1.0, 2.0];
/// BSS basic rate set of an ERP-OFDM or HT BSS, Mbit/s: the mandatory OFDM rates {6, 12, 24} (17.3.5 / 18.2.2).
pub const BASIC_OFDM_MBPS: [f64; 3] = [6.0, 12.0, 24.0];

/// MPDU of an ACK frame: frame control 2 + duration 2 + receiver address 6 + FCS 4 = 14 bytes (9.3.1.4).
pub const ACK_MPDU_BYTES: u32 = 14;

/// SIFS in the 2.4 GHz band, seconds: 10 µs (Table 16-4 HR/DSSS, Table 18-5 ERP, Table 19-25 HT at 2.4 GHz).
pub const SIFS_2G4_S: f64 = 10e-6;
/// Long slot, seconds: 20 µs (Table 16-4; Table 18-5 "long slot").
pub const LONG_SLOT_S: f64 = 20e-6;
/// Short slot, seconds: 9 µs (Table 18-5, ERP with dot11ShortSlotTimeOptionActivated; Table 19-25).
pub const SHORT_SLOT_S: f64 = 9e-6;
/// HR/DSSS long PLCP preamble 144 µs + header 48 µs (both at 1 Mbit/s), seconds (Table 16-4; 16.2.2.2).
pub const DSSS_LONG_PLCP_S: f64 = 192e-6;
/// HR/DSSS short PLCP preamble 72 µs (1 Mbit/s) + header 24 µs (2 Mbit/s), seconds (16.2.2.3).
pub const DSSS_SHORT_PLCP_S: f64 = 96e-6;
/// OFDM preamble 16 µs + SIGNAL 4 µs, seconds (17.3.2.4, Table 17-5 T_PREAMBLE, T_SIGNAL).
pub const OFDM_PREAMBLE_SIGNAL_S: f64 = 20e-6;
/// HT-mixed preamble for one stream: L-STF 8 + L-LTF 8 + L-SIG 4 + HT-SIG 8 + HT-STF 4 + one HT-LTF 4 = 36 µs,
/// seconds (Table 19-6 timing-related constants; TXTIME of 19.4.3).
pub const HT_MIXED_PREAMBLE_S: f64 = 36e-6;
/// OFDM symbol with 800 ns guard interval, seconds: 4 µs (Table 17-5 T_SYM; Table 19-6 T_SYM).
pub const OFDM_SYMBOL_S: f64 = 4e-6;
/// SERVICE field bits ahead of the PSDU (17.3.5.2) and tail bits after it (17.3.5.3), per OFDM/HT PPDU.
pub const OFDM_SERVICE_PLUS_TAIL_BITS: u32 = 16 + 6;
/// Signal extension after every ERP-OFDM or 2.4 GHz HT PPDU, seconds: 6 µs (18.3.2.4 / Table 18-5
/// aSignalExtension; 19.3.2 for HT in the 2.4 GHz band).
pub const SIGNAL_EXTENSION_S: f64 = 6e-6;

/// A configured PHY: the standard, the slot (11g/11n) and the preamble (11b).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Phy {
    /// Which amendment.
    pub standard: Standard,
    /// 9 µs slot (11g, 11n) instead of 20 µs; ignored by 11b.
    pub short_slot: bool,
    /// 96 µs short PLCP (11b at 2, 5.5, 11 Mbit/s) instead of 192 µs; ignored by 11g and 11n.
    pub short_preamble: bool,
}

impl Phy {
    /// 802.11b, long or short preamble.
    pub const fn b(short_preamble: bool) -> Phy {
        Phy { standard: Standard::B, short_slot: false, short_preamble }
    }

    /// 802.11g (ERP-OFDM), short (9 µs) or long (20 µs) slot.
    pub const fn g(short_slot: bool) -> Phy {
        Phy { standard: Standard::G, short_slot, short_preamble: false }
    }

    /// 802.11n HT20 single stream in 2.4 GHz, short or long slot.
    pub const fn n(short_slot: bool) -> Phy {
        Phy { standard: Standard::N, short_slot, short_preamble: false }
    }

    /// The data rates, lowest first.
    pub fn rates(&self) -> &'static [Rate] {
        match self.standard {
            Standard::B => &RATES_11B,
            Standard::G => &RATES_11G,
            Standard::N => &RATES_11N,
        }
    }

    /// The rate of exactly `mbps`, if the PHY has one.
    pub fn rate(&self, mbps: f64) -> Option<Rate> {
        self.rates().iter().copied().find(|r| r.mbps == mbps)
    }

    /// aSlotTime, seconds.
    pub fn slot_s(&self) -> f64 {
        if self.standard != Standard::B && self.short_slot {
            SHORT_SLOT_S
        } else {
            LONG_SLOT_S
        }
    }

    /// aSIFSTime, seconds.
    pub fn sifs_s(&self) -> f64 {
        SIFS_2G4_S
    }

    /// DIFS = aSIFSTime + 2·aSlotTime (802.11-2016 10.3.2.3.5), seconds.
    pub fn difs_s(&self) -> f64 {
        self.sifs_s() + 2.0 * self.slot_s()
    }

    /// aCWmin: 31 for HR/DSSS (Table 16-4); 15 for ERP-OFDM-only and HT BSSs (Table 18-5, Table 19-25).
    pub fn cw_min(&self) -> u32 {
        match self.standard {
            Standard::B => 31,
            Standard::G | Standard::N => 15,
        }
    }

    /// aCWmax: 1023 for all three (Tables 16-4, 18-5, 19-25).
    pub fn cw_max(&self) -> u32 {
        1023
    }

    /// aRxPHYStartDelay, seconds: the PLCP preamble + header for HR/DSSS (192 or 96 µs, Table 16-4); 24 µs for ERP
    /// (Table 18-5, as quoted from 802.11-2012 Table 19-8); 33 µs for HT-mixed (Table 19-25; unverified).
    pub fn rx_phy_start_delay_s(&self) -> f64 {
        match self.standard {
            Standard::B if self.short_preamble => DSSS_SHORT_PLCP_S,
            Standard::B => DSSS_LONG_PLCP_S,
            Standard::G => 24e-6,
            Standard::N => 33e-6,
        }
    }

    /// ACKTimeout = aSIFSTime + aSlotTime + aRxPHYStartDelay (10.3.2.9): how long a sender waits for an ACK that
    /// does not come before it treats the attempt as failed, seconds.
    pub fn ack_timeout_s(&self) -> f64 {
        self.sifs_s() + self.slot_s() + self.rx_phy_start_delay_s()
    }

    /// The BSS basic rate set, Mbit/s.
    pub fn basic_rates_mbps(&self) -> &'static [f64] {
        match self.standard {
            Standard::B => &BASIC_11B_MBPS,
            Standard::G | Standard::N => &BASIC_OFDM_MBPS,
        }
    }
}

/// The rate of the ACK that answers a frame sent at `data`: the highest rate of the BSS basic rate set not above
/// the data rate (for HT, its non-HT reference rate), of the same modulation family; an HT frame is answered in a
/// non-HT (ERP-OFDM) PPDU (802.11-2016 10.7.6.5 "Rate selection for control response frames"; 9.7.6.5 in
/// 802.11-2012). The lowest basic rate if none is below.
pub fn ack_rate(phy: &Phy, data: Rate) -> Rate {
    let table: &[Rate] = match phy.standard {
        Standard::B => &RATES_11B,
        Standard::G | Standard::N => &RATES_11G,
    };
    let basic = phy.basic_rates_mbps();
    let mbps = basic.iter().copied().filter(|&b| b <= data.ref_mbps).fold(basic[0], f64::max);
    table.iter().copied().find(|r| r.mbps == mbps).unwrap_or(table[0])
}

/// Air time of one PPDU carrying `bytes` of PSDU at `rate`, seconds (the TXTIME equations):
/// - DSSS/HR-DSSS (16.3.4): PLCP (192 µs, or 96 µs short — not at 1 Mbit/s, which always uses the long one) +
///   ⌈8·bytes / rate⌉ µs;
/// - ERP-OFDM (18.3.2.4, 17.3.5): 20 µs + 4 µs · ⌈(16 + 8·bytes + 6) / N_DBPS⌉ + 6 µs signal extension;
/// - HT-mixed (19.4.3): 36 µs + 4 µs · ⌈(16 + 8·bytes + 6) / N_DBPS⌉ + 6 µs signal extension.
pub fn ppdu_airtime_s(rate: Rate, bytes: u32, short_preamble: bool) -> f64 {
    let bits = 8.0 * f64::from(bytes);
    match rate.format {
        Format::Dsss => {
            let plcp = if short_preamble && rate.mbps > 1.0 { DSSS_SHORT_PLCP_S } else { DSSS_LONG_PLCP_S };
            // The LENGTH field counts whole microseconds: bits / (Mbit/s) is in µs.
            plcp + (bits / rate.mbps).ceil() * 1e-6
        }
        Format::ErpOfdm | Format::HtMixed => {
            let head = if rate.format == Format::ErpOfdm { OFDM_PREAMBLE_SIGNAL_S } else { HT_MIXED_PREAMBLE_S };
            let symbols = ((bits + f64::from(OFDM_SERVICE_PLUS_TAIL_BITS)) / f64::from(rate.ndbps)).ceil();
            head + symbols * OFDM_SYMBOL_S + SIGNAL_EXTENSION_S
        }
    }
}

/// Air time of a data frame whose MPDU (MAC header + frame body + FCS) is `mpdu_bytes`, sent at `rate`, seconds.
pub fn frame_airtime_s(phy: &Phy, rate: Rate, mpdu_bytes: u32) -> f64 {
    ppdu_airtime_s(rate, mpdu_bytes, phy.short_preamble)
}

/// Air time of the 14-byte ACK that answers a frame sent at `data_rate`, at the control response rate, seconds.
pub fn ack_airtime_s(phy: &Phy, data_rate: Rate) -> f64 {
    ppdu_airtime_s(ack_rate(phy, data_rate), ACK_MPDU_BYTES, phy.short_preamble)
}

/// Thermal noise kT·B at T0 = 290 K in the 20 MHz channel, dBm: −173.98 dBm/Hz + 10·log10(20·10⁶) = −100.97 dBm.
/// The SNR [`select_rate`] takes is the received power over this reference; the receiver's own noise figure and
/// implementation loss are inside the sensitivity figures.
pub const NOISE_REFERENCE_DBM: f64 = -100.97;

/// Least SNR (received power over [`NOISE_REFERENCE_DBM`]) at which `rate` is used, dB: the ESP32-WROOM-32E's
/// typical sensitivity (datasheet v2.0 Table 21) minus the reference noise.
pub fn min_snr_db(rate: Rate) -> f64 {
    rate.esp32_sensitivity_dbm - NOISE_REFERENCE_DBM
}

/// Rate adaptation: the highest rate whose minimum SNR ([`min_snr_db`]) `snr_db` meets; `None` when even the
/// lowest rate's is not met (or `snr_db` is NaN). `snr_db` is the received power over [`NOISE_REFERENCE_DBM`].
pub fn select_rate(phy: &Phy, snr_db: f64) -> Option<Rate> {
    phy.rates().iter().rev().copied().find(|&r| snr_db >= min_snr_db(r))
}

/// Rate adaptation on the received power instead: the highest rate whose sensitivity `rx_dbm` meets.
pub fn select_rate_for_rx_dbm(phy: &Phy, rx_dbm: f64) -> Option<Rate> {
    phy.rates().iter().rev().copied().find(|&r| rx_dbm >= r.esp32_sensitivity_dbm)
}
