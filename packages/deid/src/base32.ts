/** RFC 4648 §6 alphabet, lower-cased so tokens read the same in URLs, SQL and logs. */
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';

/**
 * Lower-case RFC 4648 base32 without padding. Padding is dropped because every caller encodes a
 * fixed length (20-byte MACs, 16-byte surrogates), so the length never needs recovering.
 */
export function base32(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = ((buffer << 8) | byte) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += ALPHABET[(buffer >>> bits) & 31];
    }
  }
  if (bits > 0) out += ALPHABET[(buffer << (5 - bits)) & 31];
  return out;
}
