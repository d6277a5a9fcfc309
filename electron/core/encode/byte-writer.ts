/** A growable byte buffer for the binary encoders: doubles its capacity, never copies per write. */
export class ByteWriter {
  private buf = Buffer.allocUnsafe(256)
  length = 0

  private ensure(n: number): void {
    if (this.length + n <= this.buf.length) return
    let size = this.buf.length * 2
    while (size < this.length + n) size *= 2
    const next = Buffer.allocUnsafe(size)
    this.buf.copy(next, 0, 0, this.length)
    this.buf = next
  }

  u8(v: number): void {
    this.ensure(1)
    this.buf[this.length++] = v
  }

  u16(v: number): void {
    this.ensure(2)
    this.buf.writeUInt16BE(v, this.length)
    this.length += 2
  }

  u32(v: number): void {
    this.ensure(4)
    this.buf.writeUInt32BE(v >>> 0, this.length)
    this.length += 4
  }

  u64(v: bigint): void {
    this.ensure(8)
    this.buf.writeBigUInt64BE(BigInt.asUintN(64, v), this.length)
    this.length += 8
  }

  f16bits(bits: number): void {
    this.u16(bits)
  }

  f32(v: number): void {
    this.ensure(4)
    this.buf.writeFloatBE(v, this.length)
    this.length += 4
  }

  f64(v: number): void {
    this.ensure(8)
    this.buf.writeDoubleBE(v, this.length)
    this.length += 8
  }

  bytes(b: Uint8Array): void {
    this.ensure(b.length)
    this.buf.set(b, this.length)
    this.length += b.length
  }

  /**
   * The UTF-8 length of `s`, counted without a native call for short ASCII strings (most keys
   * and values: Buffer.byteLength and buf.write cost more than the copy for those).
   */
  static byteLength(s: string): number {
    if (s.length <= 64) {
      let ascii = true
      for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) >= 0x80) ascii = false
      if (ascii) return s.length
    }
    return Buffer.byteLength(s, 'utf8')
  }

  /** `s`, of UTF-8 length `n` (from byteLength), written in place. */
  string(s: string, n: number): void {
    if (n === s.length && n <= 64) {
      this.ensure(n)
      const buf = this.buf
      let at = this.length
      for (let i = 0; i < n; i++) buf[at++] = s.charCodeAt(i)
      this.length = at
      return
    }
    this.utf8(s)
  }

  /** UTF-8 of `s`, written in place; returns its byte length. */
  utf8(s: string): number {
    this.ensure(s.length * 3)
    const n = this.buf.write(s, this.length, 'utf8')
    this.length += n
    return n
  }

  /** Room for `n` bytes at the current end (for a length prefix written after its content). */
  reserve(n: number): number {
    this.ensure(n)
    const at = this.length
    this.length += n
    return at
  }

  view(): Buffer {
    return this.buf
  }

  result(): Buffer {
    return this.buf.subarray(0, this.length)
  }
}
