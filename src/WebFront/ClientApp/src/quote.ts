import { el } from "./dom";
import type { Message, ReplyQuote } from "./types";

/** Spec §7: a quote carries the parent's text cut to 200 code points (not UTF-16 units: an emoji is never split). */
export const quoteLength = 200;

export function quoteOf(parent: Message): ReplyQuote {
  return {
    id: parent.id,
    seq: parent.seq,
    sender: parent.sender,
    message: parent.is_deleted ? "" : Array.from(parent.message).slice(0, quoteLength).join(""),
    is_deleted: parent.is_deleted,
  };
}

/** The quote's two lines: who wrote the parent and what it says now (or that it was deleted). */
export function quoteLines(quote: ReplyQuote): HTMLElement[] {
  return [
    el("span", { class: "quote-sender" }, quote.sender.username),
    quote.is_deleted
      ? el("span", { class: "quote-text quote-deleted" }, "Deleted message")
      : el("span", { class: "quote-text" }, quote.message),
  ];
}

/** The quote inside a reply; clicking it shows the parent in the conversation. */
export function renderQuote(quote: ReplyQuote, show: (quote: ReplyQuote) => void): HTMLElement {
  return el(
    "button",
    {
      type: "button",
      class: "quote",
      "data-reply-to": quote.id,
      title: "Show the message this replies to",
      onclick: () => show(quote),
    },
    ...quoteLines(quote),
  );
}
