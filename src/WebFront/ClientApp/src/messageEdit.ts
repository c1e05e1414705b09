import { el } from "./dom";
import type { Message } from "./types";

/**
 * Replaces a message's text with an editor in place: Enter (or Save) saves, Escape (or Cancel) leaves it unchanged.
 * `save` answers whether the edit went through; a failed save keeps the editor open with the text typed so far.
 */
export function startInlineEdit(node: HTMLLIElement, message: Message, save: (text: string) => Promise<boolean>, done: () => void): void {
  const field = el("textarea", { id: `edit-${message.id}`, rows: 2, maxlength: 10000 });
  field.value = message.message;
  const submit = async () => {
    const text = field.value;
    if (text.trim().length === 0 || text === message.message || (await save(text))) done();
  };
  const form = el(
    "form",
    { class: "msg-edit" },
    el("label", { for: field.id }, "Edit message"),
    field,
    el("div", { class: "form-buttons" }, el("button", { type: "submit" }, "Save"), el("button", { type: "button", class: "secondary", onclick: done }, "Cancel")),
  );
  field.addEventListener("keydown", (e: KeyboardEvent) => {
    if (e.key === "Escape") {
      e.preventDefault();
      done();
    } else if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      void submit();
    }
  });
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    void submit();
  });
  node.querySelector(".msg-text")?.replaceWith(form);
  node.querySelector(".msg-foot")?.remove();
  node.querySelector(".reactions")?.remove();
  field.focus();
}
