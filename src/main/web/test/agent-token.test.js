import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  TOKEN_MESSAGE_TYPE, isApiKey, normalizeToken, takeTokenFromFragment, tokenFromMessage,
} from '../src/lib/agent-token.js';

const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhZ2VudC01MDAxIiwiZG4iOiI1MDAxIn0.c2lnbmF0dXJlLW9mLXRoZS10b2tlbg';
const WWE = 'https://wwe.example.com';

test('a token is trimmed, loses a copied "Bearer ", and must look like a Bearer credential', () => {
  assert.equal(normalizeToken(`  ${JWT}\n`), JWT);
  assert.equal(normalizeToken(`Bearer ${JWT}`), JWT);
  for (const bad of ['', 'short', `${JWT} ${JWT}`, `"${JWT}"`, `${JWT}\r\nX-Evil: 1`, 'x'.repeat(8193), null, 42, {}]) {
    assert.equal(normalizeToken(bad), null, String(bad).slice(0, 20));
  }
  assert.ok(isApiKey('sk_ZJaWZvcmyrc0zEhgBI9wvOz16entHYVzZD48qJkwWDc'));
  assert.ok(!isApiKey(JWT));
});

test('the fragment gives its token and keeps the rest', () => {
  assert.deepEqual(takeTokenFromFragment(`#token=${JWT}`), { found: true, token: JWT, fragment: '' });
  assert.deepEqual(takeTokenFromFragment(`#view=compact&token=${JWT}&x=1`),
    { found: true, token: JWT, fragment: '#view=compact&x=1' });
  assert.deepEqual(takeTokenFromFragment(`#token=${encodeURIComponent(`Bearer ${JWT}`)}`), { found: true, token: JWT, fragment: '' });
  assert.deepEqual(takeTokenFromFragment('#view=compact'), { found: false, token: null, fragment: '#view=compact' });
  assert.deepEqual(takeTokenFromFragment(''), { found: false, token: null, fragment: '' });
  assert.deepEqual(takeTokenFromFragment(undefined), { found: false, token: null, fragment: '' });
});

test('a token that is not one still leaves the address bar, every copy of it', () => {
  assert.deepEqual(takeTokenFromFragment('#token=%E0%A4%A'), { found: true, token: null, fragment: '' });
  assert.deepEqual(takeTokenFromFragment('#token=a%20b&keep=1'), { found: true, token: null, fragment: '#keep=1' });
  assert.deepEqual(takeTokenFromFragment(`#token=${JWT}&token=other`), { found: true, token: JWT, fragment: '' });
});

test('a host page\'s token is taken only from an allowed origin, in the agreed shape', () => {
  const allowed = [WWE];
  const message = (origin, data) => ({ origin, data });
  assert.equal(tokenFromMessage(message(WWE, { type: TOKEN_MESSAGE_TYPE, token: JWT }), allowed), JWT);
  assert.equal(tokenFromMessage(message(WWE, { type: TOKEN_MESSAGE_TYPE, token: JWT, dn: '5001' }), allowed), JWT,
    'other fields are ignored');
  assert.equal(tokenFromMessage(message('https://evil.example.com', { type: TOKEN_MESSAGE_TYPE, token: JWT }), allowed), null);
  assert.equal(tokenFromMessage(message('https://wwe.example.com:444', { type: TOKEN_MESSAGE_TYPE, token: JWT }), allowed), null);
  assert.equal(tokenFromMessage(message('null', { type: TOKEN_MESSAGE_TYPE, token: JWT }), allowed), null);
  assert.equal(tokenFromMessage(message(WWE, { type: TOKEN_MESSAGE_TYPE, token: JWT }), []), null, 'no origin configured');
  for (const data of [JWT, [TOKEN_MESSAGE_TYPE, JWT], { type: 'other', token: JWT }, { type: TOKEN_MESSAGE_TYPE },
    { type: TOKEN_MESSAGE_TYPE, token: { value: JWT } }, { type: TOKEN_MESSAGE_TYPE, token: 'not a token' }, null]) {
    assert.equal(tokenFromMessage(message(WWE, data), allowed), null, JSON.stringify(data));
  }
  assert.equal(tokenFromMessage(undefined, allowed), null);
});
