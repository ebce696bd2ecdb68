// The Redis Sentinel output checks accept hacompile's files and reject files that the daemons load
// but that do not say what the daemons then do, so each comparison can fail.
import { describe, expect, it } from 'vitest';
import { compileCase } from './cases.js';
import { redisCheck, sentinelCheck } from './redis-checks.js';

const T = { timeout: 30_000 };
const files = compileCase('valid', 'redis-auth').files;
const file = (path: string) => {
  const f = files.find((x) => x.path === path);
  if (!f) throw new Error(`redis-auth has no ${path}`);
  return { path: f.path, content: f.bytes.toString() };
};
const SENTINEL = file('nodes/n1/redis/sessions/sentinel.conf');
const REPLICA = file('nodes/n1/redis/sessions/redis.conf');
const MASTER = file('nodes/n2/redis/sessions/redis.conf');
const ALL = [SENTINEL, REPLICA, MASTER, file('nodes/n2/redis/sessions/sentinel.conf')];

const failures = (results: { ok: boolean; output: string }[]): string => results.filter((r) => !r.ok).map((r) => r.output).join('\n');

/** Replaces exactly one occurrence, so an edit cannot silently miss. */
function edit(text: string, from: string, to: string): string {
  expect(text.split(from)).toHaveLength(2);
  return text.replace(from, to);
}

describe('sentinelCheck', () => {
  it('accepts a generated sentinel.conf with its secret include', T, async () => {
    expect(failures(await sentinelCheck(SENTINEL))).toBe('');
  });
  it('fails when a later line overrides what the file seems to say', T, async () => {
    const text = edit(SENTINEL.content, 'sentinel failover-timeout sessions 90000\n', 'sentinel failover-timeout sessions 90000\nsentinel failover-timeout sessions 1000\n');
    expect(failures(await sentinelCheck({ ...SENTINEL, content: text }))).toMatch(/failover-timeout: the daemon has "1000", the file says "90000"/);
  });
  it('fails when the password from the include does not reach Sentinel', T, async () => {
    const text = `${SENTINEL.content}sentinel auth-pass sessions other\n`;
    expect(failures(await sentinelCheck({ ...SENTINEL, content: text }))).toMatch(/auth-pass: the daemon has "other", the file says "dummy-Secret.1"/);
  });
  it('fails when Sentinel rejects the file', T, async () => {
    const text = edit(SENTINEL.content, 'sentinel parallel-syncs', 'sentinel parallel-sync');
    expect(failures(await sentinelCheck({ ...SENTINEL, content: text }))).toMatch(/Unrecognized sentinel configuration statement/);
  });
});

describe('redisCheck', () => {
  it('accepts a generated replica and master fragment', T, async () => {
    expect(failures(await redisCheck(REPLICA, ALL))).toBe('');
    expect(failures(await redisCheck(MASTER, ALL))).toBe('');
  });
  it('fails when a replica follows another address than its Sentinels monitor', T, async () => {
    const text = edit(REPLICA.content, 'replicaof 10.200.0.2 6380', 'replicaof 10.200.0.9 6380');
    expect(failures(await redisCheck({ ...REPLICA, content: text }, ALL))).toMatch(/replicaof: this file has "10.200.0.9 6380", nodes\/n1\/redis\/sessions\/sentinel.conf monitors "10.200.0.2 6380"/);
  });
  it('fails when the password from the include does not reach Redis', T, async () => {
    const text = `${REPLICA.content}masterauth other\n`;
    expect(failures(await redisCheck({ ...REPLICA, content: text }, ALL))).toMatch(/masterauth: the daemon has "other", the file says "dummy-Secret.1"/);
  });
  it('fails when the master is not the address its Sentinels monitor', T, async () => {
    const text = edit(MASTER.content, 'replica-announce-ip 10.200.0.2', 'replica-announce-ip 10.200.0.3');
    expect(failures(await redisCheck({ ...MASTER, content: text }, ALL))).toMatch(/address: this file has "10.200.0.3 6380", nodes\/n2\/redis\/sessions\/sentinel.conf monitors "10.200.0.2 6380"/);
  });
});
