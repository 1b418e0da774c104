import type { ChatEvent } from '../core/index.js';

/**
 * Question detection in ordinary chat: a small rule set, tuned on eval/detect-dev.json and
 * measured by `npm run eval:detect` (docs/detection.md has the rules and the numbers).
 *
 * A line is a question for the streamer when none of the line's vetoes holds (it mentions another
 * viewer, takes itself back, is spam, sarcasm or a copypasta) and its sentences that ask have
 * `minWords` words together. A sentence asks when, once greetings, fillers ("so", "wait", "quick
 * question:") and emotes are taken off its start, it has a question's shape (a question mark, an
 * interrogative opening, an indirect question such as "i don't get why" or "can you explain") and
 * is none of: small talk, an exclamation or a rhetorical question, a question to the other
 * viewers, a question about the stream itself, a request to change the stream, a question about
 * the streamer's life. No weights, no model: each rule is a regular expression named below.
 */

export interface DetectOptions {
  readonly prefix: string;
  readonly minWords: number;
  /**
   * The streamer's names (Twitch channel, YouTube handle, the bot's login), without `@`: a line
   * that mentions one of them is addressed to the streamer; one that mentions anyone else is
   * talk between viewers.
   */
  readonly streamer?: readonly string[];
}

// --- Interrogative openings -----------------------------------------------------------------------

/** Words that open a question in English (and chat spellings), then in the languages chat mixes in. */
const OPENER_WORDS = [
  // wh-words; "what a …" is an exclamation and is vetoed below
  "what(?:'?s|s)?|wat|wut|why|how(?:'?s|s)?|which|whose|whom|who(?:'?s)?|what if|how come",
  // when / where (without a question mark they must be followed by an auxiliary)
  "(?:when|where)(?:'?s)?",
  // auxiliaries and modals opening a yes/no question
  "is|are|am|do|does|did|can|could|should|would|will|shall|isn'?t|aren'?t|doesn'?t|don'?t|didn'?t|can'?t|couldn'?t|shouldn'?t|wouldn'?t|won'?t",
  "was|were|has|have|had|wasn'?t|weren'?t|hasn'?t|haven'?t",
  // chat spellings
  'y|r|wdym|any idea|is there',
  // Spanish, Portuguese, French, German, Italian, Polish, Russian, Hindi (romanised), Japanese, Chinese
  'por ?qu[eé]|qu[eé]|c[oó]mo|cu[aá]l(?:es)?|d[oó]nde|cu[aá]ndo|qui[eé]n|qual|quais|pourquoi|comment (?:ça|ca|faire|tu|vous|est|sont|fonctionne|marche)|quoi|quel(?:le)?s?|c.est quoi|est-ce que',
  'warum|wieso|weshalb|wie|welche[rsnm]?|perch[eé]|dlaczego|почему|зачем|как|что|kya|kyu|kyun|kaise',
  'なんで|なぜ|どう|何|为什么|為什麼|怎么|什么',
].join('|');
const OPENER = new RegExp(`^(?:${OPENER_WORDS})(?=$|[\\s,?!.:]|[^\\x00-\\x7f])`, 'u');

/** Openings that look like questions only when a subject follows ("have you …", not "have a good one"). */
const NEEDS_SUBJECT =
  /^(?:was|were|has|have|had|wasn'?t|weren'?t|hasn'?t|haven'?t|don'?t|doesn'?t|didn'?t|won'?t|wouldn'?t|shouldn'?t|couldn'?t|can'?t|when|where|y|r)\b/;
const SUBJECT =
  /^\S+ (?:i|you|u|we|they|he|she|it|this|that|these|those|there|the|my|your|ur|our|their|its|any|anyone|anything|is|are|do|does|did|was|were|would|should|can|could|will|to)\b/;
/** Openings of statements, imperatives and begging: "would be cool", "can't wait", "do a video", "can i get a shoutout", "who ever wins". */
const STATEMENT_OPENING =
  /^(?:would|could|should|will|might) (?:be|love|like|have been)\b|^can'?t wait\b|^do (?:a|an|it|some|more|another)\b|^can (?:i|we) (?:get|have) (?:a|an|some|the|\d)|^who ?ever\b/;

