import type { Thread, UserRef } from "./types";
import type { Session } from "./session";

export function formatTime(iso: string | null | undefined): string {
  if (!iso) return "";
  const date = new Date(iso);
  const sameDay = date.toDateString() === new Date().toDateString();
  return sameDay
    ? date.toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" })
    : date.toLocaleDateString(undefined, { month: "short", day: "numeric" });
}

/** The participant the signed-in user talks to; service and admin accounts see the freelancer side. */
export function otherParticipant(thread: Thread, session: Session): { user: UserRef; profile: string } {
  if (session.userId === thread.freelancer.id) {
    return { user: thread.client.user, profile: thread.client.company_name ?? "Client" };
  }
  const parts = [thread.freelancer.title, thread.freelancer.rate ? `$${thread.freelancer.rate}/h` : null].filter(Boolean);
  return { user: thread.freelancer.user, profile: parts.length > 0 ? parts.join(" · ") : "Freelancer" };
}

export function threadActivity(thread: Thread): string {
  return thread.last_message_at ?? thread.created_at;
}

/** 1,572,864 bytes → "1.5 MB" (units of 1024, as chat apps show sizes; the 25 MiB limit reads "25 MB"). */
export function humanSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ["KB", "MB", "GB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}
