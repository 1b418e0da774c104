// The Backlog view: every unanswered question across streams, proposals of posts that answer
// them, and engagement by topic as a bar chart (SVG drawn here: no library, no CDN). Viewer text
// goes into the page with textContent only.
import { api, el, toast, why } from '/assets/common.js';

const $ = (id) => document.getElementById(id);
const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;
const view = { state: 'open', topic: '' };

function flash(message) {
  const box = $('backlog-error');
  box.textContent = message;
  box.hidden = !message;
}

/**
 * Does `path` for backlog item `id`: the toast says it was `done` ("dismissed"), with Undo when
 * `undo`; a refusal says it was not, and the server's reason.
 */
async function act(path, body, id, done, undo, notDone = `was not ${done}`) {
  try {
    await api(path, body);
    flash('');
    toast(`Backlog #${id} ${done}.`, undo);
    await load();
  } catch (err) {
    flash(`Backlog #${id} ${notDone}: ${why(err)}.`);
  }
}
const reopen = (id) => () => void act(`/api/backlog/${id}/reopen`, {}, id, 'reopened');

function itemRow(item) {
  const meta = [
    plural(item.askerCount, 'asker'),
    plural(item.votes, 'vote'),
    ...(item.paid.length ? [`${item.paid.join(' + ')} paid`] : []),
    `${plural(item.streams.length, 'stream')} (${item.streams.map((s) => `#${s}`).join(' ')})`,
    ...(item.topics.length ? [item.topics.join(', ')] : []),
  ].join(' · ');
  const state =
    item.state === 'open'
      ? []
      : [
          el('span', {
            class: `b-state b-${item.state}`,
            text: item.answeredBy ? 'answered by a post' : item.answeredLive ? 'answered on stream' : item.state,
          }),
        ];
  const urlInput = el('input', { type: 'url', placeholder: 'https://… the post that answers it', 'aria-label': `Post that answers backlog item ${item.id}` });
  const mergeInput = el('input', { type: 'number', min: '1', placeholder: 'into #', 'aria-label': `Merge backlog item ${item.id} into` });
  const actions =
    item.state === 'open'
      ? [
          el(
            'form',
            {
              class: 'b-form',
              onsubmit: (e) => {
                e.preventDefault();
                if (!urlInput.value.trim()) {
                  flash(`Paste the address of the post that answers #${item.id} first.`);
                  return urlInput.focus();
                }
                void act(`/api/backlog/${item.id}/answer`, { url: urlInput.value.trim() }, item.id, 'marked answered by the post', reopen(item.id));
              },
            },
            urlInput,
            el('button', { type: 'submit', text: 'Answered by post' }),
          ),
          el('button', {
            onclick: () => act(`/api/backlog/${item.id}/answer-live`, {}, item.id, 'marked answered live', reopen(item.id)),
            text: 'Answered live',
          }),
          el('button', { onclick: () => act(`/api/backlog/${item.id}/dismiss`, {}, item.id, 'dismissed', reopen(item.id)), text: 'Dismiss' }),
          el(
            'form',
            {
              class: 'b-form',
              onsubmit: (e) => {
                e.preventDefault();
                const into = Number(mergeInput.value);
                if (!(into > 0)) {
                  flash(`Type the number of the backlog item to merge #${item.id} into first.`);
                  return mergeInput.focus();
                }
                void act('/api/backlog/merge', { from: item.id, into }, item.id, `merged into #${into}`);
              },
            },
            mergeInput,
            el('button', { type: 'submit', text: 'Merge' }),
          ),
        ]
      : [el('button', { onclick: reopen(item.id), text: 'Reopen' })];
  return el(
    'li',
    { class: `b-item b-item-${item.state}`, 'data-id': String(item.id) },
    el('span', { class: 'q-number', text: `#${item.id}` }),
    el('span', { class: 'q-text', text: item.text }, ...state),
    el('span', { class: 'q-meta', text: `score ${item.score} · ${meta}` }),
    ...(item.note
      ? [el('span', { class: 'q-meta' }, 'notes: ', el('a', { href: item.note.url, target: '_blank', rel: 'noopener noreferrer', text: item.note.title }))]
      : []),
    ...(item.answeredBy
      ? [
          el(
            'span',
            { class: 'q-meta' },
            'answered in ',
            el('a', { href: item.answeredBy.url, target: '_blank', rel: 'noopener noreferrer', text: item.answeredBy.title }),
          ),
        ]
      : []),
    el('span', { class: 'q-actions b-actions' }, ...actions),
  );
}

function proposalRow(p, items) {
  const item = items.get(p.itemId);
  return el(
    'li',
    { class: 'b-proposal' },
    el('span', { text: 'New post ' }),
    el('a', { href: p.url, target: '_blank', rel: 'noopener noreferrer', text: p.title }),
    el('span', { text: ` may answer #${p.itemId}${item ? `: “${item.text}”` : ''} ` }),
    el('button', {
      onclick: () =>
        act('/api/backlog/proposals', { itemId: p.itemId, url: p.url, action: 'confirm' }, p.itemId, 'marked answered by the post', reopen(p.itemId)),
      text: 'Confirm',
    }),
    el('button', {
      onclick: () =>
        act(
          '/api/backlog/proposals',
          { itemId: p.itemId, url: p.url, action: 'reject' },
          p.itemId,
          'stays open (that post is ignored)',
          undefined,
          '— the post was not ignored',
        ),
      text: 'Ignore',
    }),
  );
}

