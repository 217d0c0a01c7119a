/**
 * Gzip through the platform's CompressionStream (workerd and Node 22 alike), so the Worker and the scripts write
 * byte-compatible files. The writer collects compressed output as it is produced: the uncompressed JSON is never
 * held whole.
 */
export function gzipWriter(): { write(text: string): Promise<void>; finish(): Promise<Uint8Array> } {
  const stream = new CompressionStream("gzip");
  const writer = stream.writable.getWriter();
  const encoder = new TextEncoder();
  const chunks: Uint8Array[] = [];
  // Read concurrently, or the stream's backpressure stalls the writes.
  const drained = (async () => {
    const reader = stream.readable.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
    }
  })();
  return {
    write: (text) => writer.write(encoder.encode(text)),
    async finish() {
      await writer.close();
      await drained;
      const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
      let at = 0;
      for (const c of chunks) {
        out.set(c, at);
        at += c.length;
      }
      return out;
    },
  };
}

export async function gunzipText(bytes: Uint8Array): Promise<string> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream("gzip"));
  return new Response(stream).text();
}
