import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import JsSIP from 'jssip';
import { handToUa } from '../src/lib/credentials.js';

const md5 = (text) => createHash('md5').update(text).digest('hex');

/**
 * A JsSIP socket standing in for Kamailio: it challenges every REGISTER without Authorization (401, as kamailio.cfg
 * does) and accepts the rest, keeping each REGISTER it saw.
 */
class ChallengingRegistrar {
  constructor() {
    this.url = 'ws://127.0.0.1:8080';
    this.via_transport = 'WS';
    this.sip_uri = 'sip:127.0.0.1:8080;transport=ws';
    this.registers = [];
    this.connected = false;
    this.waiting = null;
  }

  /** Resolves with the next REGISTER that carries Authorization (the answer to a challenge). */
  nextAuthorized() {
    return new Promise((resolve) => {
      this.waiting = resolve;
    });
  }

  connect() {
    this.connected = true;
    setImmediate(() => this.onconnect());
  }

  disconnect() {
    this.connected = false;
  }

  isConnected() {
    return this.connected;
  }

  isConnecting() {
    return false;
  }

  send(message) {
    if (!message.startsWith('REGISTER ')) {
      return true;
    }
    this.registers.push(message);
    const header = (name) => (new RegExp(`^${name}: *(.*)$`, 'mi').exec(message) || [])[1];
    const authorized = /^Authorization:/mi.test(message);
    if (authorized && this.waiting) {
      this.waiting(message);
      this.waiting = null;
    }
    const reply = [
      authorized ? 'SIP/2.0 200 OK' : 'SIP/2.0 401 Unauthorized',
      `Via: ${header('Via')}`, `From: ${header('From')}`, `To: ${header('To')};tag=kamailio`,
      `Call-ID: ${header('Call-ID')}`, `CSeq: ${header('CSeq')}`,
      authorized ? `Contact: ${header('Contact')}` : 'WWW-Authenticate: Digest realm="127.0.0.1", nonce="n0nce"',
      'Content-Length: 0', '', '',
    ].join('\r\n');
    setImmediate(() => this.ondata(reply));
    return true;
  }
}

function digestOf(register) {
  const authorization = /^Authorization: *(.*)$/mi.exec(register)[1];
  const field = (name) => new RegExp(`${name}="([^"]*)"`).exec(authorization)[1];
  return { username: field('username'), response: field('response'), uri: field('uri') };
}

test('renewed credentials reach a running JsSIP UA: its next REGISTER answers the challenge with them', async () => {
  const registrar = new ChallengingRegistrar();
  const first = { username: '1795669700:5001', password: 'Zmlyc3Q=' };
  const ua = new JsSIP.UA({ sockets: [registrar], uri: 'sip:5001@127.0.0.1', authorization_user: first.username,
    password: first.password, register: true, register_expires: 600 });
  try {
    const registered = new Promise((resolve) => ua.once('registered', resolve));
    ua.start();
    await registered;
    assert.equal(digestOf(registrar.registers.at(-1)).username, first.username);

    const renewed = { username: '1795712900:5001', password: 'cmVuZXdlZA==' };
    assert.equal(handToUa(ua, renewed), true);
    const refresh = registrar.nextAuthorized();
    ua.register(); // what JsSIP's refresh timer does before Expires runs out
    const digest = digestOf(await refresh);
    assert.equal(digest.username, renewed.username);
    const ha1 = md5(`${renewed.username}:127.0.0.1:${renewed.password}`);
    assert.equal(digest.response, md5(`${ha1}:n0nce:${md5(`REGISTER:${digest.uri}`)}`), 'digest of the new password');
  }
  finally {
    ua.stop();
  }
});
