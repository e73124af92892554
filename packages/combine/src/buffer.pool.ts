/**
 * Large scratch buffers handed back when done and handed out again, per
 * thread. Every file a folder run reads (~300 MB for the benchmark's 480
 * groups) used to be a fresh buffer outside the V8 heap; V8 counts such
 * memory and runs a full mark-compact every few tens of MB of it, which cost
 * more than the reads. Taking a buffer makes the caller its only user until it
 * gives it back; its contents are whatever was left in it.
 */

/** Below this a buffer comes from Node's shared slab anyway: not pooled. */
const MIN_POOLED = 16 * 1024;
/** Idle buffers kept at most (bytes); beyond that a buffer given back is left to the GC. */
const MAX_IDLE = 16 * 1024 * 1024;

const idle: Buffer[] = [];
let idleBytes = 0;

/** A buffer of at least `size` bytes (its `length` may be more), the caller's alone until `giveBack`. */
export function takeBuffer(size: number): Buffer {
  if (size < MIN_POOLED) return Buffer.allocUnsafe(size);
  let best = -1;
  for (let i = 0; i < idle.length; i++) {
    const b = idle[i] as Buffer;
    if (b.length >= size && (best === -1 || b.length < (idle[best] as Buffer).length)) best = i;
  }
  if (best !== -1) {
    const b = idle[best] as Buffer;
    idle[best] = idle[idle.length - 1] as Buffer;
    idle.pop();
    idleBytes -= b.length;
    return b;
  }
  // Powers of two, so buffers given back fit the next files of about the same size.
  return Buffer.allocUnsafeSlow(2 ** Math.ceil(Math.log2(size)));
}

/** Hands a buffer from `takeBuffer` back (the whole buffer, not a view of it); the caller no longer uses it. */
export function giveBack(buffer: Buffer): void {
  if (buffer.length < MIN_POOLED || idleBytes + buffer.length > MAX_IDLE) return;
  idle.push(buffer);
  idleBytes += buffer.length;
}