/** Indirect questions and requests to explain, anywhere in a sentence. */
const INDIRECT = new RegExp(
  [
    "\\bi (?:do ?n'?t|dont|still do ?n'?t|can'?t) (?:get|understand|see|follow) (?:why|how|what|where|when|which|if|whether|the)\\b",
    '\\bconfused (?:about |by |on )?(?:why|how|what|where|when|which|whether|if)\\b',
    '\\bwondering (?:why|how|what|if|whether|where|when|which)\\b',
    '\\bnot sure (?:i (?:get|understand|follow)|why|how|what|if|whether)\\b',
    '\\b(?:would love|need|want) an? (?:explanation|example|intuition)\\b',
    '\\bcurious (?:how|why|what|if|whether|about)\\b',
    '\\bany (?:idea|ideas|reason|tips?) (?:why|how|what|on|for)\\b',
    // "can you explain …", "explain … pls", "please elaborate"
    '\\b(?:can|could|would|will|pls|plz|please|pl[sz] can) (?:you |u )?(?:please |pls )?(?:expla?in|explian|elaborate|go over|walk (?:us )?through)\\b',
    '^(?:pls |plz |please )?(?:expla?in|explian|elaborate)\\b',
    "\\bwhat(?:'?s| is) the (?:diff|difference|point|intuition|reason)\\b|^(?:the )?diff(?:erence)? between\\b",
    // "any way to …", "thoughts on …", "eli5 …"
    '^(?:any|is there an?) (?:way|reason|difference|benefit|downside|advantage)s? (?:to|for|why|how|between|of)\\b|^(?:thoughts|opinions?) on\\b|\\beli5\\b',
  ].join('|'),
);

/** "wait so …": checking what was just said, a question even without a question mark. */
const CHECKING = /^wait ?,? so\b/;

// --- What a sentence starts with and carries no question: greetings, fillers, emotes ---------------

const GREETING =
  'hi+|hello+|hey+|heya|hiya|yo|sup|howdy|hola|ola|bonjour|salut|hallo|servus|moin|ciao|namaste|gm|good (?:morning|afternoon|evening|night)|morning|evening|greetings|o/|\\\\o';
const VOCATIVE = "chat|everyone|everybody|all|guys|folks|friends|fam|y'?all|people|bro|dude|sir|bhai|mate";
const FILLER = [
  // longest first: alternatives are tried in order
  'sorry if (?:this is )?(?:a )?(?:dumb|stupid|silly|noob)(?: question| q)?',
  'question|q|(?:quick|qq|q|noob|dumb|stupid|real|random|genuine|honest|serious|another|one more|small) ?(?:question|q|one)?(?: tho| though)?',
  'first time(?: here)?|new here|just got here|back again|long time no see|lurker here|welcome back',
  'so|wait|but|and|ok|okay|k|kk|hmm+|hm+|um+|uh+|also|btw|like|basically|then|sorry|actually|well|oh+|ah+|yeah|yes|no|lol|lmao|haha+|welp|anyway|alright|right',
].join('|');
// A vocative is taken off after a greeting ("hey chat") or before a comma ("chat, …"), never as a
// subject ("people are …").
const LEAD = new RegExp(`^(?:(?:(?:${GREETING})(?: (?:${VOCATIVE}))?|(?:${VOCATIVE})(?=\\s*[,:!])|${FILLER})(?=$|[\\s,:!.?-])[\\s,:!.?-]*)+`);

/**
 * Twitch emotes and emoji at the start of a sentence (checked before lowercasing): channel emotes
 * (a lowercase prefix, then a capital: monkaS, xqcL), the common global and third-party ones, and
 * anything without a letter or digit. Other CamelCase words may be names: they stay.
 */
const EMOTE_TOKEN =
  /^(?:[a-z]+[A-Z][A-Za-z0-9]*|Feels\w+|Pepe\w+|\w+Champ|LUL|LULW|KEKW|OMEGALUL|Pog|PogU|POGGERS|Kappa|KappaPride|Kreygasm|NotLikeThis|HeyGuys|BibleThump|ResidentSleeper|DansGame|SeemsGood|4Head|TriHard|BabyRage|SwiftRage|CoolStoryBob|VoHiYo|PJSalt|SMOrc|WutFace|[^\p{L}\p{N}\s]+)$/u;

// --- Vetoes ------------------------------------------------------------------------------------------

