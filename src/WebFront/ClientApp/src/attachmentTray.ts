import { ApiError, type Api } from "./api";
import { el } from "./dom";
import { humanSize } from "./format";
import type { UploadedAttachment } from "./types";

/** Spec §8: at most 26,214,400 bytes per file (the server answers 413 above) and 10 attachments per message. */
export const maxFileBytes = 26_214_400;
export const maxAttachments = 10;
const tooLarge = `Too large: the limit is ${humanSize(maxFileBytes)} per file.`;

interface Upload {
  name: string;
  chip: HTMLLIElement;
  uploaded: UploadedAttachment | null;
  failed: boolean;
  abort(): void;
}

/**
 * The files waiting above the composer, one chip each (name, size, a progress bar while uploading, the error when
 * refused, × to remove). A file uploads the moment it is added, so the send only names ids that are already durable.
 */
export class AttachmentTray {
  readonly element = el("ul", { class: "attachment-tray", "aria-label": "Files to send", hidden: true });
  private uploads: Upload[] = [];

  constructor(
    private readonly threadId: number,
    private readonly api: Api,
  ) {}

  /** Files still uploading: the send waits for them (it would otherwise go without them). */
  get uploading(): boolean {
    return this.uploads.some((u) => u.uploaded === null && !u.failed);
  }

  get hasReady(): boolean {
    return this.uploads.some((u) => u.uploaded !== null);
  }

  add(files: Iterable<File>): void {
    for (const file of files) this.start(file);
    this.refresh();
  }

  /** The uploaded files go with a send and leave the tray; failed chips stay so their error can still be read. */
  takeReady(): UploadedAttachment[] {
    const ready = this.uploads.filter((u) => u.uploaded !== null);
    for (const upload of ready) upload.chip.remove();
    this.uploads = this.uploads.filter((u) => u.uploaded === null);
    this.refresh();
    return ready.map((u) => u.uploaded!);
  }

  /** A send was refused: its files come back to the tray, still uploaded, for the next try. */
  restore(attachments: UploadedAttachment[]): void {
    for (const attachment of attachments) {
      const upload: Upload = { name: attachment.file_name, chip: el("li"), uploaded: attachment, failed: false, abort: () => undefined };
      this.renderChip(upload, attachment.size);
      this.uploads.push(upload);
      this.element.append(upload.chip);
    }
    this.refresh();
  }

  dispose(): void {
    for (const upload of this.uploads) upload.abort();
  }

  private start(file: File): void {
    const upload: Upload = { name: file.name, chip: el("li"), uploaded: null, failed: false, abort: () => undefined };
    this.renderChip(upload, file.size);
    this.uploads.push(upload);
    this.element.append(upload.chip);
    const progress = upload.chip.querySelector("progress")!;
    // Refused here without sending 25 MiB for nothing; the server's 413 says the same for any client.
    if (file.size > maxFileBytes) return this.fail(upload, tooLarge);
    if (this.uploads.filter((u) => !u.failed).length > maxAttachments) return this.fail(upload, `At most ${maxAttachments} files per message.`);
    const transfer = this.api.uploadAttachment(this.threadId, file, (fraction) => (progress.value = fraction));
    upload.abort = transfer.abort;
    transfer.done.then(
      (uploaded) => {
        upload.uploaded = uploaded;
        upload.chip.dataset.state = "done";
        progress.value = 1;
        progress.hidden = true;
      },
      (failure: unknown) => {
        const detail = failure instanceof ApiError ? failure.message : "The upload failed.";
        this.fail(upload, failure instanceof ApiError && failure.status === 413 ? tooLarge : `Not uploaded: ${detail}`);
      },
    );
  }

  private renderChip(upload: Upload, size: number): void {
    const done = upload.uploaded !== null;
    upload.chip.className = "attachment-chip";
    upload.chip.dataset.state = done ? "done" : "uploading";
    upload.chip.replaceChildren(
      el("span", { class: "chip-icon", "aria-hidden": "true" }, "📎"),
      el("span", { class: "chip-name" }, upload.name),
      el("span", { class: "chip-size" }, humanSize(size)),
      el("progress", { class: "chip-progress", max: 1, value: done ? 1 : 0, hidden: done, "aria-label": `Uploading ${upload.name}` }),
      el("span", { class: "chip-error", role: "alert" }),
      el("button", { type: "button", class: "link chip-remove", "aria-label": `Remove ${upload.name}`, title: "Remove", onclick: () => this.remove(upload) }, "×"),
    );
  }

  private fail(upload: Upload, text: string): void {
    upload.failed = true;
    upload.chip.dataset.state = "error";
    upload.chip.querySelector("progress")!.hidden = true;
    upload.chip.querySelector(".chip-error")!.textContent = text;
  }

  /** Removing a chip cancels its upload; an upload that finished stays unattached and the server drops it after 24 h. */
  private remove(upload: Upload): void {
    upload.abort();
    upload.chip.remove();
    this.uploads = this.uploads.filter((u) => u !== upload);
    this.refresh();
  }

  private refresh(): void {
    this.element.hidden = this.uploads.length === 0;
  }
}
