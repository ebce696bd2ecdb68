// Zone files: the deterministic serial, the pieces of a record (names, TXT strings, values), and
// facts the golden cases show but do not assert by name (the VIP answer is keepalived's address).
import { describe, expect, it } from 'vitest';
import {
  compareNames,
  hasAddress,
  mailboxName,
  ownerName,
  recordRdata,
  txtRdata,
  type Rr,
} from '../src/3-model/zones.js';
import { MAX_SERIAL, serialFromEpoch } from '../src/5-emit/dns-serial.js';
import { compileCase } from './support/cases.js';

const utc = (iso: string): number => Date.parse(iso) / 1000;

describe('serialFromEpoch', () => {
  it('is YYYYMMDD and the 14.4-minute slot of the day, in UTC', () => {
    expect(serialFromEpoch(1763856000)).toBe(2025112300);
    expect(serialFromEpoch(utc('2025-11-23T00:14:23Z'))).toBe(2025112300);
    expect(serialFromEpoch(utc('2025-11-23T00:14:24Z'))).toBe(2025112301);
    expect(serialFromEpoch(utc('2025-11-23T12:00:00Z'))).toBe(2025112350);
    expect(serialFromEpoch(utc('2025-11-23T23:59:59Z'))).toBe(2025112399);
    expect(serialFromEpoch(utc('2025-11-24T00:00:00Z'))).toBe(2025112400);
    expect(serialFromEpoch(0)).toBe(1970010100);
  });

  it('never decreases as time goes on', () => {
    let previous = 0;
    for (let t = utc('2025-12-31T00:00:00Z'); t < utc('2026-01-02T00:00:00Z'); t += 601) {
      const s = serialFromEpoch(t);
      expect(s).toBeGreaterThanOrEqual(previous);
      previous = s;
    }
  });

  it('stays below 2^32 - 1 until the end of year 4294, and refuses what does not fit', () => {
    const last = utc('4294-12-31T23:59:59Z');
    expect(serialFromEpoch(last)).toBe(4294123199);
    expect(serialFromEpoch(last)).toBeLessThan(MAX_SERIAL);
    expect(MAX_SERIAL).toBe(2 ** 32 - 1);
    expect(() => serialFromEpoch(last + 1)).toThrow(RangeError);
    expect(() => serialFromEpoch(-1)).toThrow(RangeError);
    expect(() => serialFromEpoch(1.5)).toThrow(RangeError);
  });
});

