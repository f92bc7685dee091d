// The supervisor dashboard (/): DNs, active calls, Genesys and the backends, live from the event stream
// (GET /api/events read with fetch(), because EventSource cannot send the key header), or by polling the API when
// the stream cannot be used. Every request goes through the project's JavaScript client (clients/js), as WWE's do. The API key (or token) is entered once and kept in sessionStorage: never in a URL or a
// cookie. The DOM contract is documented at the top of index.html.

import { DashboardModel, dnStatus, genesysStatus } from './lib/dashboard-model.js';
import { RequestBudget } from './lib/budget.js';
import { formatDuration } from './lib/format.js';
import { SignalingApiError, SignalingClient } from '@signaling-api/client';

const KEY_STORAGE = 'signaling-api.dashboard.key';
const STREAM_SILENCE_MS = 40000; // the service sends a heartbeat comment every 15 s
const POLL_MIN_MS = 3000;
const SNAPSHOTS = [
  { part: 'dns', load: (client) => client.listDns() },
  { part: 'calls', load: (client) => client.activeCalls() },
  // a 503 with connected:false is an answer about Genesys: the client returns it
  { part: 'genesys', load: (client) => client.genesysStatus() },
  { part: 'backends', load: (client) => client.health() },
];

const $ = (id) => document.getElementById(id);
const ui = {
  credentials: $('credentials'), apiKey: $('api-key'), signIn: $('sign-in'), signOut: $('sign-out'),
  live: $('live'), message: $('message'), genesys: $('genesys'), dialForm: $('dial-form'), dialFrom: $('dial-from'),
  dialTo: $('dial-to'), dialAutoAnswer: $('dial-auto-answer'), dial: $('dial'), dialResult: $('dial-result'),
  calls: document.querySelector('#calls tbody'), noCalls: $('no-calls'), dns: document.querySelector('#dns tbody'),
  supervisorDn: $('supervisor-dn'), transferTo: $('transfer-to'),
  totals: {
    available: $('total-available'), busy: $('total-busy'), unreachable: $('total-unreachable'),
    offline: $('total-offline'), calls: $('total-calls'),
  },
};

class Unauthorized extends Error {}

const page = {
  key: null,
  generation: 0, // bumped at sign-in and sign-out: work of an older session is dropped
  model: new DashboardModel(),
  budget: new RequestBudget(),
  mode: 'offline',
  stream: null, // AbortController of the open stream
  lastEventId: '',
  client: null,
  pollTimer: null,
  contactsInFlight: new Set(),
  monitors: new Map(), // call id -> {monitorId, mode} of this dashboard's listen / whisper / barge
  messageKind: null,
};

// ----- API access -----

// Sees every answer's headers, the event stream's included: the request budget (RateLimit-*) and the server's clock
// (Date) come from them.
function observingFetch(input, init) {
  return fetch(input, { ...init, cache: 'no-store', credentials: 'omit' }).then((response) => {
    page.budget.update((name) => response.headers.get(name), response.status);
    page.model.observeServerTime(Date.parse(response.headers.get('Date') || ''), Date.now());
    return response;
  });
}

function newClient(key) {
  // API keys may travel either way; tokens (JWT) only as Bearer. No retries: polling and the stream retry anyway.
  const credential = key.startsWith('sk_') ? { apiKey: key } : { token: key };
  return new SignalingClient({ baseUrl: window.location.origin, ...credential, fetch: observingFetch, retries: 0 });
}

/** One call of the client; a refused credential (401) becomes Unauthorized, which signs the user out. */
async function api(call) {
  try {
    return await call(page.client);
  }
  catch (error) {
    if (error instanceof SignalingApiError && error.status === 401) {
      throw new Unauthorized('The API key was refused (401).');
    }
    throw error;
  }
}

// ----- messages, rendering -----

function showMessage(text, kind) {
  if (ui.message.textContent !== text) {
    ui.message.textContent = text;
  }
  page.messageKind = kind;
}

