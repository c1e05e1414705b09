import type { Api } from "./api";
import { el } from "./dom";
import type { PresenceChanged } from "./types";

/** How often the header's "last seen … ago" is rewritten, so it does not go stale while the thread stays open. */
const refreshEveryMs = 30_000;

/**
 * The online dot: filled green when online, a grey ring when not, so the shape differs as well as the colour, and
 * the state is also in its accessible name and tooltip. `username` null = decorative (the text beside it says it).
 */
export function presenceDot(online: boolean, username: string | null): HTMLElement {
  const label = username === null ? null : `${username} is ${online ? "online" : "offline"}`;
  return el("span", {
    class: "presence-dot",
    "data-online": online ? "true" : "false",
    role: label === null ? null : "img",
    "aria-label": label,
    title: label,
    "aria-hidden": label === null ? "true" : null,
  });
}

/** "just now", "5 min ago", "3 h ago", "yesterday", "4 days ago", else the date. A clock ahead of ours counts as now. */
export function relativeTime(iso: string, now: number = Date.now()): string {
  const seconds = Math.max(0, (now - new Date(iso).getTime()) / 1000);
  if (seconds < 60) return "just now";
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  const days = Math.floor(hours / 24);
  if (days === 1) return "yesterday";
  if (days < 7) return `${days} days ago`;
  return `on ${new Date(iso).toLocaleDateString(undefined, { year: "numeric", month: "short", day: "numeric" })}`;
}

type Status = { online: boolean; last_seen_at: string | null };

/**
 * The conversation header's "online" / "last seen 5 min ago" for the other participant: read with the GET when the
 * thread opens (and after every reconnect, which may have missed events), then kept live by `presence` events.
 */
export class PresenceLine {
  readonly element = el("p", { class: "presence", "data-online": "unknown" });
  private status: Status | null = null;
  /** Counts events, so a GET answered after a newer event does not overwrite it. */
  private events = 0;
  private readonly timer: number;

  constructor(
    private readonly api: Api,
    readonly userId: number,
  ) {
    this.timer = window.setInterval(() => this.render(), refreshEveryMs);
  }

  async refresh(): Promise<void> {
    const eventsBefore = this.events;
    try {
      const status = await this.api.presence(this.userId);
      if (this.events === eventsBefore) this.show(status);
    } catch {
      // Presence is a nicety: the conversation works without it, and the next event or reconnect tries again.
    }
  }

  apply(change: PresenceChanged): void {
    if (change.user.id !== this.userId) return;
    this.events++;
    this.show(change);
  }

  dispose(): void {
    window.clearInterval(this.timer);
  }

  private show(status: Status): void {
    this.status = { online: status.online, last_seen_at: status.last_seen_at };
    this.render();
  }

  private render(): void {
    const status = this.status;
    if (status === null) return;
    this.element.dataset.online = status.online ? "true" : "false";
    if (status.online) {
      this.element.replaceChildren(presenceDot(true, null), "online");
    } else if (status.last_seen_at === null) {
      this.element.replaceChildren(presenceDot(false, null), "offline");
    } else {
      const at = new Date(status.last_seen_at);
      this.element.replaceChildren(
        presenceDot(false, null),
        "last seen ",
        el("time", { datetime: status.last_seen_at, title: at.toLocaleString() }, relativeTime(status.last_seen_at)),
      );
    }
  }
}
