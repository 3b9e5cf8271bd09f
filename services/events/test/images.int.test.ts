import { crc32 } from 'node:zlib';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Actor,
  createEvent,
  createPublishedEvent,
  type Harness,
  multipartFile,
  startEventsHarness,
  transition,
} from './support/events-harness';

// Real: PostgreSQL, sharp (libvips) and the local image directory, through the hosted service.
let harness: Harness;
let organizer: Actor;

beforeAll(async () => {
  harness = await startEventsHarness();
  organizer = await harness.auth.user('organizer');
});
afterAll(() => harness?.close());

const upload = (eventId: string, bytes: Buffer, filename = 'poster.png', contentType = 'image/png') => {
  const { payload, headers } = multipartFile(bytes, filename, contentType);
  return harness.app.inject({
    method: 'POST',
    url: `/api/events/${eventId}/image`,
    payload,
    headers: { ...headers, ...organizer.headers },
  });
};

const solid = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 3, background: { r: 200, g: 40, b: 90 } } });

/**
 * A real 1 × 1 PNG whose header then declares `width` × `height`: a few dozen bytes that would take
 * width × height × 3 bytes to decode (a decompression bomb). The header's checksum is made right, so
 * only the declared size is wrong.
 */
const declaringSize = async (width: number, height: number) => {
  const png = await solid(1, 1).png().toBuffer();
  png.writeUInt32BE(width, 16);
  png.writeUInt32BE(height, 20);
  png.writeUInt32BE(crc32(png.subarray(12, 29)), 29);
  return png;
};