function clearMessage(kind) {
  if (kind === undefined || page.messageKind === kind) {
    ui.message.textContent = '';
    page.messageKind = null;
  }
}

function setMode(mode) {
  page.mode = mode;
  ui.live.dataset.mode = mode;
  const text = {
    stream: 'Live (event stream)',
    polling: 'Live (polling every few seconds; the event stream is not available)',
    offline: page.key ? 'Offline: the service cannot be reached; retrying' : 'Not signed in',
  }[mode];
  if (ui.live.textContent !== text) {
    ui.live.textContent = text;
  }
}

function setText(element, text) {
  const value = String(text);
  if (element.textContent !== value) {
    element.textContent = value;
  }
}

function cell(row, className) {
  const td = document.createElement('td');
  td.className = className;
  row.appendChild(td);
  return td;
}

/** A new table row: its data-* keys, a row header of that class, and the named cells. */
function newRow(dataset, headerClass, cells) {
  const row = document.createElement('tr');
  Object.assign(row.dataset, dataset);
  const th = document.createElement('th');
  th.scope = 'row';
  th.className = headerClass;
  row.appendChild(th);
  cells.forEach((name) => cell(row, name));
  return row;
}

function renderDns() {
  const model = page.model;
  const rows = new Map([...ui.dns.querySelectorAll('tr[data-dn]')].map((row) => [row.dataset.dn, row]));
  let previous = null;
  for (const entry of model.sortedDns()) {
    let row = rows.get(entry.dn);
    rows.delete(entry.dn);
    if (!row) {
      row = newRow({ dn: entry.dn }, 'dn', ['status', 'calls', 'contacts', 'sip-uri']);
      row.querySelector('.status').appendChild(document.createElement('span'));
    }
    const status = dnStatus(entry);
    if (row.dataset.status !== status) {
      row.dataset.status = status;
    }
    setText(row.querySelector('.dn'), entry.dn);
    setText(row.querySelector('.status span'), status);
    setText(row.querySelector('.calls'), entry.activeCallCount);
    const contacts = model.contacts.get(entry.dn);
    renderContacts(row.querySelector('.contacts'), entry, contacts ? contacts.contacts : null);
    setText(row.querySelector('.sip-uri'), entry.sipUri || '');
    const expectedPosition = previous ? previous.nextSibling : ui.dns.firstChild;
    if (row !== expectedPosition) {
      ui.dns.insertBefore(row, expectedPosition);
    }
    previous = row;
  }
  rows.forEach((row) => row.remove());
}

function renderContacts(td, entry, contacts) {
  let lines = [];
  if (entry.registered) {
    lines = contacts && contacts.length > 0
      ? contacts.map((c) => [c.contact, c.user_agent].filter(Boolean).join(' · '))
      : [`${entry.contactCount} contact${entry.contactCount === 1 ? '' : 's'}`];
  }
  const key = lines.join('\n');
  if (td.dataset.rendered === key) {
    return;
  }
  td.dataset.rendered = key;
  td.replaceChildren();
  if (lines.length > 0) {
    const list = document.createElement('ul');
    for (const line of lines) {
      const item = document.createElement('li');
      item.textContent = line;
      list.appendChild(item);
    }
    td.appendChild(list);
  }
}

