import { api, ago, clock, connect, el } from '/assets/common.js';

const MAX_CHAT = 200;
const state = { questions: [], topic: null, timeline: [], platforms: [], problems: [], selected: 0 };
const $ = (id) => document.getElementById(id);

function renderHealth() {
  const box = $('health');
  box.replaceChildren(...state.platforms.map((p) => {
    const quota = p.quota ? ` · quota ${p.quota.used}/${p.quota.dailyUnits}, ~${Math.round(p.quota.projectedMsLeft / 3600000 * 10) / 10} h left` : '';
    const modes = p.modes && p.modes.length ? ` · ${p.modes.join(', ')}` : '';
    const speech = p.sendBlocked ? ' (refused)' : p.canSend ? '' : ' (read-only)';
    const title = `${p.platform}: ${p.state}${p.detail ? ` — ${p.detail}` : ''}; last message ${ago(p.lastMessageAt)}; ${p.reconnects} reconnects${p.canSend ? '' : '; read-only'}${quota}${modes}`;
    return el('span', { class: `badge state-${p.sendBlocked ? 'failed' : p.state}`, title, 'data-platform': p.platform, text: `${p.platform} ${p.state}${speech}${quota}${modes}` });
  }), ...state.problems.slice(-3).map((pr) => el('span', { class: 'badge problem', title: pr.message, text: `${pr.component}: ${pr.code} ×${pr.count}` })));
}

function renderTopic() {
  $('topic').textContent = state.topic ? state.topic.title : 'No topic yet';
  $('timeline').replaceChildren(...state.timeline.map((t) => el('li', { text: `${new Date(t.startedAt).toLocaleTimeString()} · ${t.title} (${t.source})` })));
}

function sortQuestions() {
  state.questions.sort((a, b) => (a.state === 'open') !== (b.state === 'open') ? (a.state === 'open' ? -1 : 1) : b.score - a.score || a.id - b.id);
}

function renderQuestions() {
  sortQuestions();
  const open = state.questions.filter((q) => q.state === 'open');
  $('q-count').textContent = String(open.length);
  state.selected = Math.min(state.selected, Math.max(0, state.questions.length - 1));
  $('questions').replaceChildren(...state.questions.map((q, i) => {
    const act = (action) => (e) => { e.preventDefault(); void questionAction(q.id, action); };
    return el('li', { class: `q q-${q.state}${q.highlighted ? ' highlighted' : ''}${i === state.selected ? ' selected' : ''}`, 'data-id': String(q.id) },
      el('span', { class: 'q-number', text: `#${q.id}` }),
      el('span', { class: 'q-text', text: q.text }),
      el('span', { class: 'q-meta', text: `${q.paid ? `${q.paid} · ` : ''}${q.score} · ${q.askerCount} asked · ${q.votes} votes · ${q.author} (${q.platform}) · ${clock(q.offsetSeconds)}${q.source === 'detected' ? ' · detected' : ''}` }),
      el('span', { class: 'q-actions' },
        el('button', { class: 'answer', onclick: act('answer'), text: 'Answered' }),
        el('button', { class: 'dismiss', onclick: act('dismiss'), text: 'Dismiss' }),
        el('button', { class: 'highlight', onclick: act(q.highlighted ? 'unhighlight' : 'highlight'), text: q.highlighted ? 'Hide' : 'Show' })));
  }));
}

function addChat(c) {
  const list = $('chat');
  list.prepend(el('li', { class: `chat-line p-${c.platform}${c.shared ? ' shared' : ''}`, 'data-id': c.id },
    el('span', { class: 'platform', text: c.platform === 'twitch' ? 'TW' : 'YT' }),
    el('span', { class: 'author', text: c.author }),
    ...(c.roles.length ? [el('span', { class: 'roles', text: c.roles.join(' ') })] : []),
    ...(c.paid ? [el('span', { class: 'paid', text: c.paid })] : []),
    el('span', { class: 'text', text: c.text })));
  while (list.children.length > MAX_CHAT) list.lastChild.remove();
}

function removeChat(ids) {
  for (const li of [...$('chat').children]) if (ids.includes(li.dataset.id)) li.remove();
}

function upsertQuestion(q) {
  const i = state.questions.findIndex((x) => x.id === q.id);
  if (q.state === 'removed') {
    // Taken by moderation: it leaves the queue.
    if (i >= 0) state.questions.splice(i, 1);
    renderQuestions();
    return;
  }
  if (q.highlighted) for (const x of state.questions) x.highlighted = false;
  if (i >= 0) state.questions[i] = q;
  else state.questions.push(q);
  renderQuestions();
}

async function questionAction(id, action) {
  try {
    upsertQuestion(await api(`/api/questions/${id}/${action}`, {}));
  } catch (err) {
    console.warn('action failed', err);
  }
}

connect((msg) => {
  if (msg.type === 'state') {
    const s = msg.data;
    Object.assign(state, { questions: s.questions, topic: s.topic, timeline: s.timeline, platforms: s.platforms, problems: s.problems });
    $('chat').replaceChildren();
    for (const c of s.chat) addChat(c);
    renderHealth();
    renderTopic();
    renderQuestions();
  } else if (msg.type === 'chat') addChat(msg.data);
  else if (msg.type === 'chat-removed') removeChat(msg.data.ids);
  else if (msg.type === 'question') upsertQuestion(msg.data);
  else if (msg.type === 'topic') {
    state.topic = msg.data;
    state.timeline.push(msg.data);
    renderTopic();
  } else if (msg.type === 'status') {
    state.platforms = state.platforms.filter((p) => p.platform !== msg.data.platform).concat(msg.data);
    renderHealth();
  } else if (msg.type === 'problem') {
    state.problems.push(msg.data);
    renderHealth();
  }
}, (up) => {
  $('link').textContent = up ? 'live' : 'reconnecting…';
  $('link').className = `badge ${up ? 'state-connected' : 'state-reconnecting'}`;
});

$('topic-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const input = $('topic-input');
  if (!input.value.trim()) return;
  try {
    await api('/api/topic', { title: input.value });
    input.value = '';
  } catch (err) {
    console.warn('topic failed', err);
  }
});

$('search-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const q = $('search-input').value.trim();
  if (!q) return;
  const results = await api(`/api/search?q=${encodeURIComponent(q)}`);
  $('results').replaceChildren(...(results.length ? results.map((r) => el('li', {}, el('a', { href: r.url, target: '_blank', rel: 'noopener noreferrer', text: r.title }), el('span', { class: 'q-meta', text: ` ${r.source}` }))) : [el('li', { text: 'Nothing matches.' })]));
});

setInterval(renderHealth, 5000);

document.addEventListener('keydown', (e) => {
  if (e.target instanceof HTMLInputElement) {
    if (e.key === 'Escape') e.target.blur();
    return;
  }
  const q = state.questions[state.selected];
  const keys = {
    j: () => { state.selected = Math.min(state.selected + 1, state.questions.length - 1); renderQuestions(); },
    k: () => { state.selected = Math.max(state.selected - 1, 0); renderQuestions(); },
    a: () => q && questionAction(q.id, 'answer'),
    d: () => q && questionAction(q.id, 'dismiss'),
    h: () => q && questionAction(q.id, q.highlighted ? 'unhighlight' : 'highlight'),
    t: () => $('topic-input').focus(),
    '/': () => $('search-input').focus(),
  };
  const fn = keys[e.key];
  if (fn) {
    e.preventDefault();
    fn();
  }
});
