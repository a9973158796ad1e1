/*
 * Text-mode reads return whole characters: a read that ends inside a UTF-8 sequence stops before
 * it, and the next read starts there.
 */

/** How many bytes the sequence that `lead` starts has (1 for ASCII and for bytes that cannot lead). */
export function sequenceLength(lead: number): number {
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  if (lead >= 0xe0) return lead <= 0xef ? 3 : 1;
  if (lead >= 0xc2) return 2;
  return 1;
}

/**
 * The length of the longest prefix of `bytes` that does not end inside a UTF-8 sequence: all of
 * it, unless its last (up to three) bytes begin a sequence that needs more.
 */
export function wholeCharacters(bytes: Uint8Array): number {
  const end = bytes.length;
  for (let i = end - 1; i >= 0 && i >= end - 3; i--) {
    const byte = bytes[i] as number;
    if ((byte & 0xc0) !== 0x80) return i + sequenceLength(byte) > end ? i : end;
  }
  return end;
}