function renderCalls() {
  const rows = new Map([...ui.calls.querySelectorAll('tr[data-call-id]')].map((row) => [row.dataset.callId, row]));
  const calls = page.model.sortedCalls();
  let previous = null;
  for (const call of calls) {
    let row = rows.get(call.callId);
    rows.delete(call.callId);
    if (!row) {
      row = newRow({ callId: call.callId }, 'call-id', ['from', 'to', 'state', 'duration', 'actions']);
      const actions = row.querySelector('.actions');
      const parties = `call from ${call.from || '?'} to ${call.to || '?'}`;
      actions.appendChild(actionButton('hangup', 'Hang up', `Hang up ${parties}`, 'danger'));
      for (const mode of ['listen', 'whisper', 'barge']) {
        const button = actionButton('monitor', mode[0].toUpperCase() + mode.slice(1), `${mode} to ${parties}`);
        button.dataset.mode = mode;
        actions.appendChild(button);
      }
      const end = actionButton('end-monitor', 'Leave', `Stop monitoring ${parties}`);
      end.hidden = true;
      actions.appendChild(end);
      actions.appendChild(actionButton('transfer', 'Transfer', `Transfer ${parties}`));
    }
    const monitor = page.monitors.get(call.callId);
    if ((row.dataset.monitor || '') !== (monitor ? monitor.mode : '')) {
      row.dataset.monitor = monitor ? monitor.mode : '';
    }
    row.querySelector('button[data-action="end-monitor"]').hidden = !monitor;
    for (const button of row.querySelectorAll('button[data-action="monitor"]')) {
      button.setAttribute('aria-pressed', String(!!monitor && monitor.mode === button.dataset.mode));
    }
    if (row.dataset.state !== call.state) {
      row.dataset.state = call.state;
    }
    setText(row.querySelector('.call-id'), call.callId);
    setText(row.querySelector('.from'), call.from);
    setText(row.querySelector('.to'), call.to);
    setText(row.querySelector('.state'), call.state);
    setText(row.querySelector('.duration'), formatDuration(page.model.answeredSeconds(call)));
    const expectedPosition = previous ? previous.nextSibling : ui.calls.firstChild;
    if (row !== expectedPosition) {
      ui.calls.insertBefore(row, expectedPosition);
    }
    previous = row;
  }
  rows.forEach((row) => {
    page.monitors.delete(row.dataset.callId);
    row.remove();
  });
  ui.noCalls.hidden = calls.length > 0;
}

function renderStatus() {
  const model = page.model;
  const genesys = genesysStatus(model.genesys);
  ui.genesys.dataset.status = genesys;
  const server = model.genesys && model.genesys.server ? ` (${model.genesys.server})` : '';
  setText(ui.genesys.querySelector('.value'), `${genesys}${server}`);
  document.querySelectorAll('[data-backend]').forEach((element) => {
    const backend = model.backends[element.dataset.backend];
    const status = backend ? backend.status : 'unknown';
    element.dataset.status = status;
    setText(element.querySelector('.value'), status.replace('_', ' '));
    element.title = backend && backend.lastError ? backend.lastError : '';
  });
  const totals = model.totals();
  for (const [name, element] of Object.entries(ui.totals)) {
    setText(element, totals[name]);
  }
}

function render() {
  renderStatus();
  renderDns();
  renderCalls();
}

function renderDurations() {
  ui.calls.querySelectorAll('tr[data-call-id]').forEach((row) => {
    const call = page.model.calls.get(row.dataset.callId);
    if (call) {
      setText(row.querySelector('.duration'), formatDuration(page.model.answeredSeconds(call)));
    }
  });
}

function renderSignedIn() {
  const signedIn = page.key !== null;
  ui.apiKey.disabled = signedIn;
  ui.signIn.disabled = signedIn;
  ui.signOut.disabled = !signedIn;
  ui.dial.disabled = !signedIn;
}

// ----- snapshots, contacts -----

function isCurrent(generation) {
  return generation === page.generation && page.key !== null;
}

async function loadSnapshot({ part, load }, generation) {
  const token = page.model.beginLoad(part);
  let body = null;
  try {
    body = await api(load);
  }
  finally {
    if (isCurrent(generation)) {
      page.model.finishLoad(token, body);
    }
  }
}

