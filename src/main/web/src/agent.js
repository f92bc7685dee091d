// The agent softphone (/agent): signs in with an agent token (never a bare DN), gets SIP credentials for the
// token's DN from the service, registers to Kamailio over SIP-over-WebSocket with JsSIP, and handles one call at a
// time (a second INVITE gets 486 Busy Here). It answers by itself only the click-to-dials the service announced for
// its DN on its own event stream, and follows a REFER only on such a call. The DOM contract is documented at the top
// of agent.html. Facts behind the choices below: docs/pages.md and the browser tests (a probe of JsSIP 3.13.8, Chromium
// and Kamailio 5.6). The decisions that need no browser live in lib/ (tested in node).

import JsSIP from 'jssip';
import { SignalingClient } from '@signaling-api/client';
import {
  READY_MESSAGE_TYPE, TOKEN_NEEDED_MESSAGE_TYPE, isApiKey, normalizeToken, takeTokenFromFragment, tokenFromMessage,
} from './lib/agent-token.js';
import {
  CLICK_TO_DIAL_EVENT_TYPES, ClickToDialMemory, autoAnswerFor, clickToDialLabel, inviteCallId, referAllowed,
} from './lib/click-to-dial.js';
import {
  UNUSABLE, credentialsFailureText, eventStreamFailureText, handToUa, isRetryable, parseSipCredentials,
  registrationRefusedText, renewalDelayMs, retryAfterSeconds, retryDelayMs,
} from './lib/credentials.js';
import { formatDuration } from './lib/format.js';
import { MONITOR_EVENT_TYPES, monitorNotice } from './lib/monitor.js';
import {
  DN_PATTERN, instanceIdFor, isLoopbackUdpHostCandidate, isUnusableHoldOffer, mediaStatsFrom, moveReferToParamsToUri, partyLabel,
  sipSummary, webRtcHoldOffer,
} from './lib/sip.js';

const MEDIA = Object.freeze({ audio: true, video: false });
const SIP_LOG_LIMIT = 5000;
const REREGISTER_BACKOFF_MS = [3000, 6000, 15000, 30000, 60000];
// What the page dials: a number or a DN it can put in a SIP URI as it is, the DN grammar without '#' (lib/sip.js).
const TARGET_PATTERN = DN_PATTERN;

// Causes that mean the call could not work, worth an alert; the others (busy, declined, cancelled, hung up) are
// ordinary ends shown in the call status.
const FAILURE_CAUSES = new Set([
  JsSIP.C.causes.USER_DENIED_MEDIA_ACCESS, JsSIP.C.causes.WEBRTC_ERROR, JsSIP.C.causes.BAD_MEDIA_DESCRIPTION,
  JsSIP.C.causes.INCOMPATIBLE_SDP, JsSIP.C.causes.MISSING_SDP, JsSIP.C.causes.CONNECTION_ERROR,
  JsSIP.C.causes.INTERNAL_ERROR, JsSIP.C.causes.RTP_TIMEOUT, JsSIP.C.causes.DIALOG_ERROR,
  JsSIP.C.causes.REQUEST_TIMEOUT, JsSIP.C.causes.NO_ACK,
]);

const $ = (id) => document.getElementById(id);
const ui = {
  signInForm: $('sign-in-form'), token: $('token'), register: $('register'), unregister: $('unregister'),
  registration: $('registration'), message: $('message'), call: $('call'), callStatus: $('call-status'),
  remote: $('remote-party'), timer: $('call-timer'), answer: $('answer'), hangup: $('hangup'), mute: $('mute'),
  hold: $('hold'), transfer: $('transfer'), dialForm: $('dial-form'), destination: $('destination'), placeCall: $('place-call'),
  dtmfSent: $('dtmf-sent'), audio: $('remote-audio'), supervisor: $('supervisor'),
};

/** Supervisors whispering to or barging into this DN's calls, by monitor id (call.monitor.* events). */
const supervisors = new Map();

/** What one sign-in holds beside the UA: its token and credentials, and its event stream. */
function newSession() {
  return {
    token: null, // memory only: never stored, logged or shown
    expiresAt: null, // of the SIP credentials in use (epoch s)
    websocketUrl: null,
    renewTimer: null,
    renewing: false,
    failures: 0, // credential requests failed in a row
    stream: null, // the @signaling-api/client subscription
    streamState: 'closed', // closed | connecting | open | failed
    clickToDials: null, // ClickToDialMemory: the click-to-dials announced for this DN
  };
}

const agent = {
  config: null,
  ua: null,
  dn: null, // the token's, from the SIP username
  signedIn: false, // the user asked to be registered (until they sign out)
  generation: 0, // bumped by every sign-in and sign-out: answers to an older one are dropped
  session: newSession(),
  registration: 'unregistered',
  connected: false,
  retryTimer: null,
  retryAttempt: 0,
  call: null, // the call on screen
  lastCallText: 'No call',
  messageKind: null,
  audioContext: null,
  ring: null,
  resumeOnShow: false,
  referring: null, // the call whose REFER is placing a new call right now
  sipLog: [],
};

// ----- messages and rendering -----

function showMessage(text, kind) {
  ui.message.textContent = text;
  agent.messageKind = kind;
}

function clearMessage(kind) {
  if (kind === undefined || agent.messageKind === kind) {
    ui.message.textContent = '';
    agent.messageKind = null;
  }
}

function setRegistration(state) {
  agent.registration = state;
  render();
}

