// Writing an export's files: batches of records become JSON lines, gzip compresses them on libuv's
// thread pool while the next batch is read, and the compressed bytes are stored in chunks of about
// a megabyte. Streams carry the backpressure end to end (a slow database slows the reads), so memory
// holds about one batch and one chunk however many records there are.
import { Readable, Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { constants, createGzip } from 'node:zlib'

/** About how many compressed bytes one stored chunk holds. */
export const CHUNK_BYTES = 1 << 20

/** Saves one chunk of a file: its place in the file (seq, byte offset) and its bytes. */
export type SaveChunk = (seq: number, byteOffset: number, data: Buffer) => Promise<void>

/** A sink that gathers compressed bytes into chunks and saves each; `bytes()` is the file's size so far. */
function chunkSink (save: SaveChunk): Writable & { bytes: () => number } {
  let parts: Buffer[] = []
  let pending = 0
  let seq = 0
  let offset = 0
  const flush = async () => {
    const data = Buffer.concat(parts, pending)
    parts = []
    pending = 0
    await save(seq++, offset, data)
    offset += data.length
  }
  const sink = new Writable({
    write (chunk: Buffer, _encoding, callback) {
      parts.push(chunk)
      pending += chunk.length
      if (pending < CHUNK_BYTES) return callback()
      flush().then(() => callback(), callback)
    },
    final (callback) {
      if (pending === 0) return callback()
      flush().then(() => callback(), callback)
    }
  })
  return Object.assign(sink, { bytes: () => offset + pending })
}

/**
 * Writes one gzip file from `lines` (each string: complete JSON lines) and resolves to its size in
 * bytes. Level 1: the files are written once per export, and JSON lines compress well even so.
 */
export async function writeGzipFile (lines: AsyncIterable<string>, save: SaveChunk): Promise<number> {
  const sink = chunkSink(save)
  // One batch read ahead at most: the next is read while gzip works on this one.
  await pipeline(Readable.from(lines, { highWaterMark: 1 }), createGzip({ level: constants.Z_BEST_SPEED }), sink)
  return sink.bytes()
}