/** Loads every part; resolves true when all answered, false when the service could not be reached. */
async function loadAll(generation) {
  const results = await Promise.allSettled(SNAPSHOTS.map((snapshot) => loadSnapshot(snapshot, generation)));
  if (!isCurrent(generation)) {
    return false;
  }
  const refused = results.find((r) => r.status === 'rejected' && r.reason instanceof Unauthorized);
  if (refused) {
    signOut(refused.reason.message, 'auth');
    return false;
  }
  const failed = results.filter((r) => r.status === 'rejected');
  render();
  loadContacts(generation);
  if (failed.length === SNAPSHOTS.length) {
    showMessage(`The service cannot be reached (${failed[0].reason.message}); retrying.`, 'unreachable');
    return false;
  }
  clearMessage('unreachable');
  if (failed.length > 0) {
    showMessage(`Some data could not be read: ${failed.map((r) => r.reason.message).join('; ')}`, 'partial');
  }
  else {
    clearMessage('partial');
  }
  return true;
}

async function loadContacts(generation) {
  if (page.budget.isLow()) {
    return;
  }
  for (const dn of page.model.dnsNeedingContacts().slice(0, 10)) {
    if (page.contactsInFlight.has(dn)) {
      continue;
    }
    page.contactsInFlight.add(dn);
    api((client) => client.getDn(dn))
      .then((body) => {
        if (isCurrent(generation) && body && Array.isArray(body.contacts)) {
          page.model.setContacts(dn, body.contacts);
          renderDns();
        }
      })
      .catch(() => {})
      .finally(() => page.contactsInFlight.delete(dn));
  }
}

// ----- the event stream, polling as the fallback -----

function stopStream() {
  if (page.stream) {
    page.stream.close();
    page.stream = null;
  }
}

function stopPolling() {
  clearTimeout(page.pollTimer);
  page.pollTimer = null;
}

function schedulePoll(generation) {
  stopPolling();
  const delay = page.budget.pollIntervalMs(SNAPSHOTS.length, { minMs: POLL_MIN_MS });
  page.pollTimer = setTimeout(async () => {
    page.pollTimer = null;
    if (!isCurrent(generation) || page.mode === 'stream') {
      return;
    }
    const ok = await loadAll(generation);
    if (isCurrent(generation) && page.mode !== 'stream') {
      setMode(ok ? 'polling' : 'offline');
      schedulePoll(generation);
    }
  }, delay);
}

/** Polls until the stream is back (the client reconnects by itself, with backoff, resuming with Last-Event-ID). */
async function pollWhileStreamIsDown(generation) {
  if (page.pollTimer !== null) {
    return; // already polling
  }
  setMode('polling');
  const ok = await loadAll(generation);
  if (isCurrent(generation) && page.mode !== 'stream') {
    setMode(ok ? 'polling' : 'offline');
    schedulePoll(generation);
  }
}

function onStreamEvent(event, generation) {
  if (event.id) {
    page.lastEventId = event.id;
  }
  if (event.type === 'call.monitor.ended') {
    // the supervisor hung up, or the call ended: this dashboard's monitor is over
    const ended = String(event.data?.monitor_id ?? '');
    for (const [callId, monitor] of page.monitors) {
      if (monitor.monitorId === ended) {
        page.monitors.delete(callId);
      }
    }
  }
  const change = page.model.applyEvent(event);
  if (change.part) {
    render();
  }
  if (change.dn) {
    loadContacts(generation);
  }
}

function openStream(generation) {
  stopStream();
  page.stream = page.client.subscribe({
    lastEventId: page.lastEventId || undefined,
    idleTimeoutMs: STREAM_SILENCE_MS,
    minDelayMs: 1000,
    onOpen: () => {
      if (!isCurrent(generation)) {
        return;
      }
      stopPolling();
      setMode('stream');
      // The snapshots are read after the stream is open, so no change falls between the two (see the model).
      loadAll(generation);
    },
    onEvent: (event) => {
      if (isCurrent(generation)) {
        onStreamEvent(event, generation);
      }
    },
    onReset: () => {
      // Events were missed that the log no longer keeps: read everything again.
      if (isCurrent(generation)) {
        loadAll(generation);
      }
    },
    onError: (error) => {
      if (!isCurrent(generation)) {
        return;
      }
      if (error instanceof SignalingApiError && error.status === 401) {
        signOut('The API key was refused (401).', 'auth');
        return;
      }
      pollWhileStreamIsDown(generation);
    },
  });
}

