import { el } from "./dom";
import { humanSize } from "./format";
import type { Attachment, Message } from "./types";

/** How a message's files get their bytes: blob: URLs fetched with the token (see attachmentBlobs.ts). */
export interface AttachmentSource {
  attachmentUrl(attachment: Attachment): Promise<string>;
  saveAttachment(attachment: Attachment): void;
}

/** The types a browser shows as a picture; the server keeps these only when the bytes confirm them (spec §8). */
const imageTypes = new Set(["image/png", "image/jpeg", "image/gif", "image/webp"]);

/** A message's files: images as previews (a click opens the full size in a new tab), anything else as a file card. */
export function renderAttachments(message: Message, source: AttachmentSource): HTMLElement | null {
  const attachments = message.attachments ?? [];
  if (attachments.length === 0) return null;
  return el(
    "ul",
    { class: "attachments", "aria-label": "Attachments" },
    ...attachments.map((a) => el("li", { "data-attachment-id": a.id }, imageTypes.has(a.content_type) ? preview(a, source) : fileCard(a, source))),
  );
}

function preview(attachment: Attachment, source: AttachmentSource): HTMLElement {
  const image = el("img", { class: "attachment-image", alt: attachment.file_name });
  const link = el(
    "a",
    { class: "attachment-preview", target: "_blank", rel: "noopener", title: `${attachment.file_name} · ${humanSize(attachment.size)} (opens full size)` },
    image,
  );
  source.attachmentUrl(attachment).then(
    (url) => {
      image.src = url;
      link.href = url;
    },
    () => link.replaceWith(fileCard(attachment, source)),
  );
  return link;
}

function fileCard(attachment: Attachment, source: AttachmentSource): HTMLElement {
  const name = attachment.file_name;
  return el(
    "div",
    { class: "file-card" },
    el("span", { class: "file-icon", "aria-hidden": "true" }, attachment.content_type === "application/pdf" ? "📕" : "📄"),
    el("span", { class: "file-name", title: name }, name),
    el("span", { class: "file-size" }, humanSize(attachment.size)),
    el(
      "a",
      {
        class: "file-download",
        href: attachment.url,
        download: name,
        "aria-label": `Download ${name}`,
        // The url needs the token: the click fetches the bytes with it and saves them under the file's name.
        onclick: (e: MouseEvent) => {
          e.preventDefault();
          source.saveAttachment(attachment);
        },
      },
      "Download",
    ),
  );
}