function registrationText() {
  switch (agent.registration) {
    case 'registered': return `Registered as ${agent.dn}`;
    case 'connecting': return agent.dn ? `Connecting as ${agent.dn}…` : 'Signing in…';
    case 'failed': return `Not registered${agent.dn ? ` (${agent.dn})` : ''}: retrying`;
    default: return 'Signed out';
  }
}

function callText(call) {
  if (!call) {
    return agent.lastCallText;
  }
  switch (call.state) {
    case 'incoming': return call.autoAnswer ? 'Answering…' : 'Incoming call';
    case 'outgoing': return call.ringingRemote ? 'Ringing…' : 'Calling…';
    case 'held': return 'On hold';
    default: return call.remoteHeld ? 'In call (held by the other party)' : 'In call';
  }
}

function render() {
  const call = agent.call;
  const state = call ? call.state : 'idle';
  const inCall = state === 'active' || state === 'held';
  ui.registration.dataset.state = agent.registration;
  ui.registration.textContent = registrationText();
  ui.call.dataset.state = state;
  ui.callStatus.textContent = callText(call);
  ui.remote.textContent = call ? call.remote : '';
  renderTimer();
  ui.unregister.disabled = !agent.signedIn;
  ui.answer.disabled = state !== 'incoming';
  ui.hangup.disabled = state === 'idle';
  ui.mute.disabled = !inCall;
  ui.hold.disabled = !inCall;
  ui.transfer.disabled = !inCall;
  ui.mute.setAttribute('aria-pressed', String(!!(call && call.muted)));
  ui.hold.setAttribute('aria-pressed', String(!!(call && call.held)));
  ui.placeCall.disabled = agent.registration !== 'registered' || state !== 'idle';
  ui.dtmfSent.textContent = call ? call.dtmf : '';
}

function renderTimer() {
  const call = agent.call;
  const text = call && call.answeredAt !== null && (call.state === 'active' || call.state === 'held')
    ? formatDuration((Date.now() - call.answeredAt) / 1000) : '';
  if (ui.timer.textContent !== text) {
    ui.timer.textContent = text;
  }
}

// ----- signing in and out -----

function isLoopbackHost(host) {
  return host === 'localhost' || host.startsWith('127.') || host === '[::1]';
}

async function loadConfig() {
  const response = await fetch('agent/config.json', { cache: 'no-cache', headers: { Accept: 'application/json' } });
  if (!response.ok) {
    throw new Error(`HTTP ${response.status}`);
  }
  return response.json();
}

function microphoneMessage(error) {
  switch (error && error.name) {
    case 'NotAllowedError':
    case 'PermissionDeniedError':
    case 'SecurityError':
      return 'Microphone access was denied. Allow the microphone for this site (the icon in the address bar), '
        + 'then sign in again.';
    case 'NotFoundError':
    case 'DevicesNotFoundError':
      return 'No microphone was found. Connect a headset, then sign in again.';
    case 'NotReadableError':
    case 'TrackStartError':
      return 'The microphone cannot be opened: another application may be using it.';
    default:
      return `The microphone cannot be used (${(error && error.name) || 'unknown error'}).`;
  }
}

// Asks for the microphone at sign-in, so that a refusal shows before any call rings (and the agent is never
// registered, and offered calls, without one). The probe stream is stopped at once; each call opens its own.
async function checkMicrophone() {
  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
    return 'This browser offers no microphone on this page: open it over https.';
  }
  try {
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    stream.getTracks().forEach((track) => track.stop());
    return null;
  }
  catch (error) {
    return microphoneMessage(error);
  }
}

function prepareAudio() {
  // Browsers let a page make sound only after a user gesture: created here, the context runs at once when the
  // agent clicked Sign in, and from the first click or key press when the token came from the address or a host
  // page (see the gesture listener in the wiring).
  const AudioContextType = window.AudioContext || window.webkitAudioContext;
  if (!agent.audioContext && AudioContextType) {
    agent.audioContext = new AudioContextType();
  }
  resumeAudio();
}

function resumeAudio() {
  if (agent.audioContext && agent.audioContext.state === 'suspended') {
    agent.audioContext.resume().catch(() => {});
  }
}

/** The page's base ("https://host/" for /agent): the API is beside it, behind a context path too. */
function serviceBase() {
  return new URL('.', location.href).href;
}

/** Tells a host page framing the softphone (WWE) something, at each allowed origin: only the parent's own gets it. */
function tellHost(type) {
  if (window.parent === window || !agent.config) {
    return;
  }
  for (const origin of agent.config.embed_origins || []) {
    window.parent.postMessage({ type }, origin);
  }
}

/** A token from the form, the address or a host page: signs in with it, or swaps it in when signed in already. */
async function useToken(text) {
  const token = normalizeToken(text);
  if (!token) {
    showMessage('Paste an agent token: the one your administrator issued for your DN.', 'input');
    return;
  }
  if (isApiKey(token)) {
    showMessage('This is an API key, meant for servers: the softphone signs in with an agent token issued for your DN.',
      'input');
    return;
  }
  prepareAudio();
  if (agent.signedIn && agent.dn !== null) {
    await replaceToken(token);
  }
  else {
    await signIn(token);
  }
}

async function signIn(token) {
  endSession();
  clearMessage();
  const generation = agent.generation;
  agent.signedIn = true;
  agent.session.token = token;
  setRegistration('connecting');
  try {
    agent.config = agent.config || await loadConfig();
  }
  catch (error) {
    if (generation === agent.generation) {
      endSession();
      showMessage(`Sign-in failed: the softphone's configuration could not be loaded (${error.message}).`, 'registration');
    }
    return;
  }
  const microphoneError = await checkMicrophone();
  if (generation !== agent.generation) {
    return; // signed out (or in again) while the browser asked
  }
  if (microphoneError) {
    endSession();
    showMessage(microphoneError, 'microphone');
    return;
  }
  await renewCredentials(generation);
}