// ----- signing in and out -----

async function signIn(key) {
  page.key = key;
  page.generation++;
  const generation = page.generation;
  page.model = new DashboardModel();
  page.lastEventId = '';
  page.client = newClient(key);
  renderSignedIn();
  clearMessage();
  setText(ui.live, 'Signing in…');
  // One request checks the key before anything else starts.
  try {
    await api((client) => client.listDns());
  }
  catch (error) {
    if (!isCurrent(generation)) {
      return;
    }
    if (error instanceof Unauthorized || error.status === 403) {
      signOut(error.status === 403
        ? 'This key may not read the API (403: it needs the "read" scope).' : error.message, 'auth');
      return;
    }
    // Reachable or not, keep trying with this key.
  }
  if (!isCurrent(generation)) {
    return;
  }
  sessionStorage.setItem(KEY_STORAGE, key);
  openStream(generation);
}

function signOut(reason, kind) {
  page.generation++;
  page.key = null;
  page.client = null;
  stopStream();
  stopPolling();
  sessionStorage.removeItem(KEY_STORAGE);
  page.model = new DashboardModel();
  ui.apiKey.value = '';
  setMode('offline');
  renderSignedIn();
  render();
  if (reason) {
    showMessage(reason, kind);
    ui.apiKey.focus();
  }
  else {
    clearMessage();
  }
}

// ----- actions -----

async function dial(event) {
  event.preventDefault();
  if (!page.key) {
    return;
  }
  const from = ui.dialFrom.value.trim();
  const to = ui.dialTo.value.trim();
  if (!from || !to) {
    ui.dialResult.dataset.outcome = 'error';
    delete ui.dialResult.dataset.callId;
    setText(ui.dialResult, 'Enter the agent DN and the destination.');
    (from ? ui.dialTo : ui.dialFrom).focus();
    return;
  }
  const options = ui.dialAutoAnswer.checked ? { auto_answer: true } : {};
  ui.dial.disabled = true;
  delete ui.dialResult.dataset.outcome;
  delete ui.dialResult.dataset.callId;
  setText(ui.dialResult, `Dialling ${to} from ${from}…`);
  try {
    // the client sends an Idempotency-Key, so a retried click never dials twice
    const result = await api((client) => client.clickToDial(from, to, options));
    ui.dialResult.dataset.outcome = 'ok';
    ui.dialResult.dataset.callId = result.call_id;
    // the 202 only says the call was accepted; its progress shows in the calls table below
    setText(ui.dialResult, `Call ${result.call_id} placed: ${from} → ${to}; see Active calls for its progress`);
    refreshCallsUnlessStreaming();
  }
  catch (error) {
    if (error instanceof Unauthorized) {
      signOut(error.message, 'auth');
      return;
    }
    ui.dialResult.dataset.outcome = 'error';
    setText(ui.dialResult, `Dial failed: ${error.message}${error.status ? ` (${error.status})` : ''}`);
  }
  finally {
    ui.dial.disabled = page.key === null;
  }
}

/** After a make or a hang-up: the event stream shows the change by itself; without it, read the calls at once. */
function refreshCallsUnlessStreaming() {
  if (page.mode !== 'stream') {
    loadSnapshot(SNAPSHOTS.find((snapshot) => snapshot.part === 'calls'), page.generation).then(render).catch(() => {});
  }
}

function actionButton(action, text, label, className) {
  const button = document.createElement('button');
  button.type = 'button';
  if (className) {
    button.className = className;
  }
  button.dataset.action = action;
  button.textContent = text;
  button.setAttribute('aria-label', label);
  return button;
}

