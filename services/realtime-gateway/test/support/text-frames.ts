/** Splits bytes written to a client socket back into the JSON messages of its text frames (unmasked, unfragmented). */
export function decodeTextFrames(bytes: Buffer): unknown[] {
  const messages: unknown[] = [];
  let at = 0;
  while (at < bytes.length) {
    if (bytes[at] !== 0x81) throw new Error(`not a final text frame at byte ${at}`);
    let length = (bytes[at + 1] as number) & 0x7f;
    let header = 2;
    if (length === 126) {
      length = bytes.readUInt16BE(at + 2);
      header = 4;
    } else if (length === 127) {
      length = Number(bytes.readBigUInt64BE(at + 2));
      header = 10;
    }
    messages.push(JSON.parse(bytes.subarray(at + header, at + header + length).toString()));
    at += header + length;
  }
  return messages;
}