/** Whole line: the viewer took the question back, spam, sarcasm. */
const LINE_VETO = new RegExp(
  [
    // self-resolved
    "\\b(?:nvm|nvmd|never ?mind|figured it out|got it now|oh,? (?:it'?s|its|i see|that'?s|ok|okay|got it|right))\\b",
    // spam
    '\\bdm me\\b|\\bmy channel\\b|\\$\\s?\\d[\\d,]*k? (?:a|per) (?:day|week|month)\\b|\\b(?:free|cheap|buy)\\b.*\\b(?:followers|viewers|primes|subs)\\b|\\bcheck (?:out )?my (?:channel|bio|stream|profile)\\b',
    '\\bdot com\\b|\\bgiveaway\\b|\\bwant (?:more )?(?:viewers|followers)\\b|\\bbecome famous\\b|\\bvisit \\S+ now\\b',
    // sarcasm
    '\\bkappa\\b|(?:^|\\s)/s$',
  ].join('|'),
);

/** Small talk: greetings asked as questions. */
const SMALL_TALK =
  /\bhow(?:'?s| is| are|s| r) (?:every(?:one|body)|you(?: all| guys| doing)?|u|we(?: all)?|y'?all|chat|the chat|it going|things|life|your (?:day|week|weekend|evening|morning))\b|\bhow was your\b|\bwhat'?s up\b|\bwhat is up\b|\bwhat(?:'?s| is| are| r) (?:we|you) (?:learning|doing|covering|building|coding|making|studying|talking about|up to)(?: today| tonight| now)?$|\b(?:today'?s|tonight'?s|the) (?:topic|plan)(?: (?:today|tonight|for today|for tonight))?$/;

/** Exclamations and rhetorical questions. */
const EXCLAIM = new RegExp(
  [
    '^what an? ',
    // "how cool is that": an admiring adjective and a pointing word ("how good is bf16 …" still asks)
    '^how (?:cool|neat|nice|elegant|beautiful|awesome|amazing|clean|great|satisfying|sick|crazy|wild|insane|clever|fun|lucky|cursed|funny|wholesome|based) (?:is|are|was|were) (?:that|this|it|these|those)\\b',
    "^(?:isn'?t|ain'?t) (?:that|this|it) (?:so |just |really )?(?:cool|neat|nice|elegant|beautiful|awesome|amazing|clean|great|wild|crazy|insane|fun)\\b",
    '^how is this free\\b|^how did i (?:never|not)\\b|\\bso (?:satisfying|good|clean|cool|fun|nice) to (?:watch|see|look at)\\b',
    '^who (?:knew|needs|even|cares|asked|would have thought)\\b',
    '\\bwhy do i even\\b|\\beven bother\\b|\\balways do(?:es)? this to me\\b|\\bever just work\\b|\\bcould possibly go\\b',
    "\\bis there anything\\b.*\\bcan'?t\\b|\\bany of us\\b|^how many times (?:will|do|have|must) (?:we|i)\\b",
    '^(?:what|who) (?:the (?:fuck|hell|heck)|tf) (?:is|was) (?:that|this|he|she|it|happening|going on)$',
  ].join('|'),
);

