export { TwitchSim, type SimUser, type SentMessage, type TwitchSimOptions } from './twitch-sim.js';
