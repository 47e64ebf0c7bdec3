// Small files for upload tests: a real 1×1 PNG (checked by content like any photo) and the multipart
// body a browser sends for one file.

/** A valid 1×1 PNG. */
export const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

/** An inject() request part for one file as multipart/form-data (field `file`), with extra headers. */
export function multipartFile(bytes: Buffer, filename: string, mime: string, headers: Record<string, string> = {}) {
  const boundary = `----guanxi${bytes.length}boundary`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${mime}\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return {
    payload: Buffer.concat([head, bytes, tail]),
    headers: { ...headers, 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}
