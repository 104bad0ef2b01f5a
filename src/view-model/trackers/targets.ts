// Which trackers a run asks: all of them, one tier, or one tracker. The choices the command offers, the
// words the panel shows for them, and the checks on a choice that comes from outside (another extension,
// the editor's tracker rows, a restored panel's saved state), which is never trusted as it is.
import type { Secrets } from '../../core/privacy/secrets';
import type { TrackerTarget } from '../../core/tracker/types';
import { trackerProtocol } from '../../core/tracker/url';
import type { RunKind, RunTarget } from '../../shared/protocol/trackers';
import { notificationText } from '../notification-text';

/** Trackers chosen, words for them, and the target that chooses them again (URLs redacted). */
export interface TrackerChoice {
  trackers: TrackerTarget[];
  scope: string;
  target: RunTarget;
}

/**
 * How a torrent's URLs are shown: through its secrets (made without `show`: they only hide), unless the
 * user shows secrets.
 */
export interface UrlShowing {
  secrets: Secrets;
  show: boolean;
}

export function shownUrl(url: string, showing: UrlShowing): string {
  return showing.show ? url : showing.secrets.redactUrl(url);
}

/** A target from a caller we do not control: only a plain object with `all: true`, a tier index or a string URL counts. */
export function runTargetFrom(value: unknown): RunTarget | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const { all, tier, url } = value as { all?: unknown; tier?: unknown; url?: unknown };
  if (all === true) return { all: true };
  if (typeof url === 'string') return { url };
  if (typeof tier === 'number' && Number.isInteger(tier) && tier >= 0) return { tier };
  return undefined;
}

export interface SavedRunSource {
  kind: RunKind;
  torrentUri: string;
  /** Checked by the command (`runTargetFrom`), as any caller's target is. */
  target: unknown;
}

/** What a restored panel's saved webview state says about its last run; the state is checked, not trusted. */
export function savedRunSource(state: unknown): SavedRunSource | undefined {
  const run = (state as { run?: unknown } | null | undefined)?.run;
  if (typeof run !== 'object' || run === null) return undefined;
  const { kind, source } = run as { kind?: unknown; source?: { torrentUri?: unknown; target?: unknown } | null };
  if ((kind !== 'announce' && kind !== 'scrape') || typeof source?.torrentUri !== 'string') return undefined;
  return { kind, torrentUri: source.torrentUri, target: source.target };
}

/** What a target asks, in words: `all trackers`, `tier 2`, or the one tracker's URL (as shown). */
export function scopeOf(target: RunTarget, trackers: readonly TrackerTarget[], showing: UrlShowing): string {
  if ('all' in target) return 'all trackers';
  if ('tier' in target) return `tier ${target.tier + 1}`;
  return trackers.length === 1 ? shownUrl(trackers[0].url, showing) : target.url;
}

export function allTrackers(all: TrackerTarget[]): TrackerChoice {
  return { trackers: all, scope: 'all trackers', target: { all: true } };
}

export function oneTier(all: TrackerTarget[], tier: number): TrackerChoice {
  return { trackers: all.filter((t) => t.tier === tier), scope: `tier ${tier + 1}`, target: { tier } };
}

/** One tracker; the target saved for a later run names it by its redacted URL, whatever the user shows. */
export function oneTracker(tracker: TrackerTarget, showing: UrlShowing): TrackerChoice {
  return { trackers: [tracker], scope: shownUrl(tracker.url, showing), target: { url: showing.secrets.redactUrl(tracker.url) } };
}

/** The trackers a target names, or why it names none. */
export function trackersFor(all: TrackerTarget[], target: RunTarget, showing: UrlShowing): TrackerChoice | { error: string } {
  if ('all' in target) return allTrackers(all);
  if ('url' in target) {
    // The editor passes the URL as the torrent has it; a restored panel its redacted form.
    const match = all.find((t) => t.url === target.url) ?? all.find((t) => showing.secrets.redactUrl(t.url) === target.url);
    if (match) return oneTracker(match, showing);
    return { error: `This torrent does not list the tracker ${shownUrl(target.url, showing)}.` };
  }
  if (all.some((t) => t.tier === target.tier)) return oneTier(all, target.tier);
  return { error: `This torrent has no tier ${target.tier + 1}.` };
}

/**
 * An entry of the tracker picker: a heading, or a choice with its label (codicon syntax; the URL in it
 * escaped for the picker, see notification-text.ts) and description.
 */
export type TrackerPick = { heading: string } | { label: string; description: string; choice: TrackerChoice };

/** The picker's entries: all trackers, then each tier (when there are several), then each tracker. */
export function trackerPicks(all: TrackerTarget[], showing: UrlShowing): TrackerPick[] {
  const tiers = [...new Set(all.map((t) => t.tier))];
  const picks: TrackerPick[] = [
    {
      label: '$(broadcast) All trackers',
      description: `${all.length} trackers in ${tiers.length} tier${tiers.length === 1 ? '' : 's'}, all at once`,
      choice: allTrackers(all),
    },
  ];
  if (tiers.length > 1) {
    picks.push({ heading: 'Tiers' });
    for (const tier of tiers) {
      const choice = oneTier(all, tier);
      const count = choice.trackers.length;
      picks.push({ label: `$(layers) Tier ${tier + 1}`, description: `${count} tracker${count === 1 ? '' : 's'}`, choice });
    }
  }
  picks.push({ heading: 'Trackers' });
  for (const tracker of all) {
    const protocol = trackerProtocol(tracker.url);
    picks.push({
      label: `$(radio-tower) ${notificationText(shownUrl(tracker.url, showing))}`,
      description: `tier ${tracker.tier + 1} · ${protocol === 'unsupported' ? 'not supported' : protocol.toUpperCase()}`,
      choice: oneTracker(tracker, showing),
    });
  }
  return picks;
}