/** Questions to the other viewers. */
const TO_VIEWERS =
  /\b(?:any ?one|any ?body|any of you|you guys|y'?all)\b|^who(?:'?s| is| are|'re)? (?:else|here|doing|watching|going|from|still|also|joining)\b|\bis it just me\b|\bam i the only\b|\bhow many of (?:you|us)\b/;

/** Questions about the stream itself: the broadcast, the recording, the schedule, the community. */
const ABOUT_STREAM = new RegExp(
  [
    '\\b(?:is|are) (?:the|my|your|ur) (?:stream|audio|mic|sound|video|music|cam|webcam)\\b',
    '\\bvods?\\b|\\b(?:discord|patreon|merch|socials|twitter|instagram|subathon)\\b|\\bstream(?:ing)? schedule\\b',
    '\\b(?:been|go|going|be) live\\b|\\bstream(?:ing)? (?:today|tomorrow|tonight|later|again|next|on \\w+day)\\b|\\bhow long (?:is|will|have|has) (?:the )?(?:stream|you been)\\b',
    '\\b(?:are|r|will|do) (?:you|u) (?:be )?stream(?:ing)?\\b|\\bdid i miss\\b|\\bbeing recorded\\b|\\b(?:posted|uploaded) (?:somewhere|anywhere|online|later)\\b',
  ].join('|'),
);

/** A request to change the stream, asked as a question ("can you make the font bigger?", "mic is quiet, can you turn it up?"). */
const REQUEST = /\b(?:can|could|would|will) (?:you|u)\b|\b(?:pls|plz|please)\b/;
const STREAM_THING =
  /\b(?:font|text size|music|volume|mic|webcam|cam|camera|light mode|dark mode|zoom(?: in| out)?|scroll|link|slide|screen|pin|overlay|louder|quieter)\b|\bturn (?:it|that|the \w+) (?:up|down)\b|\bmake (?:it|the (?:font|text|code|terminal|editor|window)) (?:bigger|smaller|larger)\b/;
const EXPLAIN = /\b(?:expla?in|explian|elaborate|go over|walk (?:us )?through|show (?:us )?(?:how|why|what))\b/;
const streamRequest = (s: string) => REQUEST.test(s) && STREAM_THING.test(s) && !EXPLAIN.test(s);

/** Questions about the streamer's life, not the topic. */
const OFF_TOPIC =
  /\b(?:anime|movie|film|song|playlist|gaming|football|soccer|weather|lunch|dinner|breakfast|food|married|girlfriend|boyfriend|wife|husband|conference|netflix|marvel)\b|\bgames?\b(?! theory| engine| dev)|\bplay (?:chess|games?|video ?games|football|soccer|sports?|guitar|piano)\b|\b(?:a|your|ur) (?:cat|dog|pet)s?\b|\bbehind (?:you|u)\b|\bhow old\b|\bwhere (?:are|r) (?:you|u) from\b|\bwhere do (?:you|u) live\b|\bdo (?:you|u) (?:ever )?sleep\b/;

// --- The decision ---------------------------------------------------------------------------------

/** Cheap first test: most chat lines carry nothing that could start a question. */
const CANDIDATE = new RegExp(`[?？]|[^\\x00-\\x7f]|\\b(?:${OPENER_WORDS}|\\w+n'?t|idea|expla?in|explian|elaborate|wondering|confused|curious|sure|so)\\b`, 'i');

const MENTION = /(?:^|\s)@([\p{L}\p{N}_.-]+)/gu;
const URL = /\b(?:https?:\/\/|www\.)\S+/gi;
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/gu;

/** The same words over and over: a copypasta or a chant. */
function copypasta(text: string): boolean {
  const words = text.toLowerCase().split(/\s+/).filter(Boolean);
  return words.length >= 8 && new Set(words).size * 2 < words.length;
}

const NON_ASCII = /[^\x00-\x7f]/;
const ASCII_WORD = /\S*[A-Za-z0-9]\S*/g;

/** Words of a sentence; Chinese, Japanese and Korean have no spaces: two characters count as a word. */
function countWords(s: string): number {
  // ASCII (most chat): the tokens that have a letter or a digit, in one pass.
  if (!NON_ASCII.test(s)) return s.match(ASCII_WORD)?.length ?? 0;
  let n = 0;
  for (const token of s.split(/\s+/)) {
    const cjk = token.match(CJK)?.length ?? 0;
    if (cjk) n += Math.ceil(cjk / 2) + (token.replace(CJK, ' ').match(/[\p{L}\p{N}]+/gu)?.length ?? 0);
    else if (/[\p{L}\p{N}]/u.test(token)) n++;
  }
  return n;
}

const FIRST_TOKEN = /^\S+/;
const ODD_SPACE = /\s\s|\s$|[^\S ]/;

/** Takes Twitch emotes and emoji off the start of a sentence (as written). */
function stripEmotes(sentence: string): string {
  // Usually nothing to take off: the sentence as it is when it starts with a word and has single spaces.
  const first = FIRST_TOKEN.exec(sentence);
  if (first && !EMOTE_TOKEN.test(first[0]) && !ODD_SPACE.test(sentence)) return sentence;
  const tokens = sentence.split(/\s+/).filter(Boolean);
  let i = 0;
  while (i < tokens.length && EMOTE_TOKEN.test(tokens[i]!)) i++;
  return tokens.slice(i).join(' ');
}

/** Takes emotes, emoji, greetings and fillers off the start of a sentence (as written; lowercased after). */
function stripLead(sentence: string): string {
  let s = stripEmotes(sentence).toLowerCase();
  for (;;) {
    const next = s.replace(LEAD, '');
    const noEmote = next.replace(/^[^\p{L}\p{N}\s]+\s*/u, '');
    if (noEmote === s) return s;
    s = noEmote;
  }
}

/** How many words one sentence (its end punctuation given apart) asks the streamer with: 0 when it asks nothing. */
function askingWords(sentence: string, end: string): number {
  const s = stripLead(sentence);
  if (!s) return 0;
  const asked = end.includes('?');
  let shaped = asked || INDIRECT.test(s) || CHECKING.test(stripEmotes(sentence).toLowerCase());
  if (!shaped) {
    // An interrogative opening, at the start or after a comma ("Adam vs AdamW, which one …").
    for (const clause of s.split(/\s*[,:;]\s+|\s+-\s+/)) {
      const c = stripLead(clause);
      if (OPENER.test(c) && !STATEMENT_OPENING.test(c) && (!NEEDS_SUBJECT.test(c) || SUBJECT.test(c))) {
        shaped = true;
        break;
      }
    }
  }
  if (!shaped || SMALL_TALK.test(s) || EXCLAIM.test(s) || TO_VIEWERS.test(s) || ABOUT_STREAM.test(s) || streamRequest(s) || OFF_TOPIC.test(s)) return 0;
  return countWords(s);
}

/**
 * A question asked in ordinary chat, or with a Super Chat or a cheer (whose cheermotes are already
 * gone from the text), to the streamer: see the rule set above. Never a command, a reply to another
 * viewer, an action, a system message or a Shared Chat copy of another channel.
 */
export function looksLikeQuestion(event: ChatEvent, opts: DetectOptions): boolean {
  if ((event.kind !== 'message' && event.kind !== 'paid-message') || event.action || event.sharedFrom) return false;
  const text = event.text.trim();
  if (!text || text.startsWith(opts.prefix) || event.replyTo) return false;
  if (!CANDIDATE.test(text)) return false;
  // Chat repeats itself (copypastas, the same question from many viewers, spam): a line's text
  // is decided once, and the answer kept for the next few thousand lines.
  const memo = memoFor(opts);
  const known = memo.get(text);
  if (known !== undefined) return known;
  const answer = decide(text, opts, memo.streamer);
  if (memo.size >= MEMO_SIZE) memo.clear();
  memo.set(text, answer);
  return answer;
}

/** Decisions kept per set of options (the service has one). */
const MEMO_SIZE = 4096;
const memos = new WeakMap<DetectOptions, Map<string, boolean> & { streamer: ReadonlySet<string> }>();
function memoFor(opts: DetectOptions): Map<string, boolean> & { streamer: ReadonlySet<string> } {
  let memo = memos.get(opts);
  if (!memo) {
    memo = Object.assign(new Map<string, boolean>(), { streamer: new Set((opts.streamer ?? []).map((n) => n.replace(/^@/, '').toLowerCase())) });
    memos.set(opts, memo);
  }
  return memo;
}

/** The rule set on one line's text (see the top of this file). */
function decide(line: string, opts: DetectOptions, streamer: ReadonlySet<string>): boolean {
  let text = line;
  // Mentions: of the streamer, taken out; of anyone else, talk between viewers.
  let toViewer = false;
  text = text.replace(MENTION, (whole, name: string) => {
    if (streamer.has(name.replace(/[.,:;!?-]+$/, '').toLowerCase())) return ' ';
    toViewer = true;
    return whole;
  });
  if (toViewer) return false;
  // The streamer called by name at the start ("teacher, why …") is the same as a mention.
  const called = /^([\p{L}\p{N}_]+)[,:!]?\s+/u.exec(text);
  if (called && streamer.has(called[1]!.toLowerCase())) text = text.slice(called[0].length);
  // A link is a clause break: "see https://… why does this 404".
  text = text.replace(URL, ' , ').replace(/[’‘`]/g, "'").replace(/[？؟]/g, '?').replace(/[！]/g, '!').replace(/[¿¡]/g, '').trim();
  if (LINE_VETO.test(text.toLowerCase()) || copypasta(text)) return false;
  // Sentences end with . ! ? ; or … followed by a space or the end ("fast.ai" and "0.02" stay
  // whole). The sentences that ask must have minWords words together ("why? how?" is too short;
  // "ПОЧЕМУ? ¿Por qué? क्यों?" asks the same in three languages).
  let words = 0;
  const re = /([^]*?)([.!?;…]+)(?=\s|$)|([^]+)$/gy;
  for (let m = re.exec(text); m && m[0]; m = re.exec(text)) {
    const sentence = (m[1] ?? m[3] ?? '').trim();
    if (sentence && (words += askingWords(sentence, m[2] ?? '')) >= opts.minWords) return true;
  }
  return false;
}
