import { describe, expect, it } from 'vitest';
import { CommandRouter, helpCommand, parseCommand, type Outcome } from '../../src/commands/index.js';
import { ManualClock, silentLogger, type ChatEvent, type Role } from '../../src/core/index.js';

const event = (text: string, login = 'viewer', roles: Role[] = [], kind: ChatEvent['kind'] = 'message'): ChatEvent => ({
  platform: 'twitch',
  channel: 'c',
  id: `id-${Math.random()}`,
  kind,
  text,
  time: 0,
  author: { id: `u-${login}`, login, displayName: login, roles },
});

function setup(flood = { count: 5, windowMs: 15_000 }) {
  const clock = new ManualClock(0);
  const replies: string[] = [];
  const router = new CommandRouter({ prefix: '!', clock, logger: silentLogger(), flood, reply: (_e, t) => replies.push(t) });
  const outcomes: Outcome[] = [];
  router.onOutcome((o) => outcomes.push(o));
  return { clock, router, replies, outcomes };
}

describe('parseCommand', () => {
  it('parses name and arguments, case-insensitively', () => {
    expect(parseCommand('!Notes  attention   heads', '!')).toEqual({ name: 'notes', args: ['attention', 'heads'], argText: 'attention   heads' });
    expect(parseCommand('!+1 12', '!')).toEqual({ name: '+1', args: ['12'], argText: '12' });
    expect(parseCommand('?q x', '?')).toMatchObject({ name: 'q' });
  });

  it('rejects what is not a command', () => {
    for (const t of ['hello', '! help', '!', '!!!!', '!<script>', `!${'a'.repeat(40)}`, 'x!help']) expect(parseCommand(t, '!')).toBeNull();
  });
});

describe('CommandRouter stages', () => {
  it('resolves aliases and reports each outcome', async () => {
    const { router, replies, outcomes } = setup();
    router.register(helpCommand);
    await router.handle(event('!commands'));
    await router.handle(event('!nope'));
    await router.handle(event('just chatting'));
    expect(replies[0]).toMatch(/^Commands: !help/);
    expect(outcomes.map((o) => o.status + ':' + ('code' in o ? o.code : ''))).toEqual(['ran:', 'ignored:unknown-command', 'ignored:not-a-command']);
  });

  it('refuses duplicate names as a config error', () => {
    const { router } = setup();
    router.register(helpCommand);
    expect(() => router.register({ name: 'commands', description: 'x', run: () => undefined }, 'commands.custom[0]')).toThrow(/commands.custom\[0\]/);
  });

  it('checks permissions by role order', async () => {
    const { router, outcomes } = setup();
    router.register({ name: 'vip', description: 'x', permission: 'vip', run: () => undefined });
    await router.handle(event('!vip', 'a', ['subscriber']));
    await router.handle(event('!vip', 'b', ['vip']));
    await router.handle(event('!vip', 'c', ['moderator']));
    expect(outcomes.map((o) => o.status)).toEqual(['denied', 'ran', 'ran']);
  });

  it('keeps per-user and global cooldowns on the clock', async () => {
    const { clock, router, outcomes } = setup();
    router.register({ name: 'u', description: 'x', userCooldownMs: 10_000, run: () => undefined });
    router.register({ name: 'g', description: 'x', globalCooldownMs: 5_000, run: () => undefined });
    await router.handle(event('!u', 'a'));
    await router.handle(event('!u', 'a'));
    await router.handle(event('!u', 'b'));
    await router.handle(event('!g', 'a'));
    await router.handle(event('!g', 'b'));
    clock.advance(5_000);
    await router.handle(event('!g', 'b'));
    clock.advance(5_000);
    await router.handle(event('!u', 'a'));
    expect(outcomes.map((o) => ('code' in o ? o.code : o.status))).toEqual(['ran', 'user-cooldown', 'ran', 'ran', 'global-cooldown', 'ran', 'ran']);
  });

  it('limits how many commands one viewer can fire (flood), not moderators', async () => {
    const { router, outcomes } = setup({ count: 3, windowMs: 10_000 });
    router.register({ name: 'x', description: 'x', run: () => undefined });
    for (let i = 0; i < 5; i++) await router.handle(event('!x', 'spammer'));
    for (let i = 0; i < 5; i++) await router.handle(event('!x', 'mod', ['moderator']));
    expect(outcomes.filter((o) => 'code' in o && o.code === 'flood')).toHaveLength(2);
  });

  it('turns a throwing or rejecting command into a failed outcome', async () => {
    const { router, outcomes } = setup();
    router.register({
      name: 'boom',
      description: 'x',
      run: () => {
        throw new Error('sync');
      },
    });
    router.register({
      name: 'later',
      description: 'x',
      run: async () => {
        throw new Error('async');
      },
    });
    await router.handle(event('!boom'));
    await router.handle(event('!later'));
    expect(outcomes.map((o) => o.status)).toEqual(['failed', 'failed']);
  });

  it('ignores deletions, bans and system events', async () => {
    const { router, outcomes } = setup();
    router.register(helpCommand);
    await router.handle(event('!help', 'a', [], 'deletion'));
    expect(outcomes[0]).toEqual({ status: 'ignored', code: 'not-chat' });
  });

  it('help never repeats an unknown word the viewer typed', async () => {
    const { router, replies } = setup();
    router.register(helpCommand);
    await router.handle(event('!help <img src=x onerror=alert(1)>'));
    expect(replies[0]).not.toContain('img');
    await router.handle(event('!help help', 'other'));
    expect(replies[1]).toBe('!help [command]: lists the commands, or explains one');
  });
});