function signOut() {
  endSession();
  clearMessage();
}

/** Back to signed out: the UA, the event stream, the renewal and the token go; a message saying why stays. */
function endSession() {
  agent.generation++;
  agent.signedIn = false;
  agent.resumeOnShow = false;
  clearTimeout(agent.session.renewTimer);
  stopConnections();
  agent.session = newSession();
  agent.dn = null;
  setRegistration('unregistered');
}

// ----- SIP credentials -----

/**
 * POST api/agent/sip-credentials with the token: {credentials, serverNowMs} or {status (null: no answer; UNUSABLE:
 * a 2xx without credentials), retryAfter}. The service's clock (its Date header) times the renewal.
 */
async function fetchSipCredentials(token) {
  let response;
  try {
    response = await fetch('api/agent/sip-credentials', {
      method: 'POST',
      cache: 'no-store',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', Accept: 'application/json' },
      body: '{}',
    });
  }
  catch (error) {
    return { status: null, retryAfter: null };
  }
  const serverNowMs = Date.parse(response.headers.get('Date') || '') || Date.now();
  if (!response.ok) {
    return { status: response.status, retryAfter: retryAfterSeconds(response.headers.get('Retry-After'), serverNowMs) };
  }
  const credentials = parseSipCredentials(await response.json().catch(() => null));
  return credentials ? { credentials, serverNowMs } : { status: UNUSABLE, retryAfter: null };
}

/**
 * Gets credentials for the session's token, uses them and plans their renewal: at sign-in, at 80 % of their
 * lifetime, after a refused REGISTER and after a failed attempt. A busy or absent service is asked again with
 * backoff; a refused token ends a sign-in that never registered, while a registered page stays registered with what
 * it has until that expires (a new token renews them).
 */
async function renewCredentials(generation) {
  const session = agent.session;
  if (session.renewing) {
    return;
  }
  clearTimeout(session.renewTimer);
  session.renewTimer = null;
  session.renewing = true;
  const answer = await fetchSipCredentials(session.token);
  session.renewing = false;
  if (generation === agent.generation) {
    credentialsAnswered(answer, generation);
  }
}

function credentialsAnswered(answer, generation) {
  const session = agent.session;
  if (answer.credentials) {
    session.failures = 0;
    useCredentials(answer.credentials);
    session.renewTimer = setTimeout(() => renewCredentials(generation),
      renewalDelayMs(answer.credentials.expiresAt, answer.serverNowMs));
    return;
  }
  if (isRetryable(answer.status)) {
    session.failures++;
    const delay = retryDelayMs(session.failures, answer.retryAfter);
    showMessage(credentialsFailureText(answer.status, delay), 'credentials');
    if (!agent.ua) {
      setRegistration('failed');
    }
    session.renewTimer = setTimeout(() => renewCredentials(generation), delay);
    return;
  }
  if (answer.status === 401) {
    tellHost(TOKEN_NEEDED_MESSAGE_TYPE);
  }
  if (!agent.ua) {
    endSession();
  }
  showMessage(credentialsFailureText(answer.status), 'credentials');
}

/**
 * New credentials: the first start the event stream and the UA; later ones go to the running UA (handToUa), which
 * uses them from its next REGISTER refresh and INVITE on, without a restart that would drop a call.
 */
function useCredentials(credentials) {
  agent.session.expiresAt = credentials.expiresAt;
  clearMessage('credentials');
  if (agent.ua) {
    if (!handToUa(agent.ua, credentials)) {
      showMessage('The softphone could not take its new SIP credentials: sign out and in again.', 'credentials');
    }
    return;
  }
  agent.dn = credentials.dn;
  agent.session.websocketUrl = credentials.websocketUrl;
  agent.session.clickToDials = agent.session.clickToDials
    || new ClickToDialMemory({ ringMs: agent.config.click_to_dial_ring_timeout * 1000 });
  openEventStream();
  startUa(credentials);
}

/**
 * A new token while signed in (a host page refreshing it before it expires, or one pasted): checked by getting
 * credentials with it. For the same DN the registration and a call go on, with the new token and credentials; for
 * another DN the page signs in afresh as that agent; a refused one leaves everything as it was.
 */
async function replaceToken(token) {
  const generation = agent.generation;
  const answer = await fetchSipCredentials(token);
  if (generation !== agent.generation) {
    return;
  }
  if (answer.credentials && answer.credentials.dn !== agent.dn) {
    await signIn(token);
    return;
  }
  if (!answer.credentials && !isRetryable(answer.status)) {
    showMessage(credentialsFailureText(answer.status), 'credentials');
    return;
  }
  agent.session.token = token;
  if (agent.session.streamState === 'failed' || agent.session.stream === null) {
    openEventStream(); // it gave up on the old token
  }
  clearTimeout(agent.session.renewTimer);
  credentialsAnswered(answer, generation);
}

// ----- the event stream: which click-to-dials are this DN's -----

/**
 * The page's own event stream, with the agent token (the service confines it to the token's DN): the click-to-dials
 * announced for this DN, the only calls answered by themselves. The client reconnects by itself (resuming with
 * Last-Event-ID) and reads the token at each connection, so a swapped token is used from the next one.
 */
