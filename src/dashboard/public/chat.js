// The dashboard's chat panel: both chats, newest at the bottom, following new lines unless the
// streamer scrolled up to read. Viewer text goes into the page with textContent only.
import { api, el } from '/assets/common.js';

const MAX_CHAT = 200;
const $ = (id) => document.getElementById(id);
const clockTime = (t) => new Date(t).toLocaleTimeString();

/** Lines longer than this are clamped to a few lines; a click shows them whole. */
const LONG_LINE = 280;
const nearBottom = (box) => box.scrollHeight - box.scrollTop - box.clientHeight < 40;

export function chatLine(c) {
  const text = el('span', { class: 'text', text: c.text });
  const long = c.text.length > LONG_LINE;
  const li = el(
    'li',
    {
      class: `chat-line p-${c.platform}${c.shared ? ' shared' : ''}${c.bot ? ' bot' : ''}${long ? ' clamped' : ''}`,
      'data-id': c.id,
      title: clockTime(c.time),
    },
    el('span', { class: 'platform', text: c.platform === 'twitch' ? 'TW' : 'YT' }),
    el('span', { class: 'author', text: c.author }),
    ...(c.bot ? [el('span', { class: 'bot-tag', text: 'bot' })] : []),
    ...(c.roles.length ? [el('span', { class: 'roles', text: c.roles.join(' ') })] : []),
    ...(c.paid ? [el('span', { class: 'paid', text: c.paid })] : []),
    text,
  );
  if (long) {
    const toggle = el('button', { class: 'more', type: 'button', text: 'show all', 'aria-expanded': 'false' });
    toggle.addEventListener('click', () => {
      const expanded = li.classList.toggle('clamped') === false;
      toggle.textContent = expanded ? 'show less' : 'show all';
      toggle.setAttribute('aria-expanded', String(expanded));
    });
    li.append(toggle);
  }
  if (!c.bot) li.append(el('button', { class: 'forget', type: 'button', title: `Forget ${c.author}…`, text: 'Forget…', onclick: () => void forget(c) }));
  return li;
}

const count = (n, word) => (n ? [`${n} ${word}${n === 1 ? '' : 's'}`] : []);

/** "Forget this viewer…": asks first, then erases them in every stream (POST /api/viewers/forget). */
async function forget(c) {
  const where = c.platform === 'twitch' ? 'Twitch' : 'YouTube';
  const ok = confirm(
    `Forget ${c.author} (${where})?\n\nThis erases their questions, votes and name from every stream Lectern recorded. It cannot be undone; backups made before keep them.`,
  );
  if (!ok) return;
  const status = $('chat-status');
  try {
    const r = await api('/api/viewers/forget', { platform: c.platform, line: c.id });
    const removed = [...count(r.questions.length, 'question'), ...count(r.askerships.length, 'shared question'), ...count(r.votes, 'vote')];
    status.textContent = `Forgot ${c.author}: ${removed.length ? `${removed.join(', ')} removed` : 'nothing was stored about them'}.`;
  } catch (err) {
    status.textContent = `${c.author} was not forgotten (${err.message}); lectern forget ${c.platform} <name> does the same.`;
  }
  status.hidden = false;
}

/** Newest at the bottom; follows new lines unless the streamer scrolled up to read. */
export function addChat(c) {
  const list = $('chat');
  const follow = nearBottom(list);
  list.append(chatLine(c));
  while (list.children.length > MAX_CHAT) list.firstChild.remove();
  if (follow) list.scrollTop = list.scrollHeight;
  else $('chat-more').hidden = false;
}

$('chat').addEventListener('scroll', () => {
  if (nearBottom($('chat'))) $('chat-more').hidden = true;
});
$('chat-more').addEventListener('click', () => {
  $('chat').scrollTop = $('chat').scrollHeight;
  $('chat-more').hidden = true;
});

export function removeChat(ids) {
  for (const li of [...$('chat').children]) if (ids.includes(li.dataset.id)) li.remove();
}

/** Replaces the panel's lines (a fresh state) and shows the newest. */
export function resetChat(lines) {
  $('chat').replaceChildren(...lines.map(chatLine));
  $('chat').scrollTop = $('chat').scrollHeight;
  $('chat-more').hidden = true;
}
