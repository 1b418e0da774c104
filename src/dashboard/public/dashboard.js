import { api, ago, clock, connect, el, hideToast, notice, toast, why } from '/assets/common.js';
import { changed as backlogChanged } from '/assets/backlog.js';
import { addChat, removeChat, resetChat } from '/assets/chat.js';
import { changed as botChanged } from '/assets/commands.js';

/** The live queue shows at most this many open questions, best first (the database keeps all). */
const MAX_OPEN = 200;
const state = { questions: new Map(), topic: null, timeline: [], platforms: [], problems: new Map(), selectedId: null, openTotal: 0, streamStart: Date.now() };
/** Platforms always in this order, so badges never change places when one updates. */
const PLATFORM_ORDER = ['twitch', 'youtube'];
const touch = matchMedia('(hover: none)').matches;
const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;
/** Times are time into the stream; the clock time is on hover. */
const intoStream = (t) => clock(Math.max(0, Math.floor((t - state.streamStart) / 1000)));
const clockTime = (t) => new Date(t).toLocaleTimeString();
const $ = (id) => document.getElementById(id);
/** One element per question, kept and updated in place: an event touches one row, not the list. */
const rows = new Map();

/** Problems whose whole sentence is shown. */
const expanded = new Set();

function renderHealth() {
  const box = $('health');
  const ordered = [...state.platforms].sort((a, b) => PLATFORM_ORDER.indexOf(a.platform) - PLATFORM_ORDER.indexOf(b.platform));
  box.replaceChildren(
    ...ordered.map((p) => {
      const quota = p.quota ? ` · quota ${p.quota.used}/${p.quota.dailyUnits}, ~${Math.round((p.quota.projectedMsLeft / 3600000) * 10) / 10} h left` : '';
      const modes = p.modes && p.modes.length ? ` · ${p.modes.join(', ')}` : '';
      const speech = p.sendBlocked ? ' (refused)' : p.canSend ? '' : ' (read-only)';
      const title = `${p.platform}: ${p.state}${p.detail ? ` — ${p.detail}` : ''}; last message ${ago(p.lastMessageAt)}; ${p.reconnects} reconnects${p.canSend ? '' : '; read-only'}${quota}${modes}`;
      return el('span', {
        class: `badge state-${p.sendBlocked ? 'failed' : p.state}`,
        title,
        'data-platform': p.platform,
        // Not connected: why, in words (the whole of it on hover).
        text: `${p.platform} ${p.state}${speech}${p.state !== 'connected' && p.detail ? `: ${p.detail}` : ''}${quota}${modes}`,
      });
    }),
    // One badge per problem (component and code), the latest three, each in its place: a tap or
    // a click shows the whole sentence (touch screens have no hover), × sets it aside.
    ...[...state.problems.values()].slice(-3).map((pr) => {
      const key = `${pr.component}:${pr.code}`;
      const text = el('button', {
        type: 'button',
        class: 'problem-text',
        title: `${pr.message} (${pr.code})`,
        'aria-expanded': String(expanded.has(key)),
        text: `${pr.component}: ${pr.message}${pr.count > 1 ? ` ×${pr.count}` : ''} · ${ago(pr.at)}`,
        onclick: () => {
          if (!expanded.delete(key)) expanded.add(key);
          renderHealth();
        },
      });
      const close = el('button', {
        type: 'button',
        class: 'problem-dismiss',
        title: 'Set this problem aside',
        'aria-label': `Set aside: ${pr.component}`,
        text: '×',
        onclick: () =>
          void api('/api/problems/dismiss', { component: pr.component, code: pr.code })
            .catch((err) => (err.status === 404 ? undefined : notice(`The problem was not set aside: ${why(err)}.`)))
            .then(() => {
              state.problems.delete(key);
              renderHealth();
            }),
      });
      return el('span', { class: `badge problem${expanded.has(key) ? ' expanded' : ''}`, 'data-problem': key }, text, close);
    }),
  );
}

let suggestion = null;
function renderSuggestion() {
  $('suggestion').hidden = !suggestion;
  if (!suggestion) return;
  $('suggestion-title').textContent = suggestion.title;
  $('suggestion-reason').textContent = `(${suggestion.reason})`;
}
$('suggestion-switch').addEventListener('click', async () => {
  if (!suggestion) return;
  try {
    await api('/api/topic', { title: suggestion.title });
  } catch (err) {
    notice(`The topic did not change: ${why(err)}.`);
  }
});
$('suggestion-dismiss').addEventListener('click', () => void api('/api/topic/suggestion/dismiss', {}).catch((err) => notice(`Not set aside: ${why(err)}.`)));