function openEventStream() {
  closeEventStream();
  const session = agent.session;
  const mine = () => agent.session === session;
  const client = new SignalingClient({ baseUrl: serviceBase(), getToken: () => session.token, retries: 0 });
  session.streamState = 'connecting';
  session.stream = client.subscribe({
    dn: agent.dn,
    type: [...CLICK_TO_DIAL_EVENT_TYPES, ...MONITOR_EVENT_TYPES],
    minDelayMs: 1000,
    onOpen: () => {
      if (mine()) {
        session.streamState = 'open';
        clearMessage('events');
      }
    },
    onEvent: (event) => {
      if (mine()) {
        onCallEvent(event);
      }
    },
    onError: (error, { willRetry }) => {
      if (!mine()) {
        return;
      }
      session.streamState = willRetry ? 'connecting' : 'failed';
      if (!willRetry) {
        showMessage(eventStreamFailureText(error.status), 'events');
        if (error.status === 401) {
          tellHost(TOKEN_NEEDED_MESSAGE_TYPE);
        }
      }
    },
  });
}

function closeEventStream() {
  const session = agent.session;
  if (session.stream) {
    session.stream.close();
  }
  session.stream = null;
  session.streamState = 'closed';
}

/**
 * An event of the stream: remembers announced click-to-dials and forgets ended ones. The stream may lag the SIP: a
 * call that rings already when its announcement arrives is answered then.
 */
function onCallEvent(event) {
  const notice = monitorNotice(event);
  if (notice) {
    showSupervisor(notice);
    return;
  }
  const memory = agent.session.clickToDials;
  const callId = memory ? memory.observe(event, agent.dn, Date.now()) : null;
  const call = agent.call;
  if (callId && call && call.xCallId === callId) {
    tryAutoAnswer(call);
  }
}

/** The supervisor line: the latest whisper or barge still going on; hidden when none is. */
function showSupervisor(notice) {
  if (notice.mode) {
    supervisors.set(notice.monitorId, notice);
  }
  else {
    supervisors.delete(notice.monitorId);
  }
  const current = [...supervisors.values()].pop();
  ui.supervisor.hidden = !current;
  ui.supervisor.dataset.mode = current ? current.mode : '';
  ui.supervisor.textContent = current ? current.text : '';
}

// ----- SIP registration -----

function stopConnections() {
  closeEventStream();
  stopUa();
}

function traceSocket(socket) {
  const record = (direction, data) => {
    const text = typeof data === 'string' ? data : new TextDecoder().decode(data);
    const summary = sipSummary(text);
    if (!summary.firstLine) {
      return; // keep-alive CRLFs
    }
    agent.sipLog.push({ at: Date.now(), direction, ...summary });
    if (agent.sipLog.length > SIP_LOG_LIMIT) {
      agent.sipLog.splice(0, agent.sipLog.length - SIP_LOG_LIMIT);
    }
  };
  const send = socket.send.bind(socket);
  socket.send = (message) => {
    record('out', message);
    return send(message);
  };
  // JsSIP's transport assigns ondata after construction; wrap whatever it assigns.
  let ondata = null;
  Object.defineProperty(socket, 'ondata', {
    configurable: true,
    get: () => ondata,
    set: (handler) => {
      ondata = (data) => {
        record('in', data);
        handler(data);
      };
    },
  });
}

function registrationFailureText(event) {
  if (event.response) {
    return registrationRefusedText(event.response.status_code, event.response.reason_phrase);
  }
  if (event.cause === JsSIP.C.causes.CONNECTION_ERROR) {
    return `Registration failed: no connection to Kamailio (${agent.session.websocketUrl}).`;
  }
  if (event.cause === JsSIP.C.causes.REQUEST_TIMEOUT) {
    return 'Registration failed: Kamailio did not answer the REGISTER.';
  }
  return `Registration failed: ${event.cause}.`;
}

function scheduleRegister(ua) {
  if (agent.retryTimer !== null) {
    return;
  }
  const delay = REREGISTER_BACKOFF_MS[Math.min(agent.retryAttempt, REREGISTER_BACKOFF_MS.length - 1)];
  agent.retryAttempt++;
  agent.retryTimer = setTimeout(() => {
    agent.retryTimer = null;
    // Without a connection JsSIP registers by itself once it reconnects.
    if (agent.ua === ua && agent.signedIn && ua.isConnected()) {
      ua.register();
    }
  }, delay);
}

function resetRetry() {
  clearTimeout(agent.retryTimer);
  agent.retryTimer = null;
  agent.retryAttempt = 0;
}

