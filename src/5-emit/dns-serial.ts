/** The largest SOA serial: an unsigned 32-bit number (RFC 1035, compared with RFC 1982 arithmetic). */
export const MAX_SERIAL = 4294967295;

/**
 * A zone serial from a point in time, never from the clock: `YYYYMMDD(UTC) * 100 + slot`, where
 * slot = floor((epoch mod 86400) / 864) is the 14.4-minute slot of the day, 00 to 99
 * (reference/daemons.md 6.3). `epochSeconds` is SOURCE_DATE_EPOCH, usually the last commit time.
 *
 * Two builds in the same slot get the same serial; builds in later slots get larger serials, and the
 * result stays below 2^32 - 1 until the end of year 4294 (4294123199). Throws a RangeError for an
 * epoch that is not a whole number of seconds from 1970 to the end of 4294.
 */
export function serialFromEpoch(epochSeconds: number): number {
  if (!Number.isSafeInteger(epochSeconds) || epochSeconds < 0) {
    throw new RangeError(`epoch must be a whole, non-negative number of seconds, not ${epochSeconds}`);
  }
  const d = new Date(epochSeconds * 1000);
  const ymd = d.getUTCFullYear() * 10000 + (d.getUTCMonth() + 1) * 100 + d.getUTCDate();
  const serial = ymd * 100 + Math.floor((epochSeconds % 86400) / 864);
  if (!(serial <= MAX_SERIAL)) throw new RangeError(`epoch ${epochSeconds} is after 4294-12-31: its serial ${serial} does not fit in 32 bits`);
  return serial;
}
