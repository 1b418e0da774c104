import { connect } from '/assets/common.js';

// Position and theme come from the query string: ?position=bottom-left&theme=light
const params = new URLSearchParams(location.search);
const position = ['top-left', 'top-right', 'bottom-left', 'bottom-right', 'top', 'bottom'].includes(params.get('position')) ? params.get('position') : 'bottom-left';
const theme = ['dark', 'light'].includes(params.get('theme')) ? params.get('theme') : 'dark';
document.body.classList.add(`pos-${position}`, `theme-${theme}`);

const $ = (id) => document.getElementById(id);
let highlighted = null;

function refreshCard() {
  $('card').hidden = !highlighted && !$('o-topic').textContent;
}

function show(q) {
  highlighted = q && q.highlighted && q.state === 'open' ? q : null;
  // (A removed question is never 'open': moderation takes it off the overlay too.)
  $('o-question').hidden = !highlighted;
  refreshCard();
  if (!highlighted) return;
  $('o-number').textContent = `#${highlighted.id}`;
  $('o-text').textContent = highlighted.text;
  $('o-meta').textContent = `asked by ${highlighted.author}${highlighted.askerCount > 1 ? ` and ${highlighted.askerCount - 1} more` : ''}`;
}

connect((msg) => {
  if (msg.type === 'state') {
    $('o-topic').textContent = msg.data.topic ? msg.data.topic.title : '';
    show(msg.data.questions.find((q) => q.highlighted) ?? null);
    refreshCard();
  } else if (msg.type === 'topic') {
    $('o-topic').textContent = msg.data.title;
    refreshCard();
  }
  else if (msg.type === 'question') {
    if (msg.data.highlighted) show(msg.data);
    else if (highlighted && highlighted.id === msg.data.id) show(null);
  }
}, () => {});
