import { renderAttachments, type AttachmentSource } from "./attachmentView";
import { el } from "./dom";
import { formatTime } from "./format";
import { quoteLines, renderQuote } from "./quote";
import { renderReactions, type ReactionActions } from "./reactions";
import type { Message, ReplyQuote } from "./types";

export interface MessageActions extends ReactionActions, AttachmentSource {
  reply(message: Message): void;
  edit(message: Message): void;
  remove(message: Message): void;
  history(message: Message): void;
  showParent(quote: ReplyQuote): void;
}

/** How one message is shown beyond its own fields: whose view, an open reaction picker, a highlight (search hit). */
export interface MessageLook {
  myId: number;
  pickerOpen: boolean;
  highlighted: boolean;
}

const cardTitles: Record<string, string> = { payment: "Payment", dispute: "Dispute", job_update: "Job update" };

/** One message as a list item. Text goes in through text nodes only (see dom.ts): a message is never markup. */
export function renderMessage(message: Message, look: MessageLook, actions: MessageActions): HTMLLIElement {
  const own = message.sender.id === look.myId;
  const item = el("li", {
    class: `msg msg-${message.message_type.replace("_", "-")} ${own ? "own" : "theirs"}${look.highlighted ? " highlight" : ""}`,
    "data-seq": message.seq,
    "data-id": message.id,
    "data-type": message.message_type,
  });
  if (message.message_type === "system") {
    item.append(el("p", { class: "msg-text" }, message.message), el("time", { datetime: message.sent_at }, formatTime(message.sent_at)));
    return item;
  }
  item.append(meta(message, actions));
  if (message.is_deleted) {
    item.classList.add("deleted");
    item.append(el("p", { class: "msg-text msg-tombstone" }, "This message was deleted."));
    return item;
  }
  if (message.reply_to) item.append(renderQuote(message.reply_to, actions.showParent));
  if (message.message_type in cardTitles) item.append(card(message));
  // A message may be only its files (spec §8): then no empty text paragraph.
  if (message.message !== "" || !message.attachments?.length) item.append(el("p", { class: "msg-text" }, message.message));
  const files = renderAttachments(message, actions);
  if (files) item.append(files);
  const reactions = renderReactions(message, actions, look.pickerOpen);
  if (reactions) item.append(reactions);
  item.append(footer(message, own, look.pickerOpen, actions));
  return item;
}

function meta(message: Message, actions: MessageActions): HTMLElement {
  // "(edited)" opens the versions the edits replaced (spec §7: readable while the message is not deleted).
  const edited =
    message.is_edited && !message.is_deleted
      ? el(
          "button",
          { type: "button", class: "link msg-edited", "aria-label": `Edit history of message ${message.seq}`, title: "Show the edit history", onclick: () => actions.history(message) },
          "(edited)",
        )
      : null;
  return el(
    "div",
    { class: "msg-meta" },
    el("span", { class: "msg-sender" }, message.sender.username),
    " ",
    el("time", { datetime: message.sent_at }, formatTime(message.sent_at)),
    edited ? " " : null,
    edited,
  );
}

/** The typed messages' facts (amount, status, reason, note) come from metadata, also shown as text. */
function card(message: Message): HTMLElement {
  const data = message.metadata ?? {};
  const text = (key: string): string | null => (typeof data[key] === "string" ? (data[key] as string) : null);
  const status = text("status");
  const head = el(
    "div",
    { class: "card-head" },
    el("span", { class: "card-kind" }, cardTitles[message.message_type]),
    status ? el("span", { class: "card-status", "data-status": status }, status.replace("_", " ")) : null,
  );
  const body: (HTMLElement | null)[] = [];
  if (message.message_type === "payment") {
    body.push(el("p", { class: "card-amount" }, `${text("amount") ?? "?"} ${text("currency") ?? ""}`.trim()));
    body.push(text("description") ? el("p", { class: "card-detail" }, text("description")) : null);
  } else if (message.message_type === "dispute") {
    body.push(el("p", { class: "card-reason" }, text("reason")));
    body.push(text("description") ? el("p", { class: "card-detail" }, text("description")) : null);
  } else {
    body.push(text("note") ? el("p", { class: "card-detail" }, text("note")) : null);
  }
  return el("div", { class: "card" }, head, ...body);
}

/** Receipt (own messages) and the actions: reply and react for everyone, edit and delete for the sender. */
function footer(message: Message, own: boolean, pickerOpen: boolean, actions: MessageActions): HTMLElement {
  const state = message.is_read ? "read" : message.is_delivered ? "delivered" : "sent";
  const receipt = own
    ? el(
        "span",
        {
          class: "receipt",
          "data-read": message.is_read ? "true" : "false",
          "data-receipt": state,
          title: { read: "Read by the other side", delivered: "Delivered, not read yet", sent: "Sent" }[state],
        },
        { read: "✓✓ Read", delivered: "✓✓ Delivered", sent: "✓ Sent" }[state],
      )
    : null;
  const action = (label: string, text: string, run: () => void, extra: Record<string, string> = {}) =>
    el("button", { type: "button", class: "link", "aria-label": `${label} ${message.seq}`, onclick: run, ...extra }, text);
  return el(
    "div",
    { class: "msg-foot" },
    receipt,
    el("span", { class: "msg-spacer" }),
    action("Reply to message", "Reply", () => actions.reply(message)),
    action("React to message", "React", () => actions.togglePicker(message), { "aria-expanded": pickerOpen ? "true" : "false" }),
    own && message.message_type === "text" ? action("Edit message", "Edit", () => actions.edit(message)) : null,
    own ? action("Delete message", "Delete", () => actions.remove(message)) : null,
  );
}

/** An own message not yet acknowledged by the server (with the quote it replies to and its files' names, if any). */
export function renderPending(text: string, replyTo: ReplyQuote | null, fileNames: string[] = []): { node: HTMLLIElement; status: HTMLElement } {
  const status = el("span", { class: "receipt pending-status" }, "Sending…");
  const quote = replyTo ? el("div", { class: "quote" }, ...quoteLines(replyTo)) : null;
  const files = fileNames.length > 0 ? el("p", { class: "pending-files" }, `📎 ${fileNames.join(", ")}`) : null;
  const node = el("li", { class: "msg msg-text own pending" }, quote, text !== "" ? el("p", { class: "msg-text" }, text) : null, files, el("div", { class: "msg-foot" }, status));
  return { node, status };
}
