import { Option } from 'commander';
import { MAX_SERIAL, serialFromEpoch } from '../../5-emit/dns-serial.js';
import { UsageError } from '../usage.js';

export const serialOption = (): Option => new Option('--serial <n>', 'SOA serial of every zone (default: from SOURCE_DATE_EPOCH, else 1)');

/**
 * The zone serial: --serial, else derived from SOURCE_DATE_EPOCH (reproducible-builds.org), else
 * undefined (the compiler's default). Never the clock. A bad value is a UsageError.
 */
export function resolveSerial(flag: string | undefined): number | undefined {
  if (flag !== undefined) {
    if (!/^[0-9]{1,10}$/.test(flag) || Number(flag) < 1 || Number(flag) > MAX_SERIAL) {
      throw new UsageError(`--serial must be a whole number from 1 to 4294967295, not ${JSON.stringify(flag)}`);
    }
    return Number(flag);
  }
  const epoch = process.env.SOURCE_DATE_EPOCH;
  if (epoch === undefined || epoch === '') return undefined;
  try {
    if (!/^[0-9]{1,12}$/.test(epoch)) throw new RangeError('not a count of seconds');
    return serialFromEpoch(Number(epoch));
  } catch {
    throw new UsageError(`SOURCE_DATE_EPOCH must be a count of seconds since 1970 (up to year 4294), not ${JSON.stringify(epoch)}`);
  }
}
