import type { Api } from "./api";
import { el } from "./dom";
import type { Attachment } from "./types";

/**
 * Attachments as blob: URLs. Their url needs the bearer token, which <img src> and plain links cannot send, so the
 * bytes are fetched once per attachment and shown from memory; the URLs are revoked when the conversation closes
 * or the message is deleted, so a long session does not keep every file it ever showed.
 */
export class AttachmentBlobs {
  private readonly urls = new Map<number, Promise<string>>();
  private disposed = false;

  constructor(private readonly api: Api) {}

  url(attachment: Attachment): Promise<string> {
    let url = this.urls.get(attachment.id);
    if (url === undefined) {
      url = this.api.download(attachment.url).then((blob) => {
        if (this.disposed) throw new Error("The conversation was closed.");
        return URL.createObjectURL(blob);
      });
      // A failed download is tried again the next time the message is shown.
      url.catch(() => this.urls.delete(attachment.id));
      this.urls.set(attachment.id, url);
    }
    return url;
  }

  /** Saves the file under its own name: a temporary link to the blob with a `download` attribute. */
  async save(attachment: Attachment): Promise<void> {
    const link = el("a", { href: await this.url(attachment), download: attachment.file_name, hidden: true });
    document.body.append(link);
    link.click();
    link.remove();
  }

  forget(attachments: Attachment[]): void {
    for (const attachment of attachments) {
      void this.urls.get(attachment.id)?.then((url) => URL.revokeObjectURL(url), () => undefined);
      this.urls.delete(attachment.id);
    }
  }

  dispose(): void {
    this.disposed = true;
    for (const url of this.urls.values()) void url.then((u) => URL.revokeObjectURL(u), () => undefined);
    this.urls.clear();
  }
}
