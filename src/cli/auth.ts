import { dataPaths, type Config } from '../config/index.js';
import { toError } from '../core/index.js';
import { TokenStore, twitchDeviceFlow, validateTwitchToken, youtubeLoopbackFlow } from '../auth/index.js';
import { MODERATION_SCOPE } from '../platforms/twitch/index.js';
import { configOrExit, EXIT, type Io } from './io.js';

function tokenStoreFor(config: Config): TokenStore {
  return new TokenStore(dataPaths(config).tokens);
}

/** `lectern auth twitch`: Device Code Flow with the app's client id; stores the tokens. */
export async function authTwitch(configPath: string, io: Io, opts: { sleep?: (ms: number) => Promise<void> } = {}): Promise<number> {
  const config = configOrExit(configPath, io);
  if (typeof config === 'number') return config;
  const auth = config.twitch?.auth;
  if (!auth) {
    // twitch.clientId (or markers.clientId) alone is not enough: start uses a linked account only
    // with twitch.auth set, and would still ask for TWITCH_OAUTH_TOKEN.
    const known = config.twitch?.clientId ?? config.twitch?.markers?.clientId;
    io.err(
      known
        ? `lectern auth twitch: linking the bot account needs a twitch.auth section, which start also looks for: add "auth: { clientId: ${known} }" under twitch (twitch.clientId alone is only used for Helix)`
        : "lectern auth twitch: set twitch.auth.clientId (your Twitch application's client id) in the config first",
    );
    return EXIT.usage;
  }
  const scopes = [
    'chat:read',
    'chat:edit',
    ...(config.twitch?.markers ? ['channel:manage:broadcast'] : []),
    // Link protection deletes messages through Helix.
    ...(config.moderation.links ? [MODERATION_SCOPE] : []),
  ];
  try {
    const client = { clientId: auth.clientId, clientSecret: config.secrets.twitchClientSecret };
    const token = await twitchDeviceFlow({
      client,
      scopes,
      endpoints: auth,
      show: (uri, code) =>
        io.err(
          `To link the bot's Twitch account, open ${uri} while logged in as ${config.twitch?.username ?? 'the bot account'} and enter the code ${code}. Waiting…`,
        ),
      sleep: opts.sleep,
    });
    const who = await validateTwitchToken(auth, token.accessToken!);
    tokenStoreFor(config).set('twitch', { ...token, ...(who ? { login: who.login } : {}) });
    io.out(`Linked Twitch account ${who?.login ?? ''} with scopes ${token.scopes.join(' ')}.`);
    // The bot speaks as the linked account: another one than twitch.username is most likely the
    // streamer's own, logged in by mistake. Kept (it works), but said loudly.
    const wanted = config.twitch?.username;
    if (who && wanted && who.login.toLowerCase() !== wanted.toLowerCase())
      io.err(
        `Note: twitch.username is ${wanted}, but the account linked is ${who.login}: the bot will speak as ${who.login}. If that is not the bot account, log in as ${wanted} and run \`lectern auth twitch\` again (or set twitch.username: ${who.login}).`,
      );
    io.err('A running service uses the new account after a restart.');
    return EXIT.ok;
  } catch (err) {
    io.err(`lectern auth twitch: ${toError(err).message}`);
    return EXIT.failure;
  }
}

/** `lectern auth youtube`: installed-app OAuth with a loopback redirect and PKCE. */
export async function authYouTube(configPath: string, io: Io, opts: { readOnly: boolean; open?: (url: string) => void }): Promise<number> {
  const config = configOrExit(configPath, io);
  if (typeof config === 'number') return config;
  const y = config.youtube;
  const { youtubeClientId: clientId, youtubeClientSecret: clientSecret } = config.secrets;
  if (!y || !clientId || !clientSecret) {
    const missing = [
      ...(y ? [] : [`a youtube section in ${configPath} (youtube: { channelId: "@yourhandle" } at least)`]),
      ...[!clientId ? 'YOUTUBE_CLIENT_ID' : '', !clientSecret ? 'YOUTUBE_CLIENT_SECRET' : ''].filter(Boolean).map((v) => `${v} in the environment`),
    ];
    io.err(
      `lectern auth youtube: missing ${missing.join(', and ')}${clientId && clientSecret ? '' : ' (an OAuth client of type "Desktop app" from the Google Cloud console)'}`,
    );
    return EXIT.usage;
  }
  try {
    const token = await youtubeLoopbackFlow({
      clientId,
      clientSecret,
      authorizeUrl: y.oauth.authorizeUrl,
      tokenUrl: y.oauth.tokenUrl,
      readOnly: opts.readOnly,
      show: (url) => {
        io.err(`Open this address in a browser and allow Lectern ${opts.readOnly ? 'to read' : 'to read and post in'} your live chat:\n${url}`);
        opts.open?.(url);
      },
    });
    tokenStoreFor(config).set('youtube', token);
    io.out(`Linked YouTube with scope ${token.scopes.join(' ')}. Note: consent screens left in "Testing" issue refresh tokens that expire after 7 days.`);
    io.err(
      'Start the service with YOUTUBE_CLIENT_ID and YOUTUBE_CLIENT_SECRET set too: without them it reads YouTube with the API key only and cannot answer. A running service uses the account after a restart.',
    );
    return EXIT.ok;
  } catch (err) {
    io.err(`lectern auth youtube: ${toError(err).message}`);
    return EXIT.failure;
  }
}
