// Text → GBK bytes, as Excel "CSV" on a Chinese Windows saves a file. Node decodes GBK but has no
// encoder, so the table is built once from the decoder.
let table: Map<string, number[]> | undefined;

export function encodeGbk(text: string): Uint8Array {
  if (!table) {
    table = new Map();
    const decoder = new TextDecoder('gbk');
    for (let lead = 0x81; lead <= 0xfe; lead++) {
      for (let trail = 0x40; trail <= 0xfe; trail++) {
        if (trail !== 0x7f) table.set(decoder.decode(Uint8Array.of(lead, trail)), [lead, trail]);
      }
    }
  }
  const bytes: number[] = [];
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    const pair = code < 0x80 ? [code] : table.get(ch);
    if (!pair) throw new Error(`${ch} has no GBK encoding`);
    bytes.push(...pair);
  }
  return Uint8Array.from(bytes);
}
