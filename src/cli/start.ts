import { App } from '../app/index.js';
import { credentialProblems, dataPaths, formatProblems, secretValues } from '../config/index.js';
import { createLogger, isLecternError, toError } from '../core/index.js';
import { dashboardToken } from '../dashboard/index.js';
import { configOrExit, EXIT, privateFiles, tightenDataFolder, withSignals, type Io } from './io.js';
import { watchConfig } from './reload.js';

/**
 * Holds the process until the signal, by intent: a timer that keeps the event loop alive, so the
 * service runs whatever is configured (a YouTube reader waiting between calls holds nothing open).
 * `onIdle` runs if the loop empties anyway.
 */
function untilSignal(signal: AbortSignal, onIdle: () => void): Promise<void> {
  return new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const keepAlive = setInterval(() => undefined, 1 << 30);
    const idle = () => {
      onIdle();
      done();
    };
    const done = () => {
      clearInterval(keepAlive);
      process.off('beforeExit', idle);
      resolve();
    };
    process.once('beforeExit', idle);
    signal.addEventListener('abort', done, { once: true });
  });
}

export async function start(configPath: string, io: Io): Promise<number> {
  const config = configOrExit(configPath, io);
  if (typeof config === 'number') return config;
  if (!config.twitch && !config.youtube) {
    io.err(`Invalid configuration in ${configPath}: nothing to connect to; add a twitch or youtube section (knowledge alone is enough for lectern search)`);
    return EXIT.usage;
  }
  const missing = credentialProblems(config);
  if (missing.length) {
    io.err(`Secrets missing from the environment for ${configPath} (${missing.length}):\n${formatProblems(missing)}`);
    return EXIT.usage;
  }
  privateFiles();
  let dash: ReturnType<typeof dashboardToken> | undefined;
  try {
    dash = config.dashboard.enabled ? dashboardToken(config.secrets.dashboardToken, dataPaths(config).dashboardToken) : undefined;
  } catch (err) {
    io.err(`lectern: ${toError(err).message}`);
    return EXIT.usage;
  }
  const logger = createLogger({ level: config.log.level, secrets: [...secretValues(config), ...(dash ? [dash.token] : [])], pretty: io.isTty });
  tightenDataFolder(config, logger);
  // The dashboard's address comes first, before the platforms' log lines.
  const showDashboard = (url: string, overlayUrl: string) => {
    if (!dash) return;
    const file = dataPaths(config).dashboardToken;
    // The token is shown only to a person at a terminal, never into a log (Docker, systemd).
    if (io.errIsTty && dash.created)
      io.err(`Dashboard: ${url}/?token=${dash.token}\n  (a new token, kept in ${file}; the link logs this browser in)\nOverlay for OBS: ${overlayUrl}`);
    else if (io.errIsTty) io.err(`Dashboard: ${url}/  (log in with the link \`lectern dashboard-url\` prints)\nOverlay for OBS: ${overlayUrl}`);
    else io.err(`Dashboard: ${url}/ (log in with the link \`lectern dashboard-url\` prints; the token is in ${file})`);
  };
  const app = new App({ config, logger, dashboardToken: dash?.token, onDashboard: (d) => showDashboard(d.url, d.overlayUrl) });
  let code: number = EXIT.ok;
  await withSignals(logger, async (signal) => {
    try {
      await app.start();
    } catch (err) {
      // A refusal Lectern explains (a config error, the database in use) is logged as its sentence;
      // only what nobody foresaw carries a stack trace.
      if (isLecternError(err)) logger.fatal({ code: err.code, reason: err.message }, 'could not start');
      else logger.fatal({ code: 'INTERNAL', err: toError(err) }, 'could not start');
      io.err(`lectern: ${toError(err).message}`);
      code = isLecternError(err, 'CONFIG_INVALID') ? EXIT.usage : EXIT.failure;
      await app.stop();
      return;
    }
    // With what each platform is doing ("waiting for channel @x to go live…"), not only its state.
    logger.info({ platforms: app.statuses().map((s) => `${s.platform}:${s.state}${s.detail ? ` (${s.detail})` : ''}`) }, 'lectern is running; Ctrl-C to stop');
    // Edits of the config file (and SIGHUP) apply without a restart.
    const unwatch = watchConfig(configPath, io, app, logger);
    await untilSignal(signal, () => {
      // Nothing should ever let the service end by itself; if it does, say so and fail.
      logger.fatal('the service stopped on its own: nothing was left running');
      io.err('lectern: the service stopped on its own (this is a bug); exiting with 1');
      code = EXIT.failure;
    });
    unwatch();
    await app.stop();
  });
  return code;
}
