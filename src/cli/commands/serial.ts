import { Option } from 'commander';
import type { Io } from '../io.js';

export const serialOption = (): Option => new Option('--serial <n>', 'SOA serial of every zone (default: from SOURCE_DATE_EPOCH, else 1)');

/**
 * The zone serial: --serial, else derived from SOURCE_DATE_EPOCH (reproducible-builds.org), else
 * undefined (the compiler's default). Never the clock. `null` means a bad value, already reported.
 */
export function resolveSerial(flag: string | undefined, io: Io): number | undefined | null {
  if (flag !== undefined) {
    if (!/^[0-9]{1,10}$/.test(flag) || Number(flag) < 1 || Number(flag) > 4294967295) {
      io.err(`error: --serial must be a whole number from 1 to 4294967295, not ${JSON.stringify(flag)}\n`);
      return null;
    }
    return Number(flag);
  }
  const epoch = process.env.SOURCE_DATE_EPOCH;
  if (epoch === undefined || epoch === '') return undefined;
  if (!/^[0-9]{1,12}$/.test(epoch)) {
    io.err(`error: SOURCE_DATE_EPOCH must be a count of seconds since 1970, not ${JSON.stringify(epoch)}\n`);
    return null;
  }
  return serialFromEpoch(Number(epoch));
}

/** YYYYMMDDnn in UTC, nn = 14.4-minute slot of the day (daemons.md 6.3); monotonic across slots. */
export function serialFromEpoch(epoch: number): number {
  const d = new Date(epoch * 1000);
  const ymd = d.getUTCFullYear() * 10000 + (d.getUTCMonth() + 1) * 100 + d.getUTCDate();
  return ymd * 100 + Math.floor((epoch % 86400) / 864);
}