describe('uploading an event image', () => {
  it('refuses a file that is not an image even when it is named and typed as a PNG', async () => {
    const event = await createEvent(harness, organizer);
    const response = await upload(event.id, Buffer.from('#!/bin/sh\necho definitely not a picture\n'), 'poster.png');
    expect(response.statusCode).toBe(415);
    expect(response.json().code).toBe('unsupported_media_type');
  });

  it.each([
    [
      'a PNG signature followed by garbage',
      Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.alloc(64, 7)]),
    ],
    ['a GIF', Buffer.from('R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==', 'base64')],
    ['an SVG', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')],
  ])('refuses %s with 415', async (_case, bytes) => {
    const event = await createEvent(harness, organizer);
    expect((await upload(event.id, bytes)).statusCode).toBe(415);
  });

  it('refuses anything larger than 5 MB with 413', async () => {
    const event = await createEvent(harness, organizer);
    const oversized = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.alloc(5 * 1024 * 1024)]);
    const response = await upload(event.id, oversized);
    expect(response.statusCode).toBe(413);
    expect(response.json().code).toBe('payload_too_large');
    expect(
      (await harness.app.inject({ method: 'GET', url: `/api/events/${event.id}`, headers: organizer.headers })).json()
        .imageUrl,
    ).toBeNull();
  });

  it('refuses a tiny file declaring 10 gigapixels with 422 image_too_large, before decoding it', async () => {
    const event = await createEvent(harness, organizer);
    const bomb = await declaringSize(100_000, 100_000);
    expect(bomb.length).toBeLessThan(100);
    const response = await upload(event.id, bomb);
    expect(response.statusCode, response.body).toBe(422);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json()).toMatchObject({ code: 'image_too_large' });
  });

  it('refuses a real image just over 24 megapixels with 422 image_too_large, and keeps the event unchanged', async () => {
    const event = await createEvent(harness, organizer);
    const overCap = await solid(4899, 4900).png().toBuffer();
    const response = await upload(event.id, overCap);
    expect(response.statusCode, response.body).toBe(422);
    expect(response.json()).toMatchObject({ code: 'image_too_large' });
    expect(response.json().detail).toContain('24');
    const shown = await harness.app.inject({
      method: 'GET',
      url: `/api/events/${event.id}`,
      headers: organizer.headers,
    });
    expect(shown.json().imageUrl).toBeNull();
  });

  it('accepts an image of almost 5 MB', async () => {
    const event = await createEvent(harness, organizer);
    const noise = Buffer.from(Array.from({ length: 1150 * 1150 * 3 }, (_, i) => (i * 2654435761) >>> 24));
    const heavy = await sharp(noise, { raw: { width: 1150, height: 1150, channels: 3 } })
      .png({ compressionLevel: 0 })
      .toBuffer();
    expect(heavy.length).toBeGreaterThan(3.5 * 1024 * 1024);
    expect(heavy.length).toBeLessThan(5 * 1024 * 1024);
    expect((await upload(event.id, heavy)).statusCode).toBe(200);
  });

  it('refuses a body that is not multipart with 415, and a multipart body without a file with 422', async () => {
    const event = await createEvent(harness, organizer);
    const json = await harness.app.inject({
      method: 'POST',
      url: `/api/events/${event.id}/image`,
      headers: organizer.headers,
      payload: { image: 'base64...' },
    });
    expect(json.statusCode).toBe(415);
    const boundary = 'only-a-field';
    const fieldOnly = await harness.app.inject({
      method: 'POST',
      url: `/api/events/${event.id}/image`,
      headers: { ...organizer.headers, 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: `--${boundary}\r\nContent-Disposition: form-data; name="caption"\r\n\r\nhello\r\n--${boundary}--\r\n`,
    });
    expect(fieldOnly.statusCode).toBe(422);
  });

  it('stores a real PNG as a web rendition without its metadata, served with cache headers', async () => {
    const event = await createPublishedEvent(harness, organizer);
    const original = await solid(32, 24)
      .png()
      .withExif({ IFD0: { Copyright: 'Jane Doe', ImageDescription: 'taken at home' } })
      .toBuffer();
    expect((await sharp(original).metadata()).exif).toBeDefined();

    const response = await upload(event.id, original, 'poster.png');
    expect(response.statusCode, response.body).toBe(200);
    const { imageUrl } = response.json();
    expect(imageUrl).toMatch(new RegExp(`^/api/events/${event.id}/image/[0-9a-f-]{36}\\.webp$`));
    const shown = await harness.app.inject({ method: 'GET', url: `/api/events/${event.id}` });
    expect(shown.json().imageUrl).toBe(imageUrl);

    const image = await harness.app.inject({ method: 'GET', url: imageUrl });
    expect(image.statusCode).toBe(200);
    expect(image.headers['content-type']).toBe('image/webp');
    expect(image.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(image.headers.etag).toBeDefined();
    const served = await sharp(image.rawPayload).metadata();
    expect(served).toMatchObject({ format: 'webp', width: 32, height: 24 });
    expect(served.exif).toBeUndefined();
    expect(served.xmp).toBeUndefined();
    expect(image.rawPayload.includes(Buffer.from('Jane Doe'))).toBe(false);

    const revalidated = await harness.app.inject({
      method: 'GET',
      url: imageUrl,
      headers: { 'if-none-match': image.headers.etag as string },
    });
    expect(revalidated.statusCode).toBe(304);
    expect(revalidated.body).toBe('');
  });

  it('applies the EXIF orientation before dropping it, and shrinks large images', async () => {
    const event = await createEvent(harness, organizer);
    const rotated = await solid(40, 20).jpeg().withMetadata({ orientation: 6 }).toBuffer();
    const upright = await harness.app.inject({
      method: 'GET',
      url: (await upload(event.id, rotated, 'p.jpg', 'image/jpeg')).json().imageUrl,
    });
    expect(await sharp(upright.rawPayload).metadata()).toMatchObject({ width: 20, height: 40 });

    const large = await solid(3200, 1000).webp().toBuffer();
    const shrunk = await harness.app.inject({
      method: 'GET',
      url: (await upload(event.id, large, 'big.webp', 'image/webp')).json().imageUrl,
    });
    expect(await sharp(shrunk.rawPayload).metadata()).toMatchObject({ width: 1600, height: 500 });
  });

  it('replaces the previous image: the old URL is gone, the new one works', async () => {
    const event = await createEvent(harness, organizer);
    const first = (await upload(event.id, await solid(10, 10).png().toBuffer())).json().imageUrl;
    const second = (await upload(event.id, await solid(12, 12).png().toBuffer())).json().imageUrl;
    expect(second).not.toBe(first);
    expect((await harness.app.inject({ method: 'GET', url: first })).statusCode).toBe(404);
    expect((await harness.app.inject({ method: 'GET', url: second })).statusCode).toBe(200);
    const redirect = await harness.app.inject({
      method: 'GET',
      url: `/api/events/${event.id}/image`,
      headers: organizer.headers,
    });
    expect(redirect.statusCode).toBe(302);
    expect(redirect.headers.location).toBe(second);
  });

  it('refuses a new image for a cancelled event, and removes the image of a deleted draft', async () => {
    const cancelled = await createPublishedEvent(harness, organizer);
    await transition(harness, organizer, cancelled.id, 'cancel');
    const refused = await upload(cancelled.id, await solid(10, 10).png().toBuffer());
    expect(refused.statusCode).toBe(409);
    expect(refused.json().code).toBe('invalid_state');

    const draft = await createEvent(harness, organizer);
    const imageUrl = (await upload(draft.id, await solid(10, 10).png().toBuffer())).json().imageUrl;
    const deleted = await harness.app.inject({
      method: 'DELETE',
      url: `/api/events/${draft.id}`,
      headers: organizer.headers,
    });
    expect(deleted.statusCode).toBe(204);
    expect((await harness.app.inject({ method: 'GET', url: imageUrl })).statusCode).toBe(404);
  });

  it('answers 400 for an image path that is not one of ours', async () => {
    const event = await createEvent(harness, organizer);
    const response = await harness.app.inject({ method: 'GET', url: `/api/events/${event.id}/image/..%2F..%2Fpasswd` });
    expect(response.statusCode).toBe(400);
  });
});
