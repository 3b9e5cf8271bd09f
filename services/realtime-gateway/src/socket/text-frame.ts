/**
 * A message as the bytes of one WebSocket text frame (RFC 6455 §5.2: FIN, opcode 1, unmasked as
 * every server-to-client frame is). Framed once, the same bytes go to every subscriber, and several
 * frames queued for one socket are written to it in one call.
 */
export function encodeTextFrame(message: object): Buffer {
  const payload = Buffer.from(JSON.stringify(message));
  const length = payload.length;
  const headerLength = length < 126 ? 2 : length < 65_536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(headerLength + length);
  frame[0] = 0x81;
  if (length < 126) {
    frame[1] = length;
  } else if (length < 65_536) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeBigUInt64BE(BigInt(length), 2);
  }
  payload.copy(frame, headerLength);
  return frame;
}