function startUa(credentials) {
  const config = agent.config;
  const websocketUrl = credentials.websocketUrl;
  const websocket = new URL(websocketUrl);
  if (location.protocol === 'https:' && websocket.protocol === 'ws:' && !isLoopbackHost(websocket.hostname)) {
    showMessage(`This page is served over https, and the browser refuses the unencrypted ${websocketUrl}: `
      + 'signaling.pages.websocket-url must be a wss:// URL.', 'connection');
  }
  let socket;
  let ua;
  try {
    socket = new JsSIP.WebSocketInterface(websocketUrl);
    traceSocket(socket);
    ua = new JsSIP.UA({
      sockets: [socket],
      uri: `sip:${credentials.dn}@${config.sip_domain}`,
      // Ephemeral credentials ("<expiry>:<dn>" and its HMAC): JsSIP answers Kamailio's 401/407 challenges with them.
      authorization_user: credentials.username,
      password: credentials.password,
      register: true,
      register_expires: config.register_expires,
      // A fixed instance per DN: a reload replaces the contact in Kamailio instead of adding another.
      instance_id: instanceIdFor(credentials.dn, config.sip_domain),
      session_timers: false,
      user_agent: `signaling-api agent (JsSIP ${JsSIP.version})`,
      connection_recovery_min_interval: 2,
      connection_recovery_max_interval: 30,
    });
  }
  catch (error) {
    endSession();
    showMessage(`Registration failed: ${error.message}`, 'registration');
    return;
  }
  agent.ua = ua;
  agent.connected = false;
  const mine = () => agent.ua === ua;
  ua.on('connecting', () => {
    if (mine() && agent.registration !== 'failed' && agent.registration !== 'registered') {
      setRegistration('connecting');
    }
  });
  ua.on('connected', () => {
    if (mine()) {
      agent.connected = true;
      clearMessage('connection');
    }
  });
  ua.on('disconnected', () => {
    if (!mine()) {
      return;
    }
    const wasConnected = agent.connected;
    agent.connected = false;
    if (!agent.signedIn) {
      return;
    }
    // JsSIP reconnects by itself (2 s, then up to 30 s apart) and registers again once connected.
    if (wasConnected) {
      setRegistration('connecting');
      showMessage('The connection to Kamailio was lost; reconnecting…', 'connection');
    }
    else {
      setRegistration('failed');
      showMessage(`Registration failed: Kamailio cannot be reached at ${websocketUrl}; retrying…`, 'connection');
    }
  });
  ua.on('registered', () => {
    if (mine()) {
      resetRetry();
      clearMessage('registration');
      clearMessage('connection');
      setRegistration('registered');
    }
  });
  ua.on('unregistered', () => {
    if (!mine()) {
      return;
    }
    if (!agent.signedIn) {
      setRegistration('unregistered');
    }
    else if (agent.connected) {
      scheduleRegister(ua);
    }
  });
  ua.on('registrationFailed', (event) => {
    if (!mine() || !agent.signedIn) {
      return;
    }
    setRegistration('failed');
    showMessage(registrationFailureText(event), 'registration');
    const status = event.response ? event.response.status_code : null;
    if (status === 401 || status === 407) {
      // The challenge was answered and refused: the credentials expired (a sleeping laptop missed the renewal)
      // or the secret changed. New ones first; the retry below registers with them.
      renewCredentials(agent.generation);
    }
    scheduleRegister(ua);
  });
  ua.on('newRTCSession', onNewSession);
  ua.start();
}

function stopUa() {
  const ua = agent.ua;
  agent.ua = null;
  agent.connected = false;
  resetRetry();
  dropCall('No call');
  if (ua) {
    try {
      // Un-REGISTERs (the contact goes at once, not after Expires) and sends BYE for a live call.
      ua.stop();
    }
    catch (error) {
      // already stopped
    }
  }
}

// ----- calls -----

function pcConfig() {
  return { iceServers: agent.config.ice_servers || [] };
}

/**
 * How the other party shows. auto_answer_from is only a label now: a ringing call from one of those users
 * (click-to-dial's controller) that is not a click-to-dial announced to this page is marked, so the agent does not
 * take a forged one for their own.
 */
function remoteOf(session, incoming) {
  const identity = session.remote_identity;
  const user = identity && identity.uri ? identity.uri.user : null;
  const label = partyLabel(identity && identity.display_name, user, identity && identity.uri && identity.uri.toString());
  if (incoming && user && (agent.config.auto_answer_from || []).includes(user)) {
    return `${label} (unverified click-to-dial)`;
  }
  return label;
}

function onNewSession({ originator, session, request }) {
  if (originator === 'local') {
    // Our own call, or the call a REFER we accepted places (click-to-dial): it becomes the call on screen.
    const referredBy = agent.referring;
    agent.referring = null;
    const call = adopt(session, 'outgoing', remoteOf(session, false));
    call.replaces = referredBy;
    return;
  }
  if (agent.call) {
    session.terminate({ status_code: 486, reason_phrase: 'Busy Here' });
    return;
  }
  const call = adopt(session, 'incoming', remoteOf(session, true));
  // What decides auto-answer (lib/click-to-dial.js): the API call id in X-Call-Id; the hints only set the delay.
  call.invite = {
    xCallIds: request.getHeaders('X-Call-Id'),
    callInfo: request.getHeaders('Call-Info'),
    alertInfo: request.getHeaders('Alert-Info'),
  };
  call.xCallId = inviteCallId(call.invite.xCallIds);
  if (!tryAutoAnswer(call)) {
    startRinging();
  }
}

/**
 * Recognizes a ringing call as a click-to-dial announced for this DN, before its deadline (at the INVITE, or when a
 * late announcement arrives): the call then counts as that click-to-dial, and its REFER may be followed. Answers it
 * by itself when the make request asked for that (auto_answer); true when it will.
 */
function tryAutoAnswer(call) {
  const memory = agent.session.clickToDials;
  if (!memory || call.state !== 'incoming' || call.autoAnswer || !call.session.isInProgress()) {
    return false;
  }
  const granted = call.clickToDialId ? null : autoAnswerFor(call.invite, memory, Date.now());
  if (!granted) {
    return false;
  }
  call.clickToDialId = granted.callId;
  call.remote = clickToDialLabel(granted.to);
  if (!granted.autoAnswer) {
    render(); // a click-to-dial that asked the agent to pick up: it rings (and its REFER may be followed)
    return false;
  }
  call.autoAnswer = true;
  stopRinging();
  call.autoTimer = setTimeout(() => answer(call), granted.delaySeconds * 1000);
  render();
  return true;
}

