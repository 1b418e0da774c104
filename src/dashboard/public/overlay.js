import { connect } from '/assets/common.js';

// Position and theme come from the query string: ?key=...&position=bottom-left&theme=light
const params = new URLSearchParams(location.search);
const position = ['top-left', 'top-right', 'bottom-left', 'bottom-right', 'top', 'bottom'].includes(params.get('position')) ? params.get('position') : 'bottom-left';
const theme = ['dark', 'light'].includes(params.get('theme')) ? params.get('theme') : 'dark';
document.body.classList.add(`pos-${position}`, `theme-${theme}`);

const $ = (id) => document.getElementById(id);

/** The overlay knows only the topic and the question on screen: its key can read nothing else. */
function show(view) {
  $('o-topic').textContent = view.topic ? view.topic.title : '';
  const q = view.question;
  $('o-question').hidden = !q;
  if (q) {
    $('o-number').textContent = `#${q.id}`;
    $('o-text').textContent = q.text;
    $('o-meta').textContent = `asked by ${q.author}${q.askerCount > 1 ? ` and ${q.askerCount - 1} more` : ''}`;
  }
  $('card').hidden = !q && !view.topic;
}

connect(`/overlay/ws?key=${encodeURIComponent(params.get('key') ?? '')}`, (msg) => {
  if (msg.type === 'overlay') show(msg.data);
}, () => {});