function renderTopic() {
  $('topic').textContent = state.topic ? state.topic.title : 'No topic yet';
  $('timeline').replaceChildren(
    ...state.timeline.map((t) => el('li', { title: `${clockTime(t.startedAt)} · set by ${t.source}`, text: `${intoStream(t.startedAt)} · ${t.title}` })),
  );
}

/** Open first, best first; closed after, newest first. */
function compare(a, b) {
  const ao = a.state === 'open';
  if (ao !== (b.state === 'open')) return ao ? -1 : 1;
  return ao ? b.score - a.score || a.id - b.id : b.id - a.id;
}
const before = (a, b) => compare(a, b) < 0;
const sorted = () => [...state.questions.values()].sort(compare);

const STATE_LABEL = { answered: 'Answered', dismissed: 'Dismissed' };

function questionRow(q) {
  const act = (action) => (e) => {
    e.preventDefault();
    void questionAction(q.id, action);
  };
  const meta = [plural(q.askerCount, 'asker'), plural(q.votes, 'vote'), `${q.author} (${q.platform})`, ...(q.source === 'detected' ? ['detected'] : [])].join(
    ' · ',
  );
  const open = q.state === 'open';
  const li = el(
    'li',
    { class: `q q-${q.state}${q.highlighted ? ' highlighted' : ''}${q.id === state.selectedId ? ' selected' : ''}`, 'data-id': String(q.id) },
    el('span', { class: 'q-number', text: `#${q.id}` }),
    el(
      'span',
      { class: 'q-text', text: q.text },
      ...(open ? [] : [el('span', { class: `q-state s-${q.state}`, text: STATE_LABEL[q.state] ?? q.state })]),
      ...(q.paid ? [el('span', { class: 'q-paid', title: 'paid with the question', text: q.paid })] : []),
      ...(q.highlighted ? [el('span', { class: 'q-on-overlay', text: 'on overlay' })] : []),
    ),
    el('span', { class: 'q-meta' }, `score ${q.score} · ${meta} · `, el('time', { title: clockTime(q.askedAt), text: clock(q.offsetSeconds) })),
    el(
      'span',
      { class: 'q-actions' },
      ...(open
        ? [
            el('button', { class: 'answer', onclick: act('answer'), text: 'Answered' }),
            el('button', { class: 'dismiss', onclick: act('dismiss'), text: 'Dismiss' }),
            el('button', { class: 'highlight', onclick: act(q.highlighted ? 'unhighlight' : 'highlight'), text: q.highlighted ? 'Hide' : 'Show' }),
          ]
        : [el('button', { class: 'reopen', onclick: act('reopen'), text: 'Reopen' })]),
    ),
  );
  return li;
}

/** Puts one question's row where it belongs, creating or replacing only that row. */
function placeRow(q) {
  const list = $('questions');
  const old = rows.get(q.id);
  const li = questionRow(q);
  rows.set(q.id, li);
  if (old) old.remove();
  const next = sorted().find((x) => x.id !== q.id && before(q, x) && rows.has(x.id));
  list.insertBefore(li, next ? rows.get(next.id) : null);
}

function dropRow(id) {
  rows.get(id)?.remove();
  rows.delete(id);
  state.questions.delete(id);
  // A selection never stays on a question that left the page.
  if (state.selectedId === id) state.selectedId = null;
}

function updateCount() {
  const shown = [...state.questions.values()].filter((q) => q.state === 'open').length;
  $('q-count').textContent = state.openTotal > shown ? `${shown} of ${state.openTotal}` : String(shown);
  // Questions answered from a full queue leave room: the next best ones are fetched to fill it.
  if (shown < Math.min(state.openTotal, MAX_OPEN)) refill();
}

let refillTimer;
function refill() {
  clearTimeout(refillTimer);
  refillTimer = setTimeout(async () => {
    try {
      const page = await api(`/api/questions?which=open&offset=0&limit=${MAX_OPEN}`);
      for (const q of page.items) if (!state.questions.has(q.id)) upsertQuestion(q);
    } catch (err) {
      notice(`The queue could not be filled up: ${why(err)}.`);
    }
  }, 300);
}

