import { el } from "./dom";
import { formatTime } from "./format";
import type { Message } from "./types";

export interface MessageActions {
  edit(message: Message): void;
  remove(message: Message): void;
}

const cardTitles: Record<string, string> = { payment: "Payment", dispute: "Dispute", job_update: "Job update" };

/** One message as a list item. Text goes in through text nodes only (see dom.ts): a message is never markup. */
export function renderMessage(message: Message, myId: number, actions: MessageActions): HTMLLIElement {
  const own = message.sender.id === myId;
  const item = el("li", {
    class: `msg msg-${message.message_type.replace("_", "-")} ${own ? "own" : "theirs"}`,
    "data-seq": message.seq,
    "data-id": message.id,
    "data-type": message.message_type,
  });
  if (message.message_type === "system") {
    item.append(el("p", { class: "msg-text" }, message.message), el("time", { datetime: message.sent_at }, formatTime(message.sent_at)));
    return item;
  }
  item.append(meta(message));
  if (message.is_deleted) {
    item.classList.add("deleted");
    item.append(el("p", { class: "msg-text msg-tombstone" }, "This message was deleted."));
    return item;
  }
  if (message.message_type in cardTitles) item.append(card(message));
  item.append(el("p", { class: "msg-text" }, message.message));
  if (own) item.append(footer(message, actions));
  return item;
}

function meta(message: Message): HTMLElement {
  return el(
    "div",
    { class: "msg-meta" },
    el("span", { class: "msg-sender" }, message.sender.username),
    " ",
    el("time", { datetime: message.sent_at }, formatTime(message.sent_at)),
    message.is_edited && !message.is_deleted ? el("span", { class: "msg-edited" }, " (edited)") : null,
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

function footer(message: Message, actions: MessageActions): HTMLElement {
  const state = message.is_read ? "read" : message.is_delivered ? "delivered" : "sent";
  const receipt = el(
    "span",
    {
      class: "receipt",
      "data-read": message.is_read ? "true" : "false",
      "data-receipt": state,
      title: { read: "Read by the other side", delivered: "Delivered, not read yet", sent: "Sent" }[state],
    },
    { read: "✓✓ Read", delivered: "✓✓ Delivered", sent: "✓ Sent" }[state],
  );
  const editable = message.message_type === "text";
  return el(
    "div",
    { class: "msg-foot" },
    receipt,
    editable
      ? el("button", { type: "button", class: "link", "aria-label": `Edit message ${message.seq}`, onclick: () => actions.edit(message) }, "Edit")
      : null,
    el("button", { type: "button", class: "link", "aria-label": `Delete message ${message.seq}`, onclick: () => actions.remove(message) }, "Delete"),
  );
}

/** An own message not yet acknowledged by the server. */
export function renderPending(text: string): { node: HTMLLIElement; status: HTMLElement } {
  const status = el("span", { class: "receipt pending-status" }, "Sending…");
  const node = el("li", { class: "msg msg-text own pending" }, el("p", { class: "msg-text" }, text), el("div", { class: "msg-foot" }, status));
  return { node, status };
}
