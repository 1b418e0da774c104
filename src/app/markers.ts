import type { EventBus } from '../core/index.js';
import type { Config } from '../config/index.js';
import { createStreamMarker } from '../platforms/twitch/index.js';
import type { Store } from '../store/index.js';
import type { DomainEvents } from './events.js';
import type { Runtime } from './runtime.js';

/** A Twitch stream marker at each topic change, when the channel owner's token is given. */
export function wireStreamMarkers(config: Config, bus: EventBus<DomainEvents>, store: Store, rt: Runtime): void {
  const markers = config.twitch?.markers;
  const token = config.secrets.twitchBroadcasterToken;
  if (!markers || !token) return;
  bus.on('topic-changed', (topic) => {
    void rt.guard('twitch.marker', async () => {
      const { positionSeconds } = await createStreamMarker({ ...markers, token }, topic.title);
      store.markers.add({ streamId: topic.streamId, topicId: topic.id, createdAt: rt.clock.now(), positionSeconds, description: topic.title });
    })();
  });
}
