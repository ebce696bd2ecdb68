// Generated files are UTF-8 segments (src/4-emit/body.ts): what BodyWriter writes, piece after piece,
// must be exactly the UTF-8 of the pieces joined, whatever their sizes and characters (a multi-byte
// character across a flush, a piece larger than the buffer); a file's text is its segments decoded.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { limit, runs } from './runs.js';
import { BodyWriter, bodyBytes, encodeAll, endsWithNewline, outputFile } from '../../src/4-emit/body.js';

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
});
