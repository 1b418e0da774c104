import { connect } from '/assets/common.js';

// The overlay is set up from its URL (an OBS browser source):
//   ?key=…                     its read-only key (it can read the topic and the question on screen, nothing else)
//   &position=bottom-left      top-left, top-right, bottom-left, bottom-right, top, bottom
//   &theme=dark                dark or light card
//   &accent=%23ff8800          the outline and number colour (#rgb or #rrggbb)
//   &size=28                   font size in px (12 to 96)
//   &show=topic,question,votes,asker   what to show (default: all)
//   &hideTopic=1               no topic line (same as leaving `topic` out of `show`)
//   &animate=0                 no entrance animation (it is off anyway when the system asks for reduced motion)
const params = new URLSearchParams(location.search);
const pick = (name, allowed, fallback) => (allowed.includes(params.get(name)) ? params.get(name) : fallback);
const position = pick('position', ['top-left', 'top-right', 'bottom-left', 'bottom-right', 'top', 'bottom'], 'bottom-left');
const theme = pick('theme', ['dark', 'light'], 'dark');
const shown = new Set((params.get('show') ?? 'topic,question,votes,asker').split(',').map((s) => s.trim()));
if (params.get('hideTopic') === '1') shown.delete('topic');
const animate = params.get('animate') !== '0';
document.body.classList.add(`pos-${position}`, `theme-${theme}`);
const root = document.body.style;
const size = Number(params.get('size'));
if (Number.isFinite(size) && size >= 12 && size <= 96) root.setProperty('--o-size', `${size}px`);
const accent = /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i.test(params.get('accent') ?? '') ? params.get('accent') : undefined;
if (accent) root.setProperty('--o-accent', accent);

const $ = (id) => document.getElementById(id);

/** WCAG contrast of two colours given as [r, g, b] (0-255). */
function contrast(a, b) {
  const lum = ([r, g, b]) => {
    const f = (c) => ((c /= 255) <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}
const rgb = (css) => (css.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number);

// A chosen accent too faint on this card would make the number hard to read: it then keeps the
// outline only, and the number takes the card's text colour.
if (accent) {
  const card = getComputedStyle($('card'));
  const number = getComputedStyle($('o-number'));
  if (contrast(rgb(number.color), rgb(card.backgroundColor)) < 4.5) $('card').classList.add('faint-accent');
}

let lastQuestion = null;
/** The overlay knows only the topic and the question on screen: its key can read nothing else. */
function show(view) {
  const topic = shown.has('topic') && view.topic ? view.topic.title : '';
  $('o-topic').textContent = topic;
  const q = shown.has('question') ? view.question : null;
  $('o-question').hidden = !q;
  if (q) {
    $('o-number').textContent = `#${q.id}`;
    $('o-text').textContent = q.text;
    const parts = [];
    if (shown.has('asker')) parts.push(`asked by ${q.author}${q.askerCount > 1 ? ` and ${q.askerCount - 1} more` : ''}`);
    if (shown.has('votes')) parts.push(`${q.votes} vote${q.votes === 1 ? '' : 's'}`);
    if (q.paid) parts.push(q.paid);
    $('o-meta').textContent = parts.join(' · ');
    $('o-meta').hidden = parts.length === 0;
  }
  const card = $('card');
  card.hidden = !q && !topic;
  // A new question comes in with a short entrance (none with prefers-reduced-motion).
  if (animate && q && q.id !== lastQuestion) {
    card.classList.remove('enter');
    void card.offsetWidth;
    card.classList.add('enter');
  }
  lastQuestion = q ? q.id : null;
}

connect(
  `/overlay/ws?key=${encodeURIComponent(params.get('key') ?? '')}`,
  (msg) => {
    if (msg.type === 'overlay') show(msg.data);
  },
  () => {},
);