/** Keeps the queue to MAX_OPEN open questions: the lowest-ranked leave the page, not the database. */
function trimOpen() {
  const open = sorted().filter((q) => q.state === 'open');
  for (const q of open.slice(MAX_OPEN)) if (q.id !== state.selectedId && !q.highlighted) dropRow(q.id);
}

function renderAllQuestions() {
  rows.clear();
  $('questions').replaceChildren(
    ...sorted().map((q) => {
      const li = questionRow(q);
      rows.set(q.id, li);
      return li;
    }),
  );
  updateCount();
}

/** Closed questions the page keeps (newest first), as the server's state has them. */
const MAX_CLOSED = 50;

/** Keeps the closed questions to the newest MAX_CLOSED: a long stream's answered ones leave the page. */
function trimClosed() {
  const closed = sorted().filter((q) => q.state !== 'open');
  for (const q of closed.slice(MAX_CLOSED)) if (q.id !== state.selectedId && q.id !== lastClosed) dropRow(q.id);
}

function upsertQuestion(q) {
  // How many are open in all is the server's to say (question-count): the page holds only some.
  if (q.state === 'removed') {
    // Taken by moderation: it leaves the queue.
    dropRow(q.id);
    return updateCount();
  }
  if (q.highlighted) {
    for (const x of state.questions.values()) {
      if (x.highlighted && x.id !== q.id) {
        x.highlighted = false;
        placeRow(x);
      }
    }
  }
  state.questions.set(q.id, q);
  placeRow(q);
  trimOpen();
  trimClosed();
  updateCount();
}

let lastClosed = null;
/** "#3 marked answered. Undo" for a few seconds. */
function closedToast(q) {
  lastClosed = q.id;
  toast(`#${q.id} ${q.state === 'answered' ? 'marked answered' : 'dismissed'}.`, () => void questionAction(q.id, 'reopen'));
}

const DONE = { answer: 'marked answered', dismiss: 'dismissed', reopen: 'reopened', highlight: 'shown on the overlay', unhighlight: 'taken off the overlay' };

async function questionAction(id, action) {
  // Answering or dismissing the selected question moves the selection to the next open one (as
  // an email client does), so the next key acts on the question the streamer now sees selected.
  let next;
  if ((action === 'answer' || action === 'dismiss') && id === state.selectedId) {
    const open = sorted().filter((q) => q.state === 'open');
    const i = open.findIndex((q) => q.id === id);
    next = open[i + 1] ?? open[i - 1] ?? null;
  }
  try {
    const q = await api(`/api/questions/${id}/${action}`, {});
    upsertQuestion(q);
    if (next !== undefined) select(next ? next.id : null);
    if (action === 'answer' || action === 'dismiss') closedToast(q);
    else if (action === 'reopen') hideToast();
  } catch (err) {
    notice(`#${id} was not ${DONE[action] ?? action}: ${why(err)}.`);
  }
}

function loadState(s) {
  state.questions = new Map(s.questions.map((q) => [q.id, q]));
  Object.assign(state, {
    topic: s.topic,
    timeline: s.timeline,
    platforms: s.platforms,
    problems: new Map(s.problems.map((pr) => [`${pr.component}:${pr.code}`, pr])),
    openTotal: s.openQuestions,
    streamStart: s.stream.startedAt,
  });
  $('overlay-url').value = s.overlayUrl;
  resetChat(s.chat);
  suggestion = s.suggestion;
  renderSuggestion();
  renderHealth();
  renderTopic();
  renderAllQuestions();
}

let resyncing = false;
async function resync() {
  if (resyncing) return;
  resyncing = true;
  try {
    loadState(await api('/api/state'));
  } catch (err) {
    notice(`The page could not reload what changed: ${why(err)}.`);
  } finally {
    resyncing = false;
  }
}