// A REFER makes this phone call someone, so it is followed only on a call answered as a known click-to-dial, and
// only for that same call (lib/click-to-dial.js); any other is refused here with 603, before JsSIP would answer
// 202, and the call stays as it is. Kamailio's click-to-dial also sends ACK and REFER through different workers, so
// the REFER sometimes overtakes the ACK; JsSIP would refuse it (403 Wrong Status) and the second call never
// happens. A REFER that arrives while the session waits for its ACK is held and handed over once it is confirmed.
function guardRefers(session, call) {
  const receive = session.receiveRequest.bind(session);
  call.deliver = receive;
  session.receiveRequest = (request) => {
    if (request.method !== JsSIP.C.REFER) {
      return receive(request);
    }
    if (!referAllowed(call.clickToDialId, request.refer_to)) {
      request.reply(603, 'Decline');
      return undefined;
    }
    if (session.status === JsSIP.RTCSession.C.STATUS_WAITING_FOR_ACK) {
      call.heldRefers.push(request);
      return undefined;
    }
    return receive(request);
  };
}

function adopt(session, direction, remote) {
  const call = {
    session, direction, remote,
    state: direction === 'incoming' ? 'incoming' : 'outgoing',
    muted: false, held: false, remoteHeld: false, ringingRemote: false, autoAnswer: false, autoTimer: null,
    answeredAt: null, dtmf: '', referring: false, heldRefers: [], deliver: null, replaces: null,
    invite: { xCallIds: [], callInfo: [], alertInfo: [] }, xCallId: null, clickToDialId: null,
  };
  const previous = agent.call;
  agent.call = call;
  if (previous && previous !== call) {
    clearTimeout(previous.autoTimer);
  }
  const mine = () => agent.call === call;
  guardRefers(session, call);
  // An INVITE with Replaces would take this call over: nothing here asks for one.
  session.on('replaces', (event) => event.reject());
  if (session.connection) {
    watchConnection(session.connection, call);
  }
  session.on('peerconnection', ({ peerconnection }) => watchConnection(peerconnection, call));
  session.on('icecandidate', ({ candidate, ready }) => {
    // JsSIP sends its offer or answer only when ICE gathering completes; without STUN/TURN a loopback host
    // candidate is all there will be worth waiting for (the lab), so go at once.
    if ((agent.config.ice_servers || []).length === 0 && isLoopbackUdpHostCandidate(candidate)) {
      ready();
    }
  });
  session.on('sdp', (event) => {
    // Safety net for click-to-dial without a WebRTC body: Kamailio's own hold offer (plain RTP, no DTLS) makes the
    // browser fail the call with 488; the same hold as an ICE/DTLS offer is accepted.
    if (event.originator === 'remote' && event.type === 'offer' && isUnusableHoldOffer(event.sdp)) {
      event.sdp = webRtcHoldOffer(event.sdp);
    }
  });
  session.on('progress', () => {
    if (mine() && call.direction === 'outgoing') {
      call.ringingRemote = true;
      render();
    }
  });
  session.on('accepted', () => {
    if (mine()) {
      setActive(call);
    }
  });
  session.on('confirmed', () => {
    if (mine()) {
      setActive(call);
    }
    for (const refer of call.heldRefers.splice(0)) {
      call.deliver(refer);
    }
  });
  session.on('hold', ({ originator }) => {
    if (originator === 'local') {
      call.held = true;
      if (call.state === 'active') {
        call.state = 'held';
      }
    }
    else {
      call.remoteHeld = true;
    }
    if (mine()) {
      render();
    }
  });
  session.on('unhold', ({ originator }) => {
    if (originator === 'local') {
      call.held = false;
      if (call.state === 'held') {
        call.state = 'active';
      }
    }
    else {
      call.remoteHeld = false;
    }
    if (mine()) {
      render();
    }
  });
  session.on('muted', () => {
    call.muted = true;
    if (mine()) {
      render();
    }
  });
  session.on('unmuted', () => {
    call.muted = false;
    if (mine()) {
      render();
    }
  });
  session.on('refer', (event) => onRefer(call, event));
  session.on('getusermediafailed', (error) => {
    if (mine()) {
      showMessage(microphoneMessage(error), 'microphone');
    }
  });
  session.on('ended', (event) => finish(call, event));
  session.on('failed', (event) => finish(call, event));
  render();
  return call;
}

function watchConnection(connection, call) {
  connection.addEventListener('track', (event) => {
    if (agent.call !== call) {
      return;
    }
    ui.audio.srcObject = event.streams[0] || new MediaStream([event.track]);
    ui.audio.play().catch(() => {});
  });
}

function setActive(call) {
  if (call.answeredAt === null) {
    call.answeredAt = Date.now();
  }
  call.state = call.held ? 'held' : 'active';
  endReplacedCall(call);
  stopRinging();
  clearMessage('call');
  render();
}

// The call a REFER placed is established: the leg that sent the REFER (click-to-dial's controller) has done its
// job. Kamailio usually ends it by itself right after the 202; if it is still up, it is ended here.
function endReplacedCall(call) {
  const old = call.replaces;
  call.replaces = null;
  if (old && old.session && !old.session.isEnded()) {
    try {
      old.session.terminate();
    }
    catch (error) {
      // ended meanwhile
    }
  }
}

function onRefer(call, event) {
  if (agent.call !== call || !agent.ua) {
    event.reject();
    return;
  }
  // Only REFERs of a known click-to-dial get here (guardRefers). Accepted with the same media options as any call:
  // the new call to the Refer-To target (click-to-dial's second party) arrives in onNewSession and takes this one's place; Kamailio then ends this leg with a BYE.
  // The Refer-To URI is called with its parameters (;xcid=...), so the API can tie the new call to its id; Kamailio
  // writes them as header parameters (no angle brackets), which JsSIP would drop.
  moveReferToParamsToUri(event.request && event.request.refer_to);
  call.referring = true;
  agent.referring = call;
  event.accept(undefined, { mediaConstraints: MEDIA, pcConfig: pcConfig() });
  if (agent.referring === call) {
    agent.referring = null; // no new session came of it
  }
  if (agent.call === call) {
    call.referring = false;
  }
}

