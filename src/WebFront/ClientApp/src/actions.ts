import { ApiError, type Api } from "./api";
import { el } from "./dom";
import type { Message, Thread } from "./types";

type Field = HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement;

interface ActionForm {
  button: string;
  submit: string;
  fields: (threadId: number) => Field[];
  post(api: Api, threadId: number, values: Record<string, string>): Promise<Message>;
}

const jobStatuses = ["open", "in_progress", "submitted", "completed", "cancelled"];

const forms: Record<string, ActionForm> = {
  dispute: {
    button: "Open dispute",
    submit: "Open dispute",
    fields: () => [input("reason", "Reason", { required: true, maxlength: 200 }), textarea("description", "Description (optional)")],
    post: (api, id, v) => api.createDispute(id, { reason: v.reason, description: v.description || null }),
  },
  payment: {
    button: "Initiate payment",
    submit: "Send payment",
    fields: () => [
      input("amount", "Amount", { required: true, inputmode: "decimal", pattern: "\\d{1,12}(\\.\\d{1,2})?", placeholder: "120.50" }),
      input("currency", "Currency", { required: true, pattern: "[A-Z]{3}", value: "USD", maxlength: 3 }),
      textarea("description", "Description (optional)"),
    ],
    post: (api, id, v) => api.initiatePayment(id, { amount: v.amount, currency: v.currency, description: v.description || null }),
  },
  job: {
    button: "Job update",
    submit: "Post job update",
    fields: () => [select("status", "Job status", jobStatuses), textarea("note", "Note (optional)")],
    post: (api, id, v) => api.jobUpdate(id, { status: v.status, note: v.note || null }),
  },
};

let fieldCounter = 0;

function labelled(field: Field, label: string): HTMLElement {
  field.id = `action-field-${++fieldCounter}`;
  const wrapper = el("div", { class: "field" }, el("label", { for: field.id }, label), field);
  return wrapper;
}

function input(name: string, label: string, attrs: Record<string, string | number | boolean>): HTMLInputElement {
  const field = el("input", { name, type: "text", ...attrs });
  field.dataset.label = label;
  return field;
}

function textarea(name: string, label: string): HTMLTextAreaElement {
  const field = el("textarea", { name, rows: 2, maxlength: 2000 });
  field.dataset.label = label;
  return field;
}

function select(name: string, label: string, options: string[]): HTMLSelectElement {
  const field = el("select", { name }, ...options.map((o) => el("option", { value: o }, o.replace("_", " "))));
  field.dataset.label = label;
  return field;
}

/**
 * The buttons for the thread's typed messages (dispute, payment — the thread's client only — and job update); each
 * opens a small form. The posted message also arrives as a live event; the caller merges both by seq.
 */
export function renderThreadActions(thread: Thread, myId: number, api: Api, posted: (message: Message) => void): HTMLElement {
  const panel = el("div", { class: "action-panel" });
  const bar = el("div", { class: "action-bar", role: "toolbar", "aria-label": "Thread actions" });
  const container = el("div", { class: "actions" }, bar, panel);
  const available = Object.entries(forms).filter(([key]) => key !== "payment" || thread.client.id === myId);
  for (const [key, form] of available) {
    const button = el("button", { type: "button", "aria-expanded": "false", "data-action": key }, form.button);
    button.addEventListener("click", () => {
      const open = button.getAttribute("aria-expanded") === "true";
      bar.querySelectorAll("button").forEach((b) => b.setAttribute("aria-expanded", "false"));
      panel.replaceChildren();
      if (!open) {
        button.setAttribute("aria-expanded", "true");
        panel.append(buildForm(form, thread.id, api, posted, () => {
          button.setAttribute("aria-expanded", "false");
          panel.replaceChildren();
          button.focus();
        }));
        panel.querySelector<HTMLElement>("input, select, textarea")?.focus();
      }
    });
    bar.append(button);
  }
  return container;
}

function buildForm(form: ActionForm, threadId: number, api: Api, posted: (m: Message) => void, close: () => void): HTMLFormElement {
  const fields = form.fields(threadId);
  const error = el("p", { class: "form-error", role: "alert" });
  const element = el(
    "form",
    { class: "action-form", "aria-label": form.button },
    ...fields.map((f) => labelled(f, f.dataset.label ?? f.name)),
    el("div", { class: "form-buttons" }, el("button", { type: "submit" }, form.submit), el("button", { type: "button", class: "secondary", onclick: close }, "Cancel")),
    error,
  );
  element.addEventListener("keydown", (e: KeyboardEvent) => {
    if (e.key === "Escape") close();
  });
  element.addEventListener("submit", async (e) => {
    e.preventDefault();
    const values = Object.fromEntries(fields.map((f) => [f.name, f.value.trim()]));
    try {
      posted(await form.post(api, threadId, values));
      close();
    } catch (failure) {
      error.textContent = failure instanceof ApiError ? failure.message : "Could not post.";
    }
  });
  return element;
}
