// Shared by the dashboard and the overlay. Everything viewers write is put in the page with
// textContent, never as HTML.
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') node.className = v;
    else if (k === 'text') node.textContent = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v);
  }
  for (const c of children) node.append(c);
  return node;
}

/** A link that has heard nothing for this long is dead (the service says it is alive every 10 s). */
const SILENT_MS = 25_000;

/**
 * Keeps a WebSocket to `path` open (reconnecting with backoff) and hands every event to
 * `onMessage`; the server sends events in batches, and `onResync` when the page should reload its
 * state (it left events out, or a new stream began). A link that goes silent (a closed lid, a
 * changed network: the socket may never say it closed) is given up and opened again, and the
 * fresh state the server sends on connect brings the page up to date.
 */
export function connect(path, onMessage, onStatus, onResync = () => {}) {
  let delay = 500;
  let heard = Date.now();
  let current;
  const retry = () => {
    onStatus(false);
    setTimeout(open, delay);
    delay = Math.min(delay * 2, 10000);
  };
  const open = () => {
    const ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${path}`);
    current = ws;
    heard = Date.now();
    ws.onopen = () => {
      delay = 500;
      heard = Date.now();
      onStatus(true);
    };
    ws.onmessage = (m) => {
      heard = Date.now();
      const msg = JSON.parse(m.data);
      if (msg.type !== 'batch') return onMessage(msg);
      for (const e of msg.events) if (e.type !== 'alive') onMessage(e);
      if (msg.resync) onResync();
    };
    ws.onclose = () => {
      if (ws === current) retry();
    };
  };
  setInterval(() => {
    if (!current || Date.now() - heard < SILENT_MS) return;
    // Silent too long: this socket is forgotten (whatever it does later) and a new one opened.
    const dead = current;
    current = undefined;
    dead.onmessage = null;
    dead.onclose = null;
    try {
      dead.close();
    } catch {
      // already closed
    }
    retry();
  }, 5000);
  open();
}

/**
 * A call to the dashboard's API: GET, or POST with a JSON body (the only kind it accepts). A
 * refusal throws the server's own sentence when it gave one, with the HTTP status as `status`;
 * an unreachable service throws with status 0.
 */
export async function api(path, body) {
  let res;
  try {
    res = await fetch(path, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  } catch {
    throw Object.assign(new Error('Lectern cannot be reached: is it still running?'), { status: 0 });
  }
  if (!res.ok) {
    const data = await res.json().catch(() => ({}));
    throw Object.assign(new Error(data.message || `HTTP ${res.status}`), { status: res.status });
  }
  return res.json();
}

/** What a failed call means for the streamer, in one sentence. */
export function why(err) {
  if (err && err.status === 401) return "this page's sign-in has ended: open the link that lectern dashboard-url prints";
  return err && err.message ? err.message : String(err);
}

let noticeTimer;
/** Says on the page that something did not happen (and why); it stays until closed or replaced. */
export function notice(message) {
  const box = document.getElementById('notice');
  if (!box) return;
  document.getElementById('notice-text').textContent = message;
  box.hidden = false;
  clearTimeout(noticeTimer);
  noticeTimer = setTimeout(() => (box.hidden = true), 15000);
}

export const clock = (s) => {
  const h = Math.floor(s / 3600),
    m = Math.floor((s % 3600) / 60),
    sec = s % 60;
  return `${h ? `${h}:` : ''}${String(m).padStart(h ? 2 : 1, '0')}:${String(sec).padStart(2, '0')}`;
};

export const ago = (t) => {
  if (!t) return 'never';
  const s = Math.max(0, Math.round((Date.now() - t) / 1000));
  return s < 90 ? `${s} s ago` : s < 5400 ? `${Math.round(s / 60)} min ago` : `${Math.round(s / 3600)} h ago`;
};

let toastTimer;
let toastUndo = null;
/** "#3 marked answered. Undo" for a few seconds; without `undo`, the sentence alone. */
export function toast(text, undo) {
  const box = document.getElementById('toast');
  if (!box) return;
  document.getElementById('toast-text').textContent = text;
  document.getElementById('toast-undo').hidden = !undo;
  toastUndo = undo ?? null;
  box.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => (box.hidden = true), 6000);
}

export function hideToast() {
  const box = document.getElementById('toast');
  if (box) box.hidden = true;
}

document.getElementById('toast-undo')?.addEventListener('click', () => {
  hideToast();
  const undo = toastUndo;
  toastUndo = null;
  if (undo) undo();
});
document.getElementById('notice-close')?.addEventListener('click', () => (document.getElementById('notice').hidden = true));
