// The Commands view: the channel's commands (the config file's, read-only, and those added from
// chat or here), timers, link protection and the last config change. The server validates every
// change as chat does and answers a refusal with its reason, shown as it is. Text goes into the
// page with textContent only.
import { ago, el, toast } from '/assets/common.js';

const $ = (id) => document.getElementById(id);
const LEVELS = ['everyone', 'subscriber', 'vip', 'moderator', 'broadcaster'];
let view = null;
let editing = null;
let editingTimer = null;

/** POST with a JSON body; a refusal throws the server's sentence. */
async function call(path, body) {
  const res = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const data = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(data.message || `HTTP ${res.status}`);
  return data;
}

function say(id, message) {
  $(id).textContent = message;
  $(id).hidden = !message;
}

const cooldowns = (c) =>
  [c.globalCooldown ? `${c.globalCooldown} s for everyone` : '', c.userCooldown ? `${c.userCooldown} s per viewer` : ''].filter(Boolean).join(', ') ||
  'no cooldown';

function commandRow(c, p) {
  const names = [c.name, ...c.aliases].map((n) => `${p}${n}`).join(' ');
  const origin =
    c.source === 'config' ? 'from the config file (read-only)' : c.hiddenBy ? `hidden by ${c.hiddenBy} of the config file` : `added from ${c.updatedBy}`;
  const meta = `${c.permission} · ${cooldowns(c)} · used ${c.count} time${c.count === 1 ? '' : 's'} · ${origin}`;
  const actions =
    c.source === 'chat'
      ? [
          el('button', { type: 'button', onclick: () => startEdit(c), text: 'Edit' }),
          el('button', {
            type: 'button',
            onclick: () => {
              if (!confirm(`Delete ${p}${c.name}? Chat can no longer use it; adding it again starts its count from zero.`)) return;
              void act(`/api/commands/${encodeURIComponent(c.name)}/delete`, {}, 'c-error').then((ok) => ok && toast(`${p}${c.name} deleted.`));
            },
            text: 'Delete',
          }),
        ]
      : [];
  return el(
    'li',
    { class: `b-item c-${c.source}`, 'data-name': c.name },
    el('span', { class: 'q-number', text: names }),
    el('span', { class: 'q-text', text: c.response }),
    el('span', { class: 'q-meta', text: meta }),
    el('span', { class: 'q-actions b-actions' }, ...actions),
  );
}

const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;
/** "15 s", "1 min", "2.5 min", "1 h 30 min". */
function every(minutes) {
  const s = Math.round(minutes * 60);
  if (s < 60) return `${s} s`;
  if (minutes < 60) return `${Math.round(minutes * 10) / 10} min`;
  const h = Math.floor(minutes / 60);
  const m = Math.round(minutes - h * 60);
  return m ? `${h} h ${m} min` : `${h} h`;
}

function timerRow(t) {
  const what = t.message !== undefined ? t.message : `runs ${view.prefix}${t.command}`;
  const states = t.states.map((s) => `${s.platform}: ${plural(s.lines, 'line')} since, last ${s.sent ? ago(s.lastAt) : 'never'}`).join(' · ');
  const meta = `every ${every(t.everyMinutes)} after ${plural(t.minLines, 'chat line')} · ${t.platforms}${t.enabled ? '' : ' · paused'} · ${
    t.source === 'config' ? 'from the config file (read-only)' : t.hidden ? 'hidden by the config file' : 'added from the dashboard'
  }${states ? ` · ${states}` : ''}`;
  const path = `/api/timers/${encodeURIComponent(t.name)}`;
  const actions =
    t.source === 'dashboard'
      ? [
          el('button', { type: 'button', onclick: () => startTimerEdit(t), text: 'Edit' }),
          el('button', { type: 'button', onclick: () => act(path, { enabled: !t.enabled }, 't-error'), text: t.enabled ? 'Pause' : 'Resume' }),
          el('button', {
            type: 'button',
            onclick: () => {
              if (!confirm(`Delete the timer ${t.name}? It stops at once.`)) return;
              void act(`${path}/delete`, {}, 't-error').then((ok) => ok && toast(`Timer ${t.name} deleted.`));
            },
            text: 'Delete',
          }),
        ]
      : [];
  return el(
    'li',
    { class: 'b-item', 'data-timer': t.name },
    el('span', { class: 'q-number', text: t.name }),
    el('span', { class: 'q-text', text: what }),
    el('span', { class: 'q-meta', text: meta }),
    el('span', { class: 'q-actions b-actions' }, ...actions),
  );
}

