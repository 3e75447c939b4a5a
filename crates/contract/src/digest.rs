//! SHA-256 digests of the contract's documents: the protocol file's (named by the HTML
//! report, the R script and every site summary) and a site summary's checksum. One home,
//! so every layer above names the same hash.

use sha2::{Digest, Sha256};

/// Lower-case hex SHA-256 of `bytes` (as `sha256sum` prints it).
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
