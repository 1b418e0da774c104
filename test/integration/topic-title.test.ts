import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HelixSim } from '../../src/sim/index.js';
import type { YouTubePlatform } from '../../src/platforms/youtube/index.js';
import { advance, startHarness, startYouTubeHarness, tempDir, TOKEN, untilClock, viewer, type Harness, type YouTubeHarness } from '../helpers.js';

/** The topic from the stream itself: the title as the first topic, changes and questions proposed, never switched by itself. */
let t: Harness | undefined;
let y: YouTubeHarness | undefined;
let helix: HelixSim | undefined;
const cleanups: Array<() => void> = [];
afterEach(async () => {
  await t?.close();
  await y?.close();
  await helix?.stop();
  t = y = helix = undefined;
  cleanups.splice(0).forEach((c) => c());
});

describe('the topic from the stream title', () => {
  it('Twitch: the channel title (Helix GET /channels) becomes the first topic; a new title is proposed, not set', async () => {
    helix = new HelixSim({ tokens: { [TOKEN]: ['chat:read', 'chat:edit'] }, clientId: 'app-client', users: { teacher: '1000' }, live: false });
    helix.title = '🔴 LIVE: Attention from scratch | !notes !discord';
    await helix.start();
    t = await startHarness({ twitchExtra: `  clientId: app-client\n  helixUrl: ${helix.url}\n` });
    const x = t;
    await untilClock(x.clock, () => x.app.topics.current()?.title === 'Attention from scratch', 'the title as the topic', 5000, 500);
    expect(x.app.topics.current()).toMatchObject({ source: 'title', setBy: 'twitch' });
    expect(helix.calls).toContain('GET /helix/channels');
    // The streamer renames the stream: proposed on the dashboard, the topic stays.
    helix.title = 'Attention from scratch, part 2: multi-head | !notes';
    await advance(x.clock, 61_000, 1000);
    await untilClock(x.clock, () => x.app.topicSuggestion !== null, 'a proposal', 5000, 1000);
    expect(x.app.topicSuggestion).toEqual({ title: 'Attention from scratch, part 2: multi-head', reason: 'the Twitch stream title' });
    expect(x.app.topics.current()!.title).toBe('Attention from scratch');
    // A moderator's topic is never replaced by a later title.
    x.sim.chat('teacher', viewer('mod', { moderator: '1' }), '!topic set Softmax');
    await untilClock(x.clock, () => x.app.topics.current()?.title === 'Softmax', "the moderator's topic");
    helix.title = 'Something else entirely';
    await advance(x.clock, 61_000, 1000);
    await untilClock(x.clock, () => x.app.topicSuggestion?.title === 'Something else entirely', 'another proposal', 5000, 1000);
    expect(x.app.topics.current()!.title).toBe('Softmax');
    // The channel goes live, then offline; another broadcast with a new title: the new session starts from it.
    helix.goLive('Something else entirely');
    const first = x.app.currentStream!.id;
    const recorded = () => x.app.storeForReading().streamPlatforms.list(x.app.currentStream!.id).length > 0;
    await untilClock(x.clock, recorded, 'live recorded', 5000, 1000);
    helix.goOffline();
    await untilClock(x.clock, () => x.app.storeForReading().streams.get(first)?.endedAt !== null, 'the session ended', 5000, 1000);
    helix.goLive('Day 2: multi-head attention | !notes');
    await untilClock(x.clock, () => x.app.currentStream!.id !== first, 'a new session', 5000, 1000);
    await untilClock(x.clock, () => x.app.topics.current()?.title === 'Day 2: multi-head attention', 'the new title as its topic', 5000, 1000);
    expect(x.app.topics.current()!.source).toBe('title');
  });

  it("YouTube: the live video's title becomes the first topic, its changes are looked at every 10 minutes (1 unit) and proposed", async () => {
    y = await startYouTubeHarness({ transport: 'poll', source: 'videoId: vid-title', start: false });
    const x = y;
    x.yt.addVideo('vid-title', 'chat-title', { title: 'LIVE: Building a tokenizer (day 3) - Mon/Wed/Fri 18:00 UTC' });
    await x.app.start();
    await untilClock(x.clock, () => x.app.topics.current()?.title === 'Building a tokenizer (day 3)', 'the title as the topic', 8000, 1000);
    expect(x.app.topics.current()!.source).toBe('title');
    const videos = () => x.yt.calls.filter((c) => c.method === 'videos').length;
    const before = videos();
    x.yt.setTitle('vid-title', 'Building a tokenizer: BPE merges');
    await advance(x.clock, 5 * 60_000, 5000);
    expect(x.app.topicSuggestion).toBeNull();
    await advance(x.clock, 6 * 60_000, 5000);
    await untilClock(x.clock, () => x.app.topicSuggestion !== null, 'a proposal', 5000, 1000);
    expect(x.app.topicSuggestion).toEqual({ title: 'Building a tokenizer: BPE merges', reason: 'the YouTube stream title' });
    expect(videos() - before).toBe(1);
    expect((x.app.platforms[0] as YouTubePlatform).status().quota!.used).toBe(x.yt.unitsUsed);
    expect(x.app.storeForReading().streamPlatforms.list(x.app.currentStream!.id)[0]!.title).toBe('Building a tokenizer: BPE merges');
  });
});

describe('questions about another part of the notes', () => {
  it("three questions in five minutes about one section other than the topic's propose switching to it; two do not", async () => {
    const notes = tempDir();
    cleanups.push(notes.cleanup);
    mkdirSync(join(notes.dir, 'ml'));
    writeFileSync(
      join(notes.dir, 'ml', 'training.md'),
      '# Training\n\n## Dropout\n\nDropout zeroes random activations during training so the network cannot rely on any one unit; at inference dropout is off.\n\n## Learning rate warmup\n\nWarmup raises the learning rate slowly over the first steps.\n',
    );
    writeFileSync(join(notes.dir, 'ml', 'attention.md'), '# Attention\n\n## Softmax\n\nSoftmax turns attention scores into weights that sum to one.\n');
    t = await startHarness({ extraYaml: `knowledge:\n  notes:\n    - dir: ${JSON.stringify(notes.dir)}\n      baseUrl: https://notes.example/\n` });
    const x = t;
    x.app.topics.set('Attention', 'dashboard');
    x.sim.chat('teacher', viewer('a'), '!q how does dropout work during training?');
    x.sim.chat('teacher', viewer('b'), '!q is dropout turned off at inference?');
    await untilClock(x.clock, () => x.app.questions.all().length === 2, 'two questions');
    expect(x.app.topicSuggestion).toBeNull();
    // A question about the current topic's own section changes nothing.
    x.sim.chat('teacher', viewer('c'), '!q why does softmax sum to one?');
    x.sim.chat('teacher', viewer('d'), '!q why do we use dropout activations at all?');
    await untilClock(x.clock, () => x.app.questions.all().length === 4, 'four questions');
    await untilClock(x.clock, () => x.app.topicSuggestion !== null, 'a proposal');
    expect(x.app.topicSuggestion).toEqual({
      title: 'Training › Dropout',
      reason: '3 viewers asked about it in 5 minutes',
      url: 'https://notes.example/ml/training.md#dropout',
    });
    expect(x.app.topics.current()!.title).toBe('Attention');
    // Switching to it (what the dashboard's button does) clears the proposal.
    x.app.topics.set('Training › Dropout', 'dashboard');
    expect(x.app.topicSuggestion).toBeNull();
  });
});