function render() {
  const v = view;
  $('c-count').textContent = String(v.commands.length);
  $('c-list').replaceChildren(
    ...(v.commands.length ? v.commands.map((c) => commandRow(c, v.prefix)) : [el('li', { class: 'hint', text: 'No commands of the channel yet.' })]),
  );
  $('c-response').maxLength = v.responseLimit;
  $('t-list').replaceChildren(...(v.timers.length ? v.timers.map(timerRow) : [el('li', { class: 'hint', text: 'No timers yet.' })]));
  const m = v.moderation;
  const rights = m.rights.map((r) => (r.problem ? r.problem : `${r.platform}: can delete`)).join(' · ');
  $('l-status').textContent = m.enabled
    ? `On: links from viewers below ${m.allowFrom} are deleted; allowed anywhere: ${m.domains.join(', ') || 'none'}. ${rights}`
    : 'Off (moderation.links in the config file).';
  $('l-actions').replaceChildren(
    ...m.actions
      .slice(-10)
      .reverse()
      .map((a) =>
        el('li', {
          class: a.outcome === 'not-deleted' ? 'problem' : '',
          text: `${ago(a.at)} · ${a.platform} · ${a.viewer}: link to ${a.host} ${a.outcome === 'deleted' ? 'deleted' : a.outcome === 'permitted' ? 'let through (!permit)' : `not deleted: ${a.detail}`}`,
        }),
      ),
  );
  const c = v.config;
  say(
    'config-problems',
    c.problems.length ? `The edited config was refused; the running one stays. ${c.problems.map((p) => `${p.path}: ${p.message}`).join(' · ')}` : '',
  );
  say(
    'config-note',
    !c.problems.length && c.at
      ? `Config applied ${ago(c.at)}: ${c.changed.join(', ') || 'nothing changed'}${c.restart.length ? `; at the next restart: ${c.restart.join(', ')}` : ''}.`
      : '',
  );
}

export async function load() {
  try {
    const res = await fetch('/api/bot');
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    view = await res.json();
    render();
  } catch (err) {
    say('c-error', `The commands could not be loaded (${err.message}).`);
  }
}

async function act(path, body, box) {
  try {
    await call(path, body);
    say(box, '');
    await load();
    return true;
  } catch (err) {
    say(box, err.message);
    return false;
  }
}

function startEdit(c) {
  editing = c.name;
  $('c-name').value = c.name;
  $('c-name').readOnly = true;
  $('c-response').value = c.response;
  $('c-level').value = c.permission;
  $('c-cd').value = String(c.globalCooldown);
  $('c-ucd').value = String(c.userCooldown);
  $('c-aliases').value = c.aliases.join(', ');
  $('c-submit').textContent = 'Save';
  $('c-response').focus();
}

function resetForm() {
  editing = null;
  $('c-form').reset();
  $('c-name').readOnly = false;
  $('c-submit').textContent = 'Add';
}

$('c-level').replaceChildren(...LEVELS.map((l) => el('option', { value: l, text: l })));
$('c-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const num = (id) => ($(id).value.trim() === '' ? 0 : Number($(id).value));
  const body = {
    response: $('c-response').value,
    permission: $('c-level').value,
    globalCooldown: num('c-cd'),
    userCooldown: num('c-ucd'),
    aliases: $('c-aliases')
      .value.split(/[\s,]+/)
      .map((a) => a.replace(/^[^\w+-]+/, ''))
      .filter(Boolean),
  };
  const name = $('c-name')
    .value.trim()
    .replace(/^[^\w+-]+/, '');
  const ok = editing ? await act(`/api/commands/${encodeURIComponent(editing)}`, body, 'c-error') : await act('/api/commands', { name, ...body }, 'c-error');
  if (ok) resetForm();
});
$('c-cancel').addEventListener('click', resetForm);

/** Edit: the timer's settings go into the form; Save changes them (the name stays). */
function startTimerEdit(t) {
  editingTimer = t.name;
  $('t-name').value = t.name;
  $('t-name').readOnly = true;
  $('t-kind').value = t.command !== undefined ? 'command' : 'message';
  $('t-text').value = t.command !== undefined ? t.command : t.message;
  $('t-every').value = String(t.everyMinutes);
  $('t-lines').value = String(t.minLines);
  $('t-platforms').value = t.platforms;
  $('t-submit').textContent = 'Save timer';
  $('t-text').focus();
}

function resetTimerForm() {
  editingTimer = null;
  $('t-form').reset();
  $('t-name').readOnly = false;
  $('t-submit').textContent = 'Add timer';
}

$('t-cancel').addEventListener('click', resetTimerForm);
$('t-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const text = $('t-text').value.trim();
  const asCommand = $('t-kind').value === 'command';
  const body = {
    // A message replaces a command and the other way round.
    ...(asCommand ? { command: text.replace(/^[^\w+-]+/, ''), message: null } : { message: text, command: null }),
    everyMinutes: Number($('t-every').value || 15),
    minLines: Number($('t-lines').value || 0),
    platforms: $('t-platforms').value,
  };
  const ok = editingTimer
    ? await act(`/api/timers/${encodeURIComponent(editingTimer)}`, body, 't-error')
    : await act('/api/timers', { name: $('t-name').value.trim(), ...body }, 't-error');
  if (ok) resetTimerForm();
});

let timer;
/** Something changed (chat, the dashboard, a config reload, link protection): reload soon, once. */
export function changed() {
  clearTimeout(timer);
  timer = setTimeout(() => void load(), 200);
}

void load();
// Counts, timers and "… ago" move without an event to say so: read again while the page is seen.
setInterval(() => {
  if (document.visibilityState === 'visible') void load();
}, 10_000);
