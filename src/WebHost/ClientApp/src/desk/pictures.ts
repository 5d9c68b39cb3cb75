// A picture for the points shop, made ready in the browser before it is sent: a phone photo of a
// few MB is scaled down on a canvas (longest side at most 1280 px) and sent as a JPEG, so that it
// fits the server's 1 MB. A picture already small enough goes as it is; a file the browser cannot
// read as an image also goes as it is, and the server says why it refuses it.
export const MAX_BYTES = 1024 * 1024;
export const MAX_SIDE = 1280;

export async function pictureForUpload(file: File): Promise<Blob> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    return file;
  }
  try {
    const longest = Math.max(bitmap.width, bitmap.height);
    if (file.size <= MAX_BYTES && longest <= MAX_SIDE && ["image/jpeg", "image/png", "image/webp"].includes(file.type)) return file;
    const scale = Math.min(1, MAX_SIDE / longest);
    const canvas = document.createElement("canvas");
    canvas.width = Math.max(1, Math.round(bitmap.width * scale));
    canvas.height = Math.max(1, Math.round(bitmap.height * scale));
    const context = canvas.getContext("2d");
    if (!context) return file;
    // JPEG has no transparency: what was transparent becomes white, not black.
    context.fillStyle = "#fff";
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    let blob: Blob | null = null;
    for (const quality of [0.85, 0.75, 0.6, 0.45]) {
      blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, "image/jpeg", quality));
      if (blob && blob.size <= MAX_BYTES) return blob;
    }
    return blob ?? file;
  } finally {
    bitmap.close();
  }
}