describe('zone record pieces', () => {
  it('writes the SOA mailbox with the dots of its local part escaped', () => {
    expect(mailboxName('hostmaster@bolabaden.org')).toBe('hostmaster.bolabaden.org.');
    expect(mailboxName('dns.admin+zone@example.org')).toBe('dns\\.admin+zone.example.org.');
  });

  it('makes names absolute in their zone', () => {
    expect(ownerName('@', 'example.org')).toBe('example.org.');
    expect(ownerName('www', 'example.org')).toBe('www.example.org.');
    expect(ownerName('_mongodb._tcp.mongo', 'example.org')).toBe('_mongodb._tcp.mongo.example.org.');
    expect(ownerName('www.example.org.', 'example.org')).toBe('www.example.org.');
  });

  it('splits TXT data into quoted strings of at most 255 bytes', () => {
    expect(txtRdata('v=spf1 -all')).toBe('"v=spf1 -all"');
    expect(txtRdata('a'.repeat(255))).toBe(`"${'a'.repeat(255)}"`);
    expect(txtRdata('a'.repeat(255) + 'b'.repeat(256))).toBe(`"${'a'.repeat(255)}" "${'b'.repeat(255)}" "b"`);
  });

  it('parses each type and makes relative targets absolute', () => {
    expect(recordRdata('MX', '10 mail', 'example.org')).toEqual({ rdata: '10 mail.example.org.', target: 'mail.example.org.' });
    expect(recordRdata('MX', '0 .', 'example.org')).toEqual({ rdata: '0 .', target: '.' });
    expect(recordRdata('SRV', '0 5 5060 sip.example.net.', 'example.org')).toEqual({ rdata: '0 5 5060 sip.example.net.', target: 'sip.example.net.' });
    expect(recordRdata('CNAME', '@', 'example.org')).toEqual({ rdata: 'example.org.', target: 'example.org.' });
    expect(recordRdata('CAA', '0 issue letsencrypt.org; validationmethods=dns-01', 'example.org')).toEqual({ rdata: '0 issue "letsencrypt.org; validationmethods=dns-01"' });
    expect(recordRdata('A', '198.51.100.7', 'example.org')).toEqual({ rdata: '198.51.100.7' });
    for (const [type, value] of [
      ['A', '2001:db8::1'],
      ['AAAA', '198.51.100.7'],
      ['MX', 'mail.example.org.'],
      ['MX', '70000 mail'],
      ['SRV', '0 5 mail'],
      ['NS', '_ns.example.net.'],
      ['NS', '.'],
      ['CAA', 'issue letsencrypt.org'],
    ] as const) {
      expect(recordRdata(type, value, 'example.org'), `${type} ${value}`).toHaveProperty('error');
    }
  });

  it('sorts names in DNS canonical order: the apex, then each subtree', () => {
    const names = ['www.example.org.', '*.n1.example.org.', 'example.org.', 'a.n1.example.org.', 'n1.example.org.', '_dmarc.example.org.'];
    expect([...names].sort(compareNames)).toEqual(['example.org.', '_dmarc.example.org.', 'n1.example.org.', '*.n1.example.org.', 'a.n1.example.org.', 'www.example.org.']);
  });

  it('finds addresses as named does: the name itself, else the wildcard of its closest encloser', () => {
    const rr = (owner: string, type: Rr['type']): Rr => ({ owner, type, rdata: '', source: 'record', what: '', origin: { path: [] } });
    const owners = new Map<string, Rr[]>(
      [rr('n1.example.org.', 'A'), rr('*.n1.example.org.', 'A'), rr('t.n1.example.org.', 'TXT'), rr('x.e.n1.example.org.', 'TXT')].map((r) => [r.owner, [r]]),
    );
    expect(hasAddress(owners, 'n1.example.org.', false)).toBe(true);
    expect(hasAddress(owners, 'foo.n1.example.org.', false)).toBe(false);
    expect(hasAddress(owners, 'foo.n1.example.org.', true)).toBe(true);
    expect(hasAddress(owners, 'a.b.n1.example.org.', true)).toBe(true);
    expect(hasAddress(owners, 't.n1.example.org.', true)).toBe(false); // exists with other data
    expect(hasAddress(owners, 'e.n1.example.org.', true)).toBe(false); // an empty non-terminal
    expect(hasAddress(owners, 'y.e.n1.example.org.', true)).toBe(false); // closest encloser e.n1 has no wildcard
    expect(hasAddress(owners, 'other.example.org.', true)).toBe(false);
  });
});

describe('the global VIP answer', () => {
  it('is the address keepalived holds on the VIP members', () => {
    const result = compileCase('valid', 'dns-global-vip');
    const vip = result.model!.vips.find((v) => v.name === 'ingress')!;
    const zone = result.files.find((f) => f.path === 'dns/example.org.zone')!.bytes.toString();
    const answers = (svc: string) => [...zone.matchAll(new RegExp(`^${svc}\\.example\\.org\\.\\s+IN\\s+(?:A|AAAA)\\s+(\\S+)$`, 'gm'))].map((x) => x[1]);
    expect(answers('web')).toEqual([vip.ip]);
    expect(answers('api')).toEqual([vip.ip]);
    const keepalived = result.files.filter((f) => f.daemon === 'keepalived');
    expect(keepalived.map((f) => f.node).sort()).toEqual([...vip.nodes].sort());
    for (const f of keepalived) expect(f.bytes.toString()).toMatch(new RegExp(`^\\s+${vip.cidr.replace(/\./g, '\\.')} dev `, 'm'));
  });
});