function finish(call, { originator, cause, message }) {
  clearTimeout(call.autoTimer);
  for (const refer of call.heldRefers.splice(0)) {
    refer.reply(403, 'Wrong Status');
  }
  if (agent.call !== call) {
    return;
  }
  const who = call.remote;
  let text;
  if (cause === JsSIP.C.causes.BYE) {
    text = `Call with ${who} ended`;
  }
  else if (cause === JsSIP.C.causes.CANCELED && call.direction === 'incoming') {
    text = `Missed call from ${who}`;
  }
  else if (originator === 'local' && (cause === JsSIP.C.causes.REJECTED || cause === JsSIP.C.causes.CANCELED)) {
    text = call.direction === 'incoming' ? `Declined call from ${who}` : `Call to ${who} cancelled`;
  }
  else {
    const status = message && message.status_code ? ` (${message.status_code})` : '';
    text = `Call ${call.direction === 'incoming' ? 'from' : 'to'} ${who} ended: ${cause}${status}`;
  }
  if (cause === JsSIP.C.causes.USER_DENIED_MEDIA_ACCESS) {
    showMessage('The call could not use the microphone: access was denied. Allow the microphone for this site.', 'microphone');
  }
  else if (FAILURE_CAUSES.has(cause)) {
    showMessage(`Call failed: ${cause}${message && message.status_code ? ` (${message.status_code})` : ''}.`, 'call');
  }
  dropCall(text);
}

function dropCall(text) {
  if (agent.call) {
    clearTimeout(agent.call.autoTimer);
  }
  agent.call = null;
  agent.lastCallText = text;
  stopRinging();
  ui.audio.srcObject = null;
  render();
}

function answer(call) {
  if (agent.call !== call || call.state !== 'incoming' || !call.session.isInProgress()) {
    return;
  }
  clearTimeout(call.autoTimer);
  stopRinging();
  try {
    call.session.answer({ mediaConstraints: MEDIA, pcConfig: pcConfig() });
  }
  catch (error) {
    showMessage(`The call could not be answered: ${error.message}`, 'call');
  }
}

function hangup() {
  const call = agent.call;
  if (!call) {
    return;
  }
  try {
    call.session.terminate(call.state === 'incoming' ? { status_code: 486, reason_phrase: 'Busy Here' } : undefined);
  }
  catch (error) {
    dropCall('No call');
  }
}

function toggleMute() {
  const call = agent.call;
  if (call && (call.state === 'active' || call.state === 'held')) {
    if (call.muted) {
      call.session.unmute({ audio: true });
    }
    else {
      call.session.mute({ audio: true });
    }
  }
}

function toggleHold() {
  const call = agent.call;
  if (call && (call.state === 'active' || call.state === 'held')) {
    const done = call.held ? call.session.unhold() : call.session.hold();
    if (!done) {
      showMessage('Hold is not possible right now (another change of the call is under way); try again.', 'call');
    }
  }
}

function sendDtmf(tone) {
  const call = agent.call;
  if (!call || call.state !== 'active') {
    return false;
  }
  const senders = call.session.connection ? call.session.connection.getSenders() : [];
  const rtpPossible = senders.some((sender) => sender.dtmf && sender.dtmf.canInsertDTMF);
  const transportType = agent.config.dtmf_transport === 'info' || !rtpPossible
    ? JsSIP.C.DTMF_TRANSPORT.INFO : JsSIP.C.DTMF_TRANSPORT.RFC2833;
  try {
    call.session.sendDTMF(tone, { transportType, duration: 100, interToneGap: 70 });
    call.dtmf += tone;
    render();
    return true;
  }
  catch (error) {
    showMessage(`The digit could not be sent: ${error.message}`, 'call');
    return false;
  }
}

/**
 * A blind transfer of the agent's own call through its SIP stack: a REFER to the other party, which calls the
 * number or DN in the Call field. Blind: the agent hangs up as soon as the other party accepts the REFER (202), as
 * desk phones do; a refused REFER leaves the call as it was and says so.
 */
function transferCall(target) {
  const call = agent.call;
  const value = String(target || '').trim();
  if (!call || (call.state !== 'active' && call.state !== 'held')) {
    return false;
  }
  if (!TARGET_PATTERN.test(value)) {
    showMessage('Enter the number or DN to transfer to in the Call field: digits, letters or + * . _ -', 'input');
    return false;
  }
  clearMessage('input');
  try {
    call.session.refer(`sip:${value}@${agent.config.sip_domain}`, {
      eventHandlers: {
        requestSucceeded: () => call.session.terminate(),
        requestFailed: (event) => showMessage(`The transfer to ${value} was refused`
          + `${event && event.cause ? ` (${event.cause})` : ''}.`, 'call'),
      },
    });
    return true;
  }
  catch (error) {
    showMessage(`The transfer could not be sent: ${error.message}`, 'call');
    return false;
  }
}

function placeCall(target) {
  const value = String(target || '').trim();
  if (!agent.ua || agent.registration !== 'registered' || agent.call) {
    return false;
  }
  if (!TARGET_PATTERN.test(value)) {
    showMessage('Enter a number or DN to call: digits, letters or + * . _ -', 'input');
    return false;
  }
  clearMessage('input');
  agent.ua.call(`sip:${value}@${agent.config.sip_domain}`, { mediaConstraints: MEDIA, pcConfig: pcConfig() });
  return true;
}

