export { parseConfig, formatProblems, secretValues, dataPaths, credentialProblems, SECRET_ENV } from './load.js';
export type { Config, ConfigProblem, ConfigResult, Secrets } from './load.js';
export { TWITCH_DEFAULT_SERVER, YOUTUBE_DEFAULTS } from './schema.js';
export { durations, type Durations } from './units.js';
