/**
 * Photos are shrunk on the phone (longest side ≤ 1600 px) and re-encoded as JPEG through a canvas,
 * which drops every metadata block (EXIF with the GPS position, the camera's serial...).
 */
export const MAX_SIDE = 1600;
export const JPEG_QUALITY = 0.82;

/** Target size keeping the aspect ratio; never enlarges; at least 1 px per side. */
export function targetSize(width: number, height: number, maxSide = MAX_SIDE): { width: number; height: number } {
  if (!(width > 0) || !(height > 0)) throw new Error("image has no size");
  const longest = Math.max(width, height);
  if (longest <= maxSide) return { width: Math.round(width), height: Math.round(height) };
  const scale = maxSide / longest;
  return {
    width: Math.max(1, Math.min(maxSide, Math.round(width * scale))),
    height: Math.max(1, Math.min(maxSide, Math.round(height * scale))),
  };
}

export interface ResizedPhoto {
  blob: Blob;
  width: number;
  height: number;
}

/** Decodes honouring the camera's orientation; older engines without the option, or without createImageBitmap at all. */
async function decode(file: Blob): Promise<ImageBitmap | HTMLImageElement> {
  if (typeof createImageBitmap === "function") {
    try {
      return await createImageBitmap(file, { imageOrientation: "from-image" });
    } catch {
      try {
        return await createImageBitmap(file);
      } catch {
        // Fall through to an <img>, which some engines decode when createImageBitmap does not.
      }
    }
  }
  const url = URL.createObjectURL(file);
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    return img;
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** Decodes, scales and re-encodes as JPEG (no metadata survives a canvas). Browser only. */
export async function resizePhoto(file: Blob): Promise<ResizedPhoto> {
  const decoded = await decode(file);
  const bitmap = decoded instanceof HTMLImageElement ? { width: decoded.naturalWidth, height: decoded.naturalHeight, source: decoded, close: () => {} } : { width: decoded.width, height: decoded.height, source: decoded, close: () => decoded.close() };
  try {
    const { width, height } = targetSize(bitmap.width, bitmap.height);
    if (typeof OffscreenCanvas !== "undefined") {
      const canvas = new OffscreenCanvas(width, height);
      const context = canvas.getContext("2d");
      if (!context) throw new Error("no 2d context");
      context.drawImage(bitmap.source, 0, 0, width, height);
      const blob = await canvas.convertToBlob({ type: "image/jpeg", quality: JPEG_QUALITY });
      return { blob, width, height };
    }
    const canvas = document.createElement("canvas");
    canvas.width = width;
    canvas.height = height;
    const context = canvas.getContext("2d");
    if (!context) throw new Error("no 2d context");
    context.drawImage(bitmap.source, 0, 0, width, height);
    const blob = await new Promise<Blob>((resolve, reject) =>
      canvas.toBlob((b) => (b ? resolve(b) : reject(new Error("encode failed"))), "image/jpeg", JPEG_QUALITY),
    );
    return { blob, width, height };
  } finally {
    bitmap.close();
  }
}
