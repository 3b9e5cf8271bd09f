import { Problem } from '@echoplex/http';
import sharp from 'sharp';

export const maxImageBytes = 5 * 1024 * 1024;
/**
 * Decoding costs memory per pixel, not per byte: a few kilobytes of PNG can declare billions of
 * pixels. 24 MP holds a 6000 × 4000 camera photo.
 */
export const defaultMaxImagePixels = 24_000_000;
/** Longest side of the web rendition; smaller images are not enlarged. */
export const renditionMaxSide = 1600;
export const renditionContentType = 'image/webp';

export type ImageFormat = 'jpeg' | 'png' | 'webp';

/** The format from the file's first bytes; the file name and the declared content type are ignored. */
export function sniffImageFormat(bytes: Buffer): ImageFormat | undefined {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(pngSignature)) return 'png';
  if (bytes.length >= 12 && bytes.toString('latin1', 0, 4) === 'RIFF' && bytes.toString('latin1', 8, 12) === 'WEBP') {
    return 'webp';
  }
  return undefined;
}

const pngSignature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * Re-encodes an upload as a web-sized WebP. Decoding and re-encoding drops every metadata block
 * (EXIF with its GPS position, XMP, comments) and anything smuggled after the image data; the EXIF
 * orientation is applied first so the picture stays upright without it. The dimensions are read from
 * the header and checked against `maxPixels` before any pixel is decoded.
 */
export async function makeWebRendition(bytes: Buffer, maxPixels: number): Promise<Buffer> {
  if (!sniffImageFormat(bytes)) {
    throw unsupportedImage('Upload a JPEG, PNG or WebP image.');
  }
  const pixels = await declaredPixels(bytes);
  if (pixels > maxPixels) {
    throw new Problem(
      422,
      'image_too_large',
      `The image has ${formatMegapixels(pixels)} megapixels; upload one of at most ${formatMegapixels(maxPixels)}.`,
    );
  }
  try {
    return await sharp(bytes, { failOn: 'error', limitInputPixels: maxPixels })
      .rotate()
      .resize({ width: renditionMaxSide, height: renditionMaxSide, fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 80 })
      .toBuffer();
  } catch {
    throw unsupportedImage('The image could not be decoded; upload a valid JPEG, PNG or WebP.');
  }
}

/** Width × height as the header states them; reading the header decodes no pixel. */
async function declaredPixels(bytes: Buffer): Promise<number> {
  try {
    const { width, height } = await sharp(bytes, { limitInputPixels: false }).metadata();
    return width * height;
  } catch {
    throw unsupportedImage('The image could not be decoded; upload a valid JPEG, PNG or WebP.');
  }
}

function formatMegapixels(pixels: number): string {
  return (pixels / 1_000_000).toLocaleString('en', { maximumFractionDigits: 1 });
}

export function unsupportedImage(detail: string): Problem {
  return new Problem(415, 'unsupported_media_type', detail);
}