function startRinging() {
  const context = agent.audioContext;
  if (!context || agent.ring) {
    return;
  }
  // A generated ring (440 + 480 Hz, 2 s on, 4 s off): no sound file to fetch.
  const gain = context.createGain();
  gain.gain.value = 0;
  gain.connect(context.destination);
  const oscillators = [440, 480].map((frequency) => {
    const oscillator = context.createOscillator();
    oscillator.frequency.value = frequency;
    oscillator.connect(gain);
    oscillator.start();
    return oscillator;
  });
  const cycle = () => {
    const t = context.currentTime;
    gain.gain.setValueAtTime(0.06, t);
    gain.gain.setValueAtTime(0, t + 2);
  };
  cycle();
  agent.ring = { gain, oscillators, timer: setInterval(cycle, 6000) };
}

function stopRinging() {
  const ring = agent.ring;
  if (!ring) {
    return;
  }
  agent.ring = null;
  clearInterval(ring.timer);
  ring.oscillators.forEach((oscillator) => oscillator.stop());
  ring.gain.disconnect();
}

// ----- wiring -----

ui.signInForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const text = ui.token.value;
  ui.token.value = ''; // a credential stays in the DOM no longer than it takes to read it
  useToken(text);
});
ui.unregister.addEventListener('click', signOut);
ui.answer.addEventListener('click', () => agent.call && answer(agent.call));
ui.hangup.addEventListener('click', hangup);
ui.mute.addEventListener('click', toggleMute);
ui.hold.addEventListener('click', toggleHold);
ui.transfer.addEventListener('click', () => {
  if (transferCall(ui.destination.value)) {
    ui.destination.value = '';
  }
});
ui.dialForm.addEventListener('submit', (event) => {
  event.preventDefault();
  if (placeCall(ui.destination.value)) {
    ui.destination.value = '';
  }
});
document.querySelectorAll('button[data-dtmf]').forEach((button) => {
  button.addEventListener('click', () => {
    const tone = button.dataset.dtmf;
    if (!sendDtmf(tone) && !agent.call) {
      ui.destination.value += tone; // between calls the keypad dials
    }
  });
});
// A sign-in without a click (address, host page) may make sound from the agent's first gesture on.
for (const type of ['pointerdown', 'keydown']) {
  document.addEventListener(type, resumeAudio, { capture: true, passive: true });
}

// Closing or reloading the tab un-registers at once (otherwise the contact lingers until it expires). A page kept
// in the back/forward cache keeps its token and signs in again when shown.
window.addEventListener('pagehide', () => {
  if (agent.signedIn) {
    agent.resumeOnShow = true;
    clearTimeout(agent.session.renewTimer);
    stopConnections();
  }
});
window.addEventListener('pageshow', (event) => {
  if (event.persisted && agent.resumeOnShow && agent.signedIn) {
    agent.resumeOnShow = false;
    renewCredentials(agent.generation);
  }
});

/**
 * A token in the address (/agent#token=...): taken out of the address bar at once (replaceState, so no history
 * entry keeps it), then used. Also when only the fragment changes (a host page setting the frame's address).
 */
function tokenFromAddress() {
  const { found, token, fragment } = takeTokenFromFragment(location.hash);
  if (!found) {
    return null;
  }
  history.replaceState(history.state, '', `${location.pathname}${location.search}${fragment}`);
  if (!token) {
    showMessage('The address held no usable agent token: paste yours.', 'input');
  }
  return token;
}

// A host page (WWE) hands the token over with postMessage; only its configured origins are heard.
function onHostMessage(event) {
  const token = tokenFromMessage(event, agent.config.embed_origins || []);
  if (token) {
    useToken(token);
  }
}

setInterval(renderTimer, 250);

const addressToken = tokenFromAddress();
render();
loadConfig().then((config) => {
  agent.config = agent.config || config;
  window.addEventListener('message', onHostMessage);
  window.addEventListener('hashchange', () => {
    const token = tokenFromAddress();
    if (token) {
      useToken(token);
    }
  });
  tellHost(READY_MESSAGE_TYPE);
  if (addressToken && !agent.signedIn) {
    useToken(addressToken);
  }
}, (error) => {
  if (!agent.signedIn) {
    showMessage(`The softphone's configuration could not be loaded (${error.message}): reload the page.`, 'registration');
  }
});

/** Test hook (end-to-end tests); see agent.html. Never the token or the SIP password. */
window.signalingAgent = Object.freeze({
  state: () => ({
    registration: agent.registration,
    call: agent.call ? agent.call.state : 'idle',
    remote: agent.call ? agent.call.remote : null,
    remoteParty: agent.call ? agent.call.remote : '',
    dn: agent.dn,
    timer: ui.timer.textContent,
    message: ui.message.textContent,
    muted: !!(agent.call && agent.call.muted),
    held: !!(agent.call && agent.call.held),
    autoAnswer: !!(agent.call && agent.call.autoAnswer),
    clickToDialId: agent.call ? agent.call.clickToDialId : null,
    events: agent.session.streamState,
    pendingClickToDials: agent.session.clickToDials ? agent.session.clickToDials.pending(Date.now()) : [],
    credentialsExpireAt: agent.session.expiresAt,
  }),
  mediaStats: async () => {
    const connection = agent.call && agent.call.session.connection;
    if (!connection) {
      return null;
    }
    const report = await connection.getStats();
    return mediaStatsFrom([...report.values()]);
  },
  sipLog: () => agent.sipLog.map((entry) => ({ ...entry })),
  call: (target) => placeCall(target),
});