connect(
  '/ws',
  (msg) => {
    if (msg.type === 'state') loadState(msg.data);
    else if (msg.type === 'chat') addChat(msg.data);
    else if (msg.type === 'chat-removed') removeChat(msg.data.ids);
    else if (msg.type === 'question') upsertQuestion(msg.data);
    else if (msg.type === 'question-count') {
      state.openTotal = msg.data.open;
      updateCount();
    } else if (msg.type === 'stream') void resync();
    else if (msg.type === 'backlog') backlogChanged();
    else if (msg.type === 'bot') botChanged();
    else if (msg.type === 'topic-suggestion') {
      suggestion = msg.data;
      renderSuggestion();
    } else if (msg.type === 'topic') {
      state.topic = msg.data;
      if (suggestion && suggestion.title === msg.data.title) {
        suggestion = null;
        renderSuggestion();
      }
      state.timeline.push(msg.data);
      renderTopic();
    } else if (msg.type === 'status') {
      state.platforms = state.platforms.filter((p) => p.platform !== msg.data.platform).concat(msg.data);
      renderHealth();
    } else if (msg.type === 'problem') {
      const key = `${msg.data.component}:${msg.data.code}`;
      // The latest occurrence goes last (the badges show the latest three).
      state.problems.delete(key);
      state.problems.set(key, msg.data);
      renderHealth();
    } else if (msg.type === 'problem-resolved') {
      state.problems.delete(`${msg.data.component}:${msg.data.code}`);
      renderHealth();
    }
  },
  (up) => {
    // This page's own link to the service (not whether the stream is live).
    $('link').textContent = up ? 'dashboard connected' : 'dashboard reconnecting…';
    $('link').title = up ? 'This page receives updates from Lectern as they happen' : 'This page lost its link to Lectern and is reconnecting';
    $('link').className = `badge ${up ? 'state-connected' : 'state-reconnecting'}`;
  },
  () => void resync(),
);

$('overlay-copy').addEventListener('click', async () => {
  const input = $('overlay-url');
  input.select();
  try {
    await navigator.clipboard.writeText(input.value);
    $('overlay-copy').textContent = 'Copied';
  } catch {
    // No clipboard access: the address stays selected, for Ctrl-C.
    $('overlay-copy').textContent = 'Press Ctrl-C';
  }
  setTimeout(() => ($('overlay-copy').textContent = 'Copy'), 2000);
});

$('topic-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const input = $('topic-input');
  if (!input.value.trim()) {
    notice('Type what you are explaining first, then Set.');
    input.value = '';
    input.focus();
    return;
  }
  try {
    await api('/api/topic', { title: input.value });
    input.value = '';
  } catch (err) {
    // What was typed stays, to try again.
    notice(`The topic was not set: ${why(err)}.`);
  }
});

$('search-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const q = $('search-input').value.trim();
  if (!q) return;
  let results;
  try {
    results = await api(`/api/search?q=${encodeURIComponent(q)}`);
  } catch (err) {
    return notice(`The notes could not be searched: ${why(err)}.`);
  }
  $('results').replaceChildren(
    ...(results.length
      ? results.map((r) =>
          el(
            'li',
            {},
            el('a', { href: r.url, target: '_blank', rel: 'noopener noreferrer', text: r.title }),
            el('span', { class: 'q-meta', text: ` ${r.source}` }),
          ),
        )
      : [el('li', { text: 'Nothing matches.' })]),
  );
});

setInterval(renderHealth, 5000);
// Touch screens have no keyboard shortcuts: no hints for them.
if (touch) {
  $('topic-input').placeholder = 'What are you explaining now?';
  $('search-input').placeholder = 'Search your notes';
}

function select(id) {
  const prev = state.selectedId;
  state.selectedId = id;
  for (const x of [prev, id]) if (x !== null && state.questions.has(x)) placeRow(state.questions.get(x));
}

document.addEventListener('keydown', (e) => {
  // Ctrl/Cmd/Alt combinations belong to the browser (select all, bookmarks…), never to a question.
  if (e.ctrlKey || e.metaKey || e.altKey) return;
  if (e.target instanceof HTMLInputElement || e.target instanceof HTMLSelectElement) {
    if (e.key === 'Escape') e.target.blur();
    return;
  }
  const list = sorted();
  const i = Math.max(
    0,
    list.findIndex((q) => q.id === state.selectedId),
  );
  const q = list.find((x) => x.id === state.selectedId) ?? list[0];
  const keys = {
    j: () => list.length && select(list[Math.min(i + (state.selectedId === null ? 0 : 1), list.length - 1)].id),
    k: () => list.length && select(list[Math.max(i - 1, 0)].id),
    a: () => q && questionAction(q.id, 'answer'),
    d: () => q && questionAction(q.id, 'dismiss'),
    h: () => q && questionAction(q.id, q.highlighted ? 'unhighlight' : 'highlight'),
    u: () => lastClosed !== null && questionAction(lastClosed, 'reopen'),
    t: () => $('topic-input').focus(),
    '/': () => $('search-input').focus(),
  };
  const fn = keys[e.key];
  if (fn) {
    e.preventDefault();
    fn();
  }
});
