import sharp from 'sharp';

/** A photo as a desk receives it: re-encoded from its pixels, with no metadata left. */
export interface CleanedPhoto {
  bytes: Buffer;
  mime: 'image/jpeg' | 'image/png';
  ext: 'jpg' | 'png';
}

/**
 * Re-encodes a photo from its pixels alone (turned upright first, as its
 * EXIF orientation said), so nothing of its metadata reaches a desk: no GPS
 * position of the reporter's home, no device model or serial, no owner name.
 * PNG stays PNG (screenshots), everything else becomes JPEG. Null when the
 * image cannot be decoded (then it is not taken: it could not be cleaned).
 */
export async function cleanPhoto(bytes: Buffer, mime: string): Promise<CleanedPhoto | null> {
  try {
    const image = sharp(bytes, { failOn: 'error' }).rotate();
    if (mime === 'image/png') return { bytes: await image.png().toBuffer(), mime: 'image/png', ext: 'png' };
    return { bytes: await image.jpeg({ quality: 90 }).toBuffer(), mime: 'image/jpeg', ext: 'jpg' };
  } catch {
    return null;
  }
}
