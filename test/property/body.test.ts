// Generated files are UTF-8 segments (src/4-emit/body.ts): what BodyWriter writes, piece after piece,
// must be exactly the UTF-8 of the pieces joined, whatever their sizes and characters (a multi-byte
// character across a flush, a piece larger than the buffer); a file's text is its segments decoded.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { limit, runs } from './runs.js';
import { BodyWriter, bodyBytes, encodeAll, endsWithNewline, outputFile, stampInto, type Stamped } from '../../src/4-emit/body.js';

const META = { path: 'x', daemon: 'test', check: '', secrets: [] };
// ASCII, two- and three-byte characters, surrogate pairs (four bytes), and long runs that force flushes and growth.
const piece = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.tuple(fc.constantFrom('a', 'é', '€', '😀', '\n'), fc.integer({ min: 1, max: 40_000 })).map(([c, n]) => c.repeat(n)),
);

describe('BodyWriter', () => {
  it('writes the UTF-8 of the pieces joined, whatever their sizes and characters', { timeout: limit(60_000) }, () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), fc.integer({ min: 1, max: 4096 }), (pieces, hint) => {
        const w = new BodyWriter(hint);
        let lengths = 0;
        for (const p of pieces) {
          w.put(p);
          lengths += Buffer.byteLength(p, 'utf8');
          expect(w.length()).toBe(lengths);
        }
        expect(Buffer.compare(w.bytes(), Buffer.from(pieces.join(''), 'utf8'))).toBe(0);
      }),
      { numRuns: runs(300) },
    );
  });

  it('encodes many texts into one buffer, each a view of exactly its UTF-8', { timeout: limit(60_000) }, () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), (texts) => {
        const views = encodeAll(texts);
        expect(views.map((v) => Buffer.from(v).toString('utf8'))).toEqual(texts.map((t) => Buffer.from(t, 'utf8').toString('utf8')));
        expect(Buffer.compare(Buffer.concat(views), Buffer.from(texts.join(''), 'utf8'))).toBe(0);
      }),
      { numRuns: runs(200) },
    );
  });

  it('gives files whose text is their segments decoded, and sizes and final newlines from the bytes', { timeout: limit(60_000) }, () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'grapheme', maxLength: 20 }), { maxLength: 6 }), (texts) => {
        const segments = texts.map((t) => Buffer.from(t, 'utf8'));
        const f = outputFile(META, segments);
        expect(f.content).toBe(texts.join(''));
        expect(bodyBytes(f.body)).toBe(Buffer.byteLength(texts.join(''), 'utf8'));
        expect(endsWithNewline(f.body)).toBe(texts.join('').endsWith('\n'));
      }),
      { numRuns: runs(300) },
    );
    expect(outputFile(META, 'a\n').body.map((b) => Buffer.from(b).toString())).toEqual(['a\n']);
    expect(endsWithNewline([Buffer.from('a\n'), Buffer.alloc(0)])).toBe(true);
  });

  // A stamped piece (another node's bytes with this node's name put in) read as bytes: whatever
  // the base, the runs and the bounds of the slice (a run may be cut by them), the same bytes as
  // copying the base, writing the value at each offset, then slicing.
  // (Few distinct bytes, a newline among them: runs are told apart from the base, and final newlines are common.)
  const bytes = (minLength: number, maxLength: number) => fc.array(fc.constantFrom(0x0a, 0x61, 0x62), { minLength, maxLength }).map((a) => Uint8Array.from(a));
  const stamped = fc
    .record({
      base: bytes(0, 300),
      value: bytes(1, 12),
      gaps: fc.array(fc.nat(40), { maxLength: 20 }),
      cut: fc.tuple(fc.nat(), fc.nat()),
    })
    .map(({ base, value, gaps, cut }) => {
      const at: number[] = [];
      let next = 0;
      for (const g of gaps) {
        if (next + g + value.length > base.length) break;
        at.push(next + g);
        next += g + value.length;
      }
      const [a, b] = [cut[0] % (base.length + 1), cut[1] % (base.length + 1)];
      return { base, value, at: Int32Array.from(at), from: Math.min(a, b), to: Math.max(a, b) } satisfies Stamped;
    });
  const expected = (p: Stamped): Buffer => {
    const copy = Buffer.from(p.base);
    for (const o of p.at) copy.set(p.value, o);
    return copy.subarray(p.from, p.to);
  };

  it('makes stamped pieces into the base with the value at each offset, sliced; sizes and final newlines without making them', { timeout: limit(60_000) }, () => {
    fc.assert(
      fc.property(stamped, bytes(0, 8), fc.nat(16), (p, before, offset) => {
        // Into a larger target: its own bytes, and nothing written around them.
        const target = new Uint8Array(offset + p.to - p.from + 16).fill(0xff);
        expect(Buffer.compare(Buffer.from(stampInto(target, offset, p)), expected(p))).toBe(0);
        expect([...target.subarray(0, offset), ...target.subarray(offset + p.to - p.from)].every((b) => b === 0xff)).toBe(true);
        const f = outputFile(META, [before, p]);
        const bytes = Buffer.concat([before, expected(p)]);
        expect(Buffer.compare(Buffer.concat(f.body), bytes)).toBe(0);
        expect(f.content).toBe(bytes.toString('utf8'));
        expect(bodyBytes(f.pieces)).toBe(bytes.length);
        expect(endsWithNewline(f.pieces)).toBe(bytes.length > 0 && bytes[bytes.length - 1] === 0x0a);
      }),
      { numRuns: runs(500) },
    );
  });
});
