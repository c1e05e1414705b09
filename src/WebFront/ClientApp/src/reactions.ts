import { el } from "./dom";
import type { Message, Reaction, ReactionUpdated } from "./types";

/** The picker's emoji, each well within spec §7's 1 … 8 code points (❤️ is two: the heart and its emoji selector). */
export const pickerEmoji = ["👍", "❤️", "😂", "😮", "😢", "🙏"] as const;

/** Spec §7: at most 20 distinct emoji on a message, at most 10 of them from one user. */
export const maxDistinctEmoji = 20;
export const maxOwnEmoji = 10;

export interface ReactionActions {
  toggle(message: Message, emoji: string, add: boolean): void;
  togglePicker(message: Message): void;
}

/**
 * Applies a `reaction_updated` event: `count` is the emoji's new total, so applying it twice (or after the React
 * call's own answer) lands on the same state. A count of 0 removes the chip; a new emoji goes last (first use order).
 */
export function applyReactionUpdate(reactions: Reaction[], update: ReactionUpdated, myId: number): Reaction[] {
  const mine = update.user.id === myId;
  const index = reactions.findIndex((r) => r.emoji === update.emoji);
  const known = index >= 0 ? reactions[index] : null;
  const updated: Reaction = { emoji: update.emoji, count: update.count, me: mine ? update.added : (known?.me ?? false) };
  if (update.count <= 0) return reactions.filter((r) => r.emoji !== update.emoji);
  if (known === null) return [...reactions, updated];
  return reactions.map((r, i) => (i === index ? updated : r));
}

/** Whether the user may add `emoji` to a message that has `reactions` (the server answers 422 otherwise). */
export function canAdd(reactions: Reaction[], emoji: string): boolean {
  const own = reactions.filter((r) => r.me).length;
  const present = reactions.some((r) => r.emoji === emoji);
  return own < maxOwnEmoji && (present || reactions.length < maxDistinctEmoji);
}

/** The chips under a message (count, own highlighted, click toggles) and, when open, the picker. */
export function renderReactions(message: Message, actions: ReactionActions, pickerOpen: boolean): HTMLElement | null {
  const reactions = message.reactions ?? [];
  if (reactions.length === 0 && !pickerOpen) return null;
  const chips = reactions.map((reaction) => {
    const disabled = !reaction.me && !canAdd(reactions, reaction.emoji);
    const who = reaction.me ? (reaction.count === 1 ? "you" : `you and ${reaction.count - 1} more`) : `${reaction.count}`;
    return el(
      "button",
      {
        type: "button",
        class: "reaction",
        "data-emoji": reaction.emoji,
        "aria-pressed": reaction.me ? "true" : "false",
        "aria-label": `${reaction.emoji} ${who}; ${reaction.me ? "remove your reaction" : "react too"}`,
        disabled,
        onclick: () => actions.toggle(message, reaction.emoji, !reaction.me),
      },
      el("span", { class: "reaction-emoji" }, reaction.emoji),
      el("span", { class: "reaction-count" }, reaction.count),
    );
  });
  return el("div", { class: "reactions" }, ...chips, pickerOpen ? renderPicker(message, actions) : null);
}

function renderPicker(message: Message, actions: ReactionActions): HTMLElement {
  const reactions = message.reactions ?? [];
  const picker = el(
    "div",
    { class: "reaction-picker", role: "group", "aria-label": `Reactions for message ${message.seq}` },
    ...pickerEmoji.map((emoji) => {
      const mine = reactions.some((r) => r.emoji === emoji && r.me);
      return el(
        "button",
        {
          type: "button",
          class: "pick",
          "data-emoji": emoji,
          "aria-pressed": mine ? "true" : "false",
          "aria-label": `React with ${emoji}`,
          disabled: !mine && !canAdd(reactions, emoji),
          onclick: () => {
            actions.toggle(message, emoji, !mine);
            actions.togglePicker(message);
          },
        },
        emoji,
      );
    }),
  );
  picker.addEventListener("keydown", (e: KeyboardEvent) => {
    if (e.key === "Escape") {
      e.stopPropagation();
      actions.togglePicker(message);
    }
  });
  return picker;
}
