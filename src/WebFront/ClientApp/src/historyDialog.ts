import { ApiError, type Api } from "./api";
import { el } from "./dom";
import type { Message, MessageVersion } from "./types";

function fullTime(iso: string): string {
  return new Date(iso).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

function versionItem(version: MessageVersion, index: number, count: number): HTMLLIElement {
  const label = index === 0 ? "Sent" : index === count - 1 ? "Current" : `Edit ${index}`;
  return el(
    "li",
    { class: "version", "data-version": version.version },
    el("div", { class: "version-head" }, el("strong", {}, label), " ", el("time", { datetime: version.at }, fullTime(version.at))),
    el("p", { class: "version-text" }, version.message),
  );
}

/**
 * The message's edit history (spec §7) in a modal dialog: every version oldest first, the current text last.
 * Escape or Close closes it and gives focus back to what opened it.
 */
export async function openHistory(api: Api, message: Message): Promise<void> {
  const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  const body = el("div", { class: "history-body" }, el("p", { class: "muted" }, "Loading…"));
  const close = el("button", { type: "button", class: "secondary" }, "Close");
  const title = `history-title-${message.id}`;
  const dialog = el(
    "dialog",
    { class: "history", "aria-labelledby": title, "data-message-id": message.id },
    el("h2", { id: title }, `Edit history · ${message.sender.username}`),
    body,
    el("div", { class: "form-buttons" }, close),
  );
  close.addEventListener("click", () => dialog.close());
  dialog.addEventListener("close", () => {
    dialog.remove();
    opener?.focus();
  });
  // A click on the backdrop (outside the dialog's box) closes it too.
  dialog.addEventListener("click", (e: MouseEvent) => {
    if (e.target !== dialog) return;
    const box = dialog.getBoundingClientRect();
    if (e.clientX < box.left || e.clientX > box.right || e.clientY < box.top || e.clientY > box.bottom) dialog.close();
  });
  document.body.append(dialog);
  dialog.showModal();
  close.focus();
  try {
    const versions = (await api.history(message.id)).results;
    body.replaceChildren(el("ol", { class: "versions" }, ...versions.map((v, i) => versionItem(v, i, versions.length))));
  } catch (failure) {
    const text = failure instanceof ApiError && failure.status === 404 ? "This message's history is no longer available." : "Could not load the history.";
    body.replaceChildren(el("p", { class: "form-error", role: "alert" }, text));
  }
}
