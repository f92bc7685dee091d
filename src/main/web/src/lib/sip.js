// The softphone's SIP details that do not need a browser: its SIP instance, the auto-answer delay an INVITE asks
// for, the repair of Kamailio's click-to-dial hold offer, and reading media statistics. Whether a call may be
// answered by itself at all is decided in lib/click-to-dial.js.

/** DNs the softphone accepts: the API's DN grammar without '#', which would need escaping in a SIP URI. */
export const DN_PATTERN = /^[A-Za-z0-9+*._-]{1,64}$/;

function fnv1a(text) {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  // murmur3's finaliser: neighbouring DNs differ in every byte, not just the last ones.
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b) >>> 0;
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35) >>> 0;
  hash ^= hash >>> 16;
  return hash >>> 0;
}

/**
 * The SIP instance (RFC 5626 +sip.instance) of a DN: the same UUID on every load, so that a reload replaces the
 * DN's contact in Kamailio instead of adding one (random instances piled up stale contacts, and INVITEs forked to
 * dead WebSockets). A plain UUID: JsSIP refuses "urn:uuid:...". Version 8 (RFC 9562, custom) from four hashes.
 */
export function instanceIdFor(dn, domain) {
  const bytes = [];
  for (let lane = 0; lane < 4; lane++) {
    const h = fnv1a(`signaling-api agent ${lane} ${dn}@${domain}`);
    bytes.push((h >>> 24) & 0xff, (h >>> 16) & 0xff, (h >>> 8) & 0xff, h & 0xff);
  }
  bytes[6] = (bytes[6] & 0x0f) | 0x80;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * Seconds after which an INVITE asks to be answered by itself, or null: Call-Info "...;answer-after=N" (what the
 * API's auto_answer sends) or Alert-Info "...;info=alert-autoanswer" (the same request in another dialect, 0 s).
 * Capped at 60 s. A request only: it never grants auto-answer (lib/click-to-dial.js decides that), it only sets
 * the delay of an auto-answer already granted.
 */
export function requestedAnswerDelay(callInfoValues = [], alertInfoValues = []) {
  for (const value of callInfoValues) {
    const match = /;\s*answer-after\s*=\s*"?([0-9]{1,4})"?/i.exec(String(value));
    if (match) {
      return Math.min(60, Number(match[1]));
    }
  }
  for (const value of alertInfoValues) {
    if (/;\s*info\s*=\s*"?alert-autoanswer"?/i.test(String(value))) {
      return 0;
    }
  }
  return null;
}

/**
 * Whether a remote offer is a hold offer a browser cannot take: no DTLS fingerprint (plain RTP) and on hold
 * (c=0.0.0.0, inactive or sendonly). Kamailio's dlg.bridge_dlg sends one to the first party of a click-to-dial
 * when no body is given; Chromium rejects it ("SDP without DTLS fingerprint") and JsSIP answers 488.
 */
export function isUnusableHoldOffer(sdp) {
  if (typeof sdp !== 'string' || !/^m=audio /m.test(sdp) || /^a=fingerprint:/m.test(sdp)) {
    return false;
  }
  return /^c=IN IP[46] (0\.0\.0\.0|::)\s*$/m.test(sdp) || /^a=(inactive|sendonly)\s*$/m.test(sdp);
}

const STATIC_RTPMAPS = { 0: 'PCMU/8000', 8: 'PCMA/8000', 9: 'G722/8000', 18: 'G729/8000' };

/**
 * The same hold as an offer a browser accepts: inactive audio with ICE and DTLS attributes. The leg never carries
 * media (Kamailio sends REFER and BYE right after the ACK), so the ICE credentials and fingerprint are placeholders.
 */
export function webRtcHoldOffer(sdp) {
  const media = /^m=audio [0-9]+ [A-Za-z/]+((?: [0-9]+)+)\s*$/m.exec(sdp);
  const offered = media ? media[1].trim().split(/\s+/) : [];
  const rtpmaps = [];
  const kept = [];
  for (const pt of offered) {
    const line = new RegExp(`^a=rtpmap:${pt} (\\S+)\\s*$`, 'm').exec(sdp);
    const codec = line ? line[1] : STATIC_RTPMAPS[pt];
    if (codec) {
      kept.push(pt);
      rtpmaps.push(`a=rtpmap:${pt} ${codec}`);
    }
  }
  if (kept.length === 0) {
    kept.push('0', '8');
    rtpmaps.push('a=rtpmap:0 PCMU/8000', 'a=rtpmap:8 PCMA/8000');
  }
  const fingerprint = Array.from({ length: 32 }, (_, i) => ((i * 37 + 11) & 0xff).toString(16).padStart(2, '0').toUpperCase()).join(':');
  return [
    'v=0',
    'o=kamailio-bridge 0 0 IN IP4 127.0.0.1',
    's=kamailio',
    'c=IN IP4 127.0.0.1',
    't=0 0',
    `m=audio 9 UDP/TLS/RTP/SAVPF ${kept.join(' ')}`,
    'a=mid:0',
    'a=ice-ufrag:kbrg',
    'a=ice-pwd:kamailiobridgeholdpwd00',
    `a=fingerprint:sha-256 ${fingerprint}`,
    'a=setup:actpass',
    'a=rtcp-mux',
    'a=inactive',
    ...rtpmaps,
  ].join('\r\n') + '\r\n';
}

/** Whether an ICE candidate is a UDP host candidate on loopback (the lab: gathering need not wait for more). */
export function isLoopbackUdpHostCandidate(candidate) {
  if (!candidate) {
    return false;
  }
  const line = String(candidate.candidate || '');
  const protocol = (candidate.protocol || (/ (udp|tcp) /i.exec(line) || [])[1] || '').toLowerCase();
  const type = candidate.type || (/ typ ([a-z]+)/.exec(line) || [])[1];
  const address = candidate.address || (/^candidate:\S+ \d+ \S+ \d+ (\S+) /.exec(line) || [])[1];
  return protocol === 'udp' && type === 'host' && (address === '127.0.0.1' || address === '::1');
}

/** How to show the other party: "Name (user)", or the user, or the whole URI. */
export function partyLabel(displayName, user, uri) {
  const name = (displayName || '').trim();
  const id = user || uri || 'unknown';
  return name && name !== id ? `${name} (${id})` : id;
}

/**
 * What a peer connection carried, from its getStats() entries (an RTCStatsReport's values): the selected candidate
 * pair (Chromium names it from the transport, Firefox marks it "selected") and the audio RTP counters.
 */
export function mediaStatsFrom(entries) {
  const byId = new Map();
  for (const entry of entries) {
    byId.set(entry.id, entry);
  }
  let pair = null;
  for (const entry of byId.values()) {
    if (entry.type === 'transport' && entry.selectedCandidatePairId && byId.has(entry.selectedCandidatePairId)) {
      pair = byId.get(entry.selectedCandidatePairId);
    }
  }
  if (!pair) {
    pair = [...byId.values()].find((e) => e.type === 'candidate-pair' && e.selected)
      || [...byId.values()].find((e) => e.type === 'candidate-pair' && e.nominated && e.state === 'succeeded')
      || null;
  }
  const local = pair ? byId.get(pair.localCandidateId) : null;
  const remote = pair ? byId.get(pair.remoteCandidateId) : null;
  const audio = (type) => [...byId.values()].find((e) => e.type === type && (e.kind || e.mediaType) === 'audio');
  const inbound = audio('inbound-rtp');
  const outbound = audio('outbound-rtp');
  return {
    bytesReceived: inbound ? inbound.bytesReceived || 0 : 0,
    bytesSent: outbound ? outbound.bytesSent || 0 : 0,
    localAddress: local ? local.address || local.ip || null : null,
    localPort: local ? local.port ?? null : null,
    remoteAddress: remote ? remote.address || remote.ip || null : null,
    remotePort: remote ? remote.port ?? null : null,
    protocol: local ? local.protocol || null : null,
    candidatePairState: pair ? pair.state || null : null,
  };
}

/** The first line of a SIP message ("INVITE sip:... SIP/2.0", "SIP/2.0 200 OK") and its Call-ID, for the trace. */
export function sipSummary(message) {
  const text = typeof message === 'string' ? message : '';
  const end = text.search(/\r?\n/);
  const firstLine = (end < 0 ? text : text.slice(0, end)).trim();
  const callId = (/^(?:Call-ID|i)\s*:\s*(\S+)\s*$/im.exec(text) || [])[1] || null;
  const cseq = (/^CSeq\s*:\s*(.+?)\s*$/im.exec(text) || [])[1] || null;
  const summary = { firstLine, callId, cseq };
  // A REFER's target (click-to-dial's second party, with its parameters such as ;xcid=...).
  const referTo = (/^(?:Refer-To|r)\s*:\s*(.+?)\s*$/im.exec(text.split(/\r?\n\r?\n/)[0]) || [])[1];
  if (referTo) {
    summary.referTo = referTo;
  }
  return summary;
}

/**
 * Moves a Refer-To header's parameters onto its URI (those the URI does not have yet), so the REFERred call goes to
 * the URI with them. Kamailio's dlg.bridge_dlg writes the Refer-To without angle brackets
 * ("Refer-To: sip:5002@host;xcid=call-..."), and by RFC 3261's grammar those parameters then belong to the header,
 * not the URI: JsSIP would call plain sip:5002@host and the ;xcid that ties the call to its API id would be lost.
 * referTo is JsSIP's NameAddrHeader (parameters in _parameters; uri with hasParam/setParam). Returns the names moved.
 */
export function moveReferToParamsToUri(referTo) {
  const moved = [];
  if (!referTo || !referTo.uri) {
    return moved;
  }
  const parameters = referTo._parameters || {};
  for (const [name, value] of Object.entries(parameters)) {
    if (!referTo.uri.hasParam(name)) {
      referTo.uri.setParam(name, value);
      moved.push(name);
    }
  }
  return moved;
}
