/**
 * The YouTube simulator's resources: chat messages as `liveChatMessage` resources, and the
 * catalogue calls (videos, channels, playlistItems, liveBroadcasts) answered from its videos and
 * channels, with the fields the Data API documents.
 */

export interface SimAuthor {
  readonly channelId: string;
  readonly displayName: string;
  readonly owner?: boolean;
  readonly moderator?: boolean;
  readonly member?: boolean;
}

export interface SimVideo {
  liveChatId?: string;
  actualStartTime?: string;
  actualEndTime?: string;
  owner: boolean;
  channelId: string;
  title: string;
  publishedAt: string;
}

/** A `liveChatMessage` resource. */
export function liveChatMessage(
  id: string,
  liveChatId: string,
  author: SimAuthor,
  text: string,
  type: string,
  details: Record<string, unknown>,
  now: number,
): Record<string, unknown> {
  return {
    kind: 'youtube#liveChatMessage',
    id,
    snippet: {
      type,
      liveChatId,
      authorChannelId: author.channelId,
      publishedAt: new Date(now).toISOString(),
      hasDisplayContent: true,
      displayMessage: text,
      ...(type === 'textMessageEvent' ? { textMessageDetails: { messageText: text } } : {}),
      ...details,
    },
    authorDetails: {
      channelId: author.channelId,
      displayName: author.displayName,
      isChatOwner: author.owner ?? false,
      isChatModerator: author.moderator ?? false,
      isChatSponsor: author.member ?? false,
      isVerified: false,
    },
  };
}

export type CatalogueAnswer = { readonly body: unknown } | { readonly status: number; readonly error: string; readonly domain: string };

/** The answer to a catalogue call (its quota is counted by the caller, errors included). */
export function catalogue(
  method: 'videos' | 'channels' | 'playlistItems' | 'broadcasts',
  url: URL,
  videos: ReadonlyMap<string, SimVideo>,
  channels: ReadonlyMap<string, { handle: string }>,
  now: number,
): CatalogueAnswer {
  switch (method) {
    case 'videos': {
      const ids = url.searchParams.getAll('id').flatMap((x) => x.split(','));
      const items = ids.flatMap((id) => {
        const v = videos.get(id);
        if (!v) return [];
        const live = Boolean(v.liveChatId);
        const details = live
          ? { activeLiveChatId: v.liveChatId, actualStartTime: v.actualStartTime }
          : v.actualEndTime
            ? { actualStartTime: v.actualStartTime, actualEndTime: v.actualEndTime }
            : { scheduledStartTime: new Date(now + 3_600_000).toISOString() };
        const state = live ? 'live' : v.actualEndTime ? 'none' : 'upcoming';
        return [
          { id, snippet: { title: v.title, channelId: v.channelId, publishedAt: v.publishedAt, liveBroadcastContent: state }, liveStreamingDetails: details },
        ];
      });
      return { body: { kind: 'youtube#videoListResponse', items } };
    }
    case 'channels': {
      const handle = url.searchParams.get('forHandle');
      const id = url.searchParams.get('id');
      const wanted = handle && (handle.startsWith('@') ? handle : `@${handle}`).toLowerCase();
      const found = [...channels.entries()].filter(([cid, c]) => (wanted && c.handle.toLowerCase() === wanted) || cid === id);
      return {
        body: {
          kind: 'youtube#channelListResponse',
          items: found.map(([cid]) => ({ id: cid, contentDetails: { relatedPlaylists: { uploads: `UU${cid.slice(2)}` } } })),
        },
      };
    }
    case 'playlistItems': {
      const playlist = url.searchParams.get('playlistId') ?? '';
      const channelId = `UC${playlist.slice(2)}`;
      const max = Number(url.searchParams.get('maxResults') ?? 5);
      const uploads = [...videos.entries()]
        .filter(([, v]) => v.channelId === channelId)
        .reverse()
        .slice(0, max);
      if (!playlist.startsWith('UU') || (uploads.length === 0 && !channels.has(channelId)))
        return { status: 404, error: 'playlistNotFound', domain: 'youtube.playlistItem' };
      const items = uploads.map(([id, v]) => ({
        id: `pi-${id}`,
        snippet: { title: v.title, publishedAt: v.publishedAt, resourceId: { videoId: id } },
        contentDetails: { videoId: id, videoPublishedAt: v.publishedAt },
      }));
      return { body: { kind: 'youtube#playlistItemListResponse', items } };
    }
    case 'broadcasts': {
      const live = [...videos.entries()].filter(([, v]) => v.owner && v.liveChatId);
      return {
        body: {
          kind: 'youtube#liveBroadcastListResponse',
          items: live.map(([id, v]) => ({ id, snippet: { liveChatId: v.liveChatId, actualStartTime: v.actualStartTime, title: v.title } })),
        },
      };
    }
  }
}
