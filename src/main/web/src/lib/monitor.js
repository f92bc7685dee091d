// What the agent page says about a supervisor in its call. Whisper and barge are said: the agent hears the
// supervisor. Listen is not: silent monitoring is meant to be silent (the event stream still carries it).

export const MONITOR_EVENT_TYPES = Object.freeze(['call.monitor.active', 'call.monitor.mode_changed',
  'call.monitor.ended']);

const SAID = { whisper: 'is whispering to you', barge: 'has joined the call' };

/**
 * The notice for a monitor event of this agent's call: {monitorId, mode, text} while a supervisor whispers or
 * barges, {monitorId, mode: null} when it stops (ended, or switched to listen), null for other events. Values come
 * from the service's event, not from SIP; the DN is shown only when it is one.
 */
export function monitorNotice(event) {
  if (!event || !MONITOR_EVENT_TYPES.includes(event.type)) {
    return null;
  }
  const data = event.data || {};
  const monitorId = String(data.monitor_id ?? '');
  if (event.type === 'call.monitor.ended' || !(data.mode in SAID)) {
    return { monitorId, mode: null, text: '' };
  }
  const dn = /^[A-Za-z0-9+*#._-]{1,64}$/.test(String(data.supervisor_dn ?? '')) ? data.supervisor_dn : '';
  return { monitorId, mode: data.mode, text: `Supervisor ${dn} ${SAID[data.mode]}`.replace('  ', ' ') };
}
