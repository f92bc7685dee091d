// Installed by the browser tests (Chromium.launch) before any script of every page: records, with Date.now()
// (the host's clock), console output and uncaught errors, clicks, every change of a data-state or data-status
// attribute (including elements added with one), and the ICE candidates of every peer connection. Read back from
// window.__browserTest for failure messages, timings and the loopback check; the pages know nothing of it.
// Elements are named by tag, id and data-dn/-call-id/... attributes; a removed element is not recorded (tests
// read the page for what is gone).
(() => {
  if (window.__browserTest) {
    return;
  }
  const LIMIT = 2000;
  const recorded = (window.__browserTest = { console: [], clicks: [], timeline: [] });
  const keep = (list, entry) => {
    list.push(entry);
    if (list.length > LIMIT) {
      list.shift();
    }
  };
  const text = (value) => {
    if (value instanceof Error) {
      return `${value.name}: ${value.message}`;
    }
    if (typeof value === 'string') {
      return value;
    }
    try {
      return JSON.stringify(value);
    } catch (e) {
      return String(value);
    }
  };
  const describe = (element) => {
    let description = element.tagName.toLowerCase();
    if (element.id) {
      description += `#${element.id}`;
    }
    for (const attribute of ['data-dn', 'data-call-id', 'data-action', 'data-backend', 'data-dtmf']) {
      if (element.hasAttribute(attribute)) {
        description += `[${attribute}="${element.getAttribute(attribute)}"]`;
      }
    }
    return description;
  };

  for (const level of ['log', 'info', 'warn', 'error', 'debug']) {
    const original = console[level];
    console[level] = function (...args) {
      keep(recorded.console, { at: Date.now(), level, text: args.map(text).join(' ') });
      return original.apply(this, args);
    };
  }
  window.addEventListener('error', (event) => {
    keep(recorded.console, {
      at: Date.now(),
      level: 'uncaught',
      text: `${event.message} (${event.filename}:${event.lineno})`,
    });
  });
  window.addEventListener('unhandledrejection', (event) => {
    keep(recorded.console, { at: Date.now(), level: 'unhandled-rejection', text: text(event.reason) });
  });

  document.addEventListener(
    'click',
    (event) => {
      const target = event.target instanceof Element ? event.target.closest('button, a, input') || event.target : null;
      if (target) {
        keep(recorded.clicks, { at: Date.now(), element: describe(target) });
      }
    },
    true,
  );

  // Every RTCPeerConnection the page creates, and every ICE candidate one gathered or was given (from the remote
  // description or addIceCandidate), for the tests' check that media can only use 127.0.0.1. The page's scripts run
  // after this one, so they construct the subclass.
  recorded.candidates = [];
  recorded.peerConnections = [];
  const NativePeerConnection = window.RTCPeerConnection;
  if (NativePeerConnection) {
    const candidate = (origin, line) => keep(recorded.candidates, { at: Date.now(), origin, candidate: line });
    const fromDescription = (origin, description) => {
      const sdp = (description && description.sdp) || '';
      sdp
        .split(/\r?\n/)
        .filter((line) => line.startsWith('a=candidate:'))
        .forEach((line) => candidate(origin, line.slice(2)));
    };
    class RecordedPeerConnection extends NativePeerConnection {
      constructor(...args) {
        super(...args);
        recorded.peerConnections.push(this);
        this.addEventListener('icecandidate', (event) => {
          if (event.candidate && event.candidate.candidate) {
            candidate('local', event.candidate.candidate);
          }
        });
      }

      setRemoteDescription(description, ...rest) {
        fromDescription('remote', description);
        return super.setRemoteDescription(description, ...rest);
      }

      addIceCandidate(init, ...rest) {
        if (init && init.candidate) {
          candidate('remote', init.candidate);
        }
        return super.addIceCandidate(init, ...rest);
      }
    }
    window.RTCPeerConnection = RecordedPeerConnection;
  }

  const ATTRIBUTES = ['data-state', 'data-status', 'data-mode'];
  // only changes: a page that re-renders its rows every second would otherwise flood the list
  const last = new Map();
  const record = (element, attribute) => {
    const description = describe(element);
    const value = element.getAttribute(attribute);
    const key = `${description} ${attribute}`;
    if (last.get(key) === value) {
      return;
    }
    last.set(key, value);
    keep(recorded.timeline, { at: Date.now(), element: description, attribute, value });
  };
  const recordTree = (element) => {
    const elements = [element, ...element.querySelectorAll(ATTRIBUTES.map((a) => `[${a}]`).join(','))];
    for (const each of elements) {
      for (const attribute of ATTRIBUTES) {
        if (each.hasAttribute(attribute)) {
          record(each, attribute);
        }
      }
    }
  };
  const observe = () => {
    recordTree(document.documentElement);
    new MutationObserver((mutations) => {
      for (const mutation of mutations) {
        if (mutation.type === 'attributes') {
          record(mutation.target, mutation.attributeName);
        } else {
          for (const node of mutation.addedNodes) {
            if (node instanceof Element) {
              recordTree(node);
            }
          }
        }
      }
    }).observe(document.documentElement, {
      subtree: true,
      childList: true,
      attributes: true,
      attributeFilter: ATTRIBUTES,
    });
  };
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', observe);
  } else {
    observe();
  }
})();