/** Horizontal bars: questions per topic, the unanswered part darker. */
function chart(topics) {
  const NS = 'http://www.w3.org/2000/svg';
  const top = topics.slice(0, 12);
  const svg = document.createElementNS(NS, 'svg');
  const rowH = 26,
    labelW = 180,
    barW = 260,
    width = labelW + barW + 90;
  svg.setAttribute('viewBox', `0 0 ${width} ${Math.max(rowH, top.length * rowH)}`);
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', 'Questions per topic across streams');
  const max = Math.max(1, ...top.map((t) => t.questions));
  top.forEach((t, i) => {
    const y = i * rowH;
    const add = (tag, attrs, text) => {
      const n = document.createElementNS(NS, tag);
      for (const [k, v] of Object.entries(attrs)) n.setAttribute(k, String(v));
      if (text !== undefined) n.textContent = text;
      svg.append(n);
      return n;
    };
    // Cut in the middle: titles that start alike ("Attention … (part 2)") stay told apart by their ends.
    const label = t.title.length > 26 ? `${t.title.slice(0, 14).trimEnd()}…${t.title.slice(-11).trimStart()}` : t.title;
    add('text', { x: labelW - 8, y: y + 17, 'text-anchor': 'end', class: 'c-label' }, label).append(
      Object.assign(document.createElementNS(NS, 'title'), { textContent: t.title }),
    );
    const all = (t.questions / max) * barW;
    const open = (t.unanswered / max) * barW;
    add('rect', { x: labelW, y: y + 5, width: Math.max(all, t.questions ? 2 : 0), height: rowH - 10, rx: 3, class: 'c-bar' });
    add('rect', { x: labelW, y: y + 5, width: open, height: rowH - 10, rx: 3, class: 'c-open' });
    add('text', { x: labelW + Math.max(all, 2) + 6, y: y + 17, class: 'c-value' }, `${t.questions} (${t.unanswered} open)`);
  });
  return svg;
}

/**
 * What the streamer has typed in the list (a post's URL, a merge target) and where the cursor is:
 * the list is drawn again on every backlog change, and that must not lose a half-typed URL.
 */
function typedInList() {
  const typed = [];
  for (const input of $('b-items').querySelectorAll('li[data-id] input')) {
    const focused = document.activeElement === input;
    if (!input.value && !focused) continue;
    typed.push({ id: input.closest('li').dataset.id, type: input.type, value: input.value, focused, start: focused ? input.selectionStart : null });
  }
  return typed;
}

function restoreTyped(typed) {
  for (const t of typed) {
    const input = $('b-items').querySelector(`li[data-id="${CSS.escape(t.id)}"] input[type="${t.type}"]`);
    if (!input) continue;
    input.value = t.value;
    if (t.focused) {
      input.focus();
      if (t.start !== null && input.type !== 'number') input.setSelectionRange(t.start, t.start);
    }
  }
}

let loading = false;
let again = false;
export async function load() {
  if (loading) {
    again = true;
    return;
  }
  loading = true;
  try {
    const q = new URLSearchParams({ state: view.state, topic: view.topic, limit: '100' });
    const [b, t] = await Promise.all([api(`/api/backlog?${q}`), api('/api/topics')]);
    const items = new Map(b.items.map((i) => [i.id, i]));
    $('b-count').textContent = String(b.total);
    const select = $('b-topic');
    const chosen = select.value;
    select.replaceChildren(el('option', { value: '', text: 'All topics' }), ...b.topics.map((topic) => el('option', { value: topic, text: topic })));
    select.value = b.topics.includes(chosen) ? chosen : '';
    $('b-proposals').replaceChildren(...b.proposals.map((p) => proposalRow(p, items)));
    const typed = typedInList();
    $('b-items').replaceChildren(
      ...(b.items.length
        ? b.items.map(itemRow)
        : [el('li', { class: 'hint', text: view.state === 'open' ? 'Nothing waits: every question is answered or dismissed.' : 'None.' })]),
    );
    restoreTyped(typed);
    $('b-chart').replaceChildren(...(t.topics.length ? [chart(t.topics)] : [el('p', { class: 'hint', text: 'No topics yet.' })]));
    $('b-topics').replaceChildren(
      ...t.topics.slice(0, 12).map((x) =>
        el('li', {
          text: `${x.title}: ${plural(x.questions, 'question')}, ${x.unanswered} unanswered, ${plural(x.votes, 'vote')}, ${x.minutes} min in ${plural(x.streams.length, 'stream')}, ${x.linesPerMinute} lines/min`,
        }),
      ),
    );
  } catch (err) {
    flash(`The backlog could not be loaded: ${why(err)}.`);
  } finally {
    loading = false;
    if (again) {
      again = false;
      void load();
    }
  }
}

let timer;
/** The backlog changed (new questions placed, an answer, a proposal): reload soon, once. */
export function changed() {
  clearTimeout(timer);
  timer = setTimeout(() => void load(), 300);
}

$('b-state').addEventListener('change', (e) => {
  view.state = e.target.value;
  void load();
});
$('b-topic').addEventListener('change', (e) => {
  view.topic = e.target.value;
  void load();
});
void load();
