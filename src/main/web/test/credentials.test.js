import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  UNUSABLE, credentialsFailureText, dnOfSipUsername, eventStreamFailureText, isRetryable, parseSipCredentials,
  registrationRefusedText, renewalDelayMs, retryAfterSeconds, retryDelayMs,
} from '../src/lib/credentials.js';

const ANSWER = {
  username: '1795669700:5001', password: 'dGhlIEhNQUMgb2YgdGhlIHVzZXJuYW1lIGluIGJhc2U2NA==', expires_at: 1795669700,
  realm: '127.0.0.1', websocket_url: 'ws://127.0.0.1:8080',
};

test('the DN is what follows the first colon of the username', () => {
  assert.equal(dnOfSipUsername('1795669700:5001'), '5001');
  assert.equal(dnOfSipUsername('1795669700:agent.7_b'), 'agent.7_b');
  for (const bad of ['5001', ':5001', 'x:5001', '1795669700:', '1795669700:50#1', '1795669700:5001:x', null]) {
    assert.equal(dnOfSipUsername(bad), null, String(bad));
  }
});

test('the credentials answer is taken as the contract says, or not at all', () => {
  assert.deepEqual(parseSipCredentials(ANSWER), { username: '1795669700:5001', password: ANSWER.password,
    expiresAt: 1795669700, realm: '127.0.0.1', websocketUrl: 'ws://127.0.0.1:8080', dn: '5001' });
  assert.equal(parseSipCredentials({ ...ANSWER, realm: undefined }).realm, null);
  for (const broken of [{ ...ANSWER, username: '5001' }, { ...ANSWER, password: '' }, { ...ANSWER, expires_at: '1795669700' },
    { ...ANSWER, websocket_url: 'http://127.0.0.1:8080' }, { ...ANSWER, websocket_url: undefined }, null, 'text']) {
    assert.equal(parseSipCredentials(broken), null, JSON.stringify(broken));
  }
});

test('credentials are renewed at 80 % of what is left of their lifetime', () => {
  const now = 1_795_626_500_000; // 12 h before ANSWER.expires_at
  assert.equal(renewalDelayMs(1795669700, now), 0.8 * 43_200_000);
  assert.equal(renewalDelayMs(1795669700, 1795669700 * 1000 - 10_000), 8000);
  assert.equal(renewalDelayMs(1795669700, 1795669700 * 1000), 1000, 'expired: renew soon, not in a busy loop');
  assert.equal(renewalDelayMs(1795669700, 0), 2 ** 31 - 1, 'never beyond what setTimeout can wait');
});

test('failed attempts back off, and Retry-After is honoured', () => {
  assert.deepEqual([1, 2, 3, 4, 5, 6, 50].map((n) => retryDelayMs(n)), [2000, 5000, 15000, 30000, 60000, 60000, 60000]);
  assert.equal(retryDelayMs(1, 30), 30000);
  assert.equal(retryDelayMs(4, 2), 30000, 'the backoff when longer');
  assert.equal(retryDelayMs(1, 86400), 300000, 'at most 5 minutes');
  assert.equal(retryDelayMs(0), 2000);
});

test('Retry-After in seconds or as a date', () => {
  const now = Date.parse('2026-11-26T10:00:00Z');
  assert.equal(retryAfterSeconds('30', now), 30);
  assert.equal(retryAfterSeconds('Thu, 26 Nov 2026 10:01:00 GMT', now), 60);
  assert.equal(retryAfterSeconds('Thu, 26 Nov 2026 09:00:00 GMT', now), 0);
  assert.equal(retryAfterSeconds('soon', now), null);
  assert.equal(retryAfterSeconds(null, now), null);
});

test('only a busy or absent service is asked again', () => {
  assert.deepEqual([null, UNUSABLE, 408, 429, 500, 502, 503, 504].map(isRetryable), Array(8).fill(true));
  assert.deepEqual([400, 401, 403, 404, 415].map(isRetryable), Array(5).fill(false));
});

test('what the agent is told', () => {
  assert.match(credentialsFailureText(401), /refused or has expired \(401\): sign in again/);
  assert.match(credentialsFailureText(403), /\(403\): use an agent token issued for your own DN/);
  assert.equal(credentialsFailureText(429, 30000), 'Too many requests to the service (429). Trying again in 30 s.');
  assert.equal(credentialsFailureText(503, 2000), 'The service cannot issue SIP credentials right now (503). Trying again in 2 s.');
  assert.equal(credentialsFailureText(null, 5000), 'The service cannot be reached. Trying again in 5 s.');
  assert.match(credentialsFailureText(502, 5000), /failed to issue SIP credentials \(502\)/);
  assert.match(credentialsFailureText(UNUSABLE, 5000), /no usable SIP credentials\. Trying again in 5 s/);
  assert.match(credentialsFailureText(400), /refused the sign-in \(400\)\.$/);
  assert.match(eventStreamFailureText(401), /refused or has expired \(401\): sign in again\. Click-to-dial calls will ring/);
  assert.match(eventStreamFailureText(403), /may not read events \(403\)/);
  assert.match(registrationRefusedText(401, 'Unauthorized'), /did not accept the SIP credentials \(401 Unauthorized\)/);
  assert.match(registrationRefusedText(403, 'Forbidden'), /forbids this DN .* \(403 Forbidden\)\. Sign in again/);
  assert.equal(registrationRefusedText(500, 'Server Error'), 'Registration failed: Kamailio answered 500 Server Error.');
});
