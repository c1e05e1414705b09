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