/**
 * Listen, whisper or barge: the first rings the supervisor's phone (input#supervisor-dn), a later one switches the
 * mode of this dashboard's monitor of the call.
 */
async function monitor(button) {
  const row = button.closest('tr[data-call-id]');
  if (!row || !page.key) {
    return;
  }
  const callId = row.dataset.callId;
  const mode = button.dataset.mode;
  const current = page.monitors.get(callId);
  const supervisorDn = ui.supervisorDn.value.trim();
  if (!current && !supervisorDn) {
    showMessage('Enter your phone\'s DN to listen, whisper or barge.', 'control');
    ui.supervisorDn.focus();
    return;
  }
  await control(button, `${mode} on ${callId}`, async (client) => {
    const answer = current ? await client.setMonitorMode(current.monitorId, mode)
      : await client.monitor(callId, supervisorDn, mode);
    page.monitors.set(callId, { monitorId: answer.monitor_id, mode });
  });
}

async function endMonitor(button) {
  const row = button.closest('tr[data-call-id]');
  const current = row && page.monitors.get(row.dataset.callId);
  if (!current) {
    return;
  }
  await control(button, `leaving ${row.dataset.callId}`, async (client) => {
    await client.endMonitor(current.monitorId);
    page.monitors.delete(row.dataset.callId);
  });
}

/** A blind transfer of the call to input#transfer-to. */
async function transfer(button) {
  const row = button.closest('tr[data-call-id]');
  const to = ui.transferTo.value.trim();
  if (!row || !page.key) {
    return;
  }
  if (!to) {
    showMessage('Enter where to transfer the call.', 'control');
    ui.transferTo.focus();
    return;
  }
  await control(button, `transfer of ${row.dataset.callId}`, (client) => client.transfer(row.dataset.callId, to));
}

/** Runs one call control request from a row's button; its failure is said, the button usable again. */
async function control(button, what, request) {
  button.disabled = true;
  try {
    await api(request);
    clearMessage('control');
  }
  catch (error) {
    if (error instanceof Unauthorized) {
      signOut(error.message, 'auth');
      return;
    }
    showMessage(`The ${what} failed: ${error.message}`, 'control');
  }
  finally {
    button.disabled = false;
    renderCalls();
  }
}

async function hangup(button) {
  const row = button.closest('tr[data-call-id]');
  if (!row || !page.key) {
    return;
  }
  const callId = row.dataset.callId;
  button.disabled = true;
  try {
    await api((client) => client.hangup(callId));
    clearMessage('hangup');
    refreshCallsUnlessStreaming();
  }
  catch (error) {
    if (error instanceof Unauthorized) {
      signOut(error.message, 'auth');
      return;
    }
    showMessage(`Hang-up of ${callId} failed: ${error.message}`, 'hangup');
    button.disabled = false;
  }
}

// ----- wiring -----

ui.credentials.addEventListener('submit', (event) => {
  event.preventDefault();
  const key = ui.apiKey.value.trim();
  if (!key) {
    showMessage('Enter an API key or token.', 'auth');
    ui.apiKey.focus();
    return;
  }
  ui.apiKey.value = '';
  signIn(key);
});
ui.signOut.addEventListener('click', () => signOut());
ui.dialForm.addEventListener('submit', dial);
const ROW_ACTIONS = { hangup, monitor, 'end-monitor': endMonitor, transfer };
ui.calls.addEventListener('click', (event) => {
  const button = event.target.closest('button[data-action]');
  if (button && ROW_ACTIONS[button.dataset.action]) {
    ROW_ACTIONS[button.dataset.action](button);
  }
});
window.addEventListener('pagehide', stopStream);
window.addEventListener('pageshow', (event) => {
  if (event.persisted && page.key) {
    openStream(page.generation);
  }
});

setInterval(renderDurations, 1000);

renderSignedIn();
setMode('offline');
render();
const storedKey = sessionStorage.getItem(KEY_STORAGE);
if (storedKey) {
  signIn(storedKey);
}
