//! Stamps a resolution on a PNG (the `pHYs` chunk), so a 300-dpi export opens at
//! its print size in journal and office software.

/// Returns `png` with a `pHYs` chunk saying `dpi` (replacing any present one).
/// Bytes that are not a PNG are returned unchanged.
pub fn set_png_dpi(png: &[u8], dpi: f64) -> Vec<u8> {
    const SIG: [u8; 8] = [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
    if png.len() < 33 || png[..8] != SIG || &png[12..16] != b"IHDR" {
        return png.to_vec();
    }
    let ppm = (dpi / 0.0254).round() as u32;
    let mut data = Vec::with_capacity(9);
    data.extend_from_slice(&ppm.to_be_bytes());
    data.extend_from_slice(&ppm.to_be_bytes());
    data.push(1); // unit: metre
    let mut out = Vec::with_capacity(png.len() + 21);
    out.extend_from_slice(&png[..33]); // signature + IHDR
    out.extend_from_slice(&chunk(b"pHYs", &data));
    let mut pos = 33;
    while pos + 12 <= png.len() {
        let len = u32::from_be_bytes([png[pos], png[pos + 1], png[pos + 2], png[pos + 3]]) as usize;
        let end = (pos + 12 + len).min(png.len());
        if &png[pos + 4..pos + 8] != b"pHYs" {
            out.extend_from_slice(&png[pos..end]);
        }
        pos = end;
    }
    out
}

fn chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut c = Vec::with_capacity(12 + data.len());
    c.extend_from_slice(&(data.len() as u32).to_be_bytes());
    c.extend_from_slice(kind);
    c.extend_from_slice(data);
    c.extend_from_slice(&crc32(&c[4..]).to_be_bytes());
    c
}

/// CRC-32 (ISO-HDLC), as the PNG specification defines it.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in bytes {
        crc ^= b as u32;
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc_of_iend() {
        assert_eq!(crc32(b"IEND"), 0xAE42_6082);
    }
}
