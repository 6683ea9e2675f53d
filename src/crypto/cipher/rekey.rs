//! The birthday bound of 64-bit block ciphers (Sweet32: Bhargavan & Leurent, ACM CCS 2016, show plaintext recovery
//! from CBC collisions after about 2^32 blocks under one key): a key may encrypt at most `max_bytes_per_key` bytes
//! (the cipher profile's limit; 2^20 blocks per NIST SP 800-67 Rev. 2 for the built-in 3DES and Blowfish), then a
//! fresh key must be established, at what a fresh key costs in the scheme in use.
//!
//! Closed form: n messages of m encrypted bytes each (m ≤ L) under one initial key and no other rekeying: a key
//! carries k = ⌊L / m⌋ messages, so the limit forces ⌈n / k⌉ − 1 = ⌊(n − 1) / k⌋ rekeys, which is ⌊B / L⌋ (B = n·m)
//! whenever m divides L and B is not a multiple of L.

/// Rekeys the limit forces before and while encrypting a message of `bytes` encrypted bytes, when the current key
/// has already encrypted `used` bytes; and the bytes the key in use afterwards has encrypted. A message that would
/// take the key past the limit goes under a fresh key; a message longer than the limit itself needs
/// ⌈bytes / limit⌉ keys. `limit` `None` never rekeys.
pub fn forced_rekeys(used: u64, bytes: u64, limit: Option<u64>) -> (u64, u64) {
    let Some(limit) = limit.filter(|&l| l > 0) else { return (0, used.saturating_add(bytes)) };
    let mut rekeys = 0;
    let mut used = used;
    if used > 0 && used.saturating_add(bytes) > limit {
        rekeys += 1;
        used = 0;
    }
    if bytes > limit {
        let extra = (bytes - 1) / limit;
        rekeys += extra;
        return (rekeys, bytes - extra * limit);
    }
    (rekeys, used + bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rekeys_follow_the_closed_form() {
        // n messages of m bytes under L: ⌊(n − 1) / ⌊L / m⌋⌋ rekeys.
        for (n, m, l) in [(1_000u64, 24u64, 240u64), (1_000, 24, 250), (7, 8, 8), (5_000, 16, 8 << 20)] {
            let (mut used, mut rekeys) = (0, 0);
            for _ in 0..n {
                let (r, u) = forced_rekeys(used, m, Some(l));
                rekeys += r;
                used = u;
            }
            assert_eq!(rekeys, (n - 1) / (l / m), "n {n} m {m} l {l}");
        }
        // With m dividing L and B not a multiple of L: ⌊B / L⌋ (1 001 × 24 = 24 024 bytes over 240: 100 rekeys).
        let mut used = 0;
        let mut rekeys = 0;
        for _ in 0..1_001 {
            let (r, u) = forced_rekeys(used, 24, Some(240));
            rekeys += r;
            used = u;
        }
        assert_eq!(rekeys, (1_001 * 24) / 240);
        // One message longer than the limit: ⌈100 / 10⌉ − 1 = 9 further keys; the last one holds 10 bytes.
        assert_eq!(forced_rekeys(0, 100, Some(10)), (9, 10));
        assert_eq!(forced_rekeys(5, 100, None), (0, 105));
        assert_eq!(forced_rekeys(5, 100, Some(0)), (0, 105));
    }
}
