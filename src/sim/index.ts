export { TwitchSim, type SimUser, type SentMessage, type TwitchSimOptions } from './twitch-sim.js';
export { runScript, type ScriptStep, type ScriptRunOptions } from './scripted-stream.js';
export { DEMO_SCRIPT, LAST_WEEK_SCRIPT } from './demo-script.js';
export { YouTubeSim, type YouTubeSimOptions, type YouTubeFault, type YouTubeMethod, type SimAuthor, type CallRecord } from './youtube-sim.js';
export { HelixSim } from './helix-sim.js';
export { TwitchAuthSim } from './twitch-auth-sim.js';
