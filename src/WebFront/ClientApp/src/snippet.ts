import { el } from "./dom";

// Search results show the part of a message around the first matched word, with the query's words marked. The
// server matches whole words (the last also as a prefix, spec §8); marking every word as a prefix is close enough.

const before = 40;
const length = 160;

export function queryWords(q: string): string[] {
  return q.split(/\s+/u).filter((w) => w.length > 0);
}

function wordPattern(words: string[]): RegExp | null {
  if (words.length === 0) return null;
  const escaped = words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).sort((a, b) => b.length - a.length);
  return new RegExp(`(?<![\\p{L}\\p{N}_])(?:${escaped.join("|")})`, "giu");
}

/** Whether a UTF-16 index falls inside a surrogate pair (slicing there would split a character). */
function splitsPair(text: string, index: number): boolean {
  const code = text.charCodeAt(index);
  return code >= 0xdc00 && code <= 0xdfff;
}

/** At most ~160 characters of `text` around its first match, with "…" where it was cut. */
export function snippet(text: string, words: string[]): string {
  const flat = text.replace(/\s+/gu, " ").trim();
  if (flat.length <= length) return flat;
  const first = wordPattern(words)?.exec(flat)?.index ?? 0;
  let start = Math.max(0, first - before);
  if (start > 0) {
    const space = flat.indexOf(" ", start);
    if (space >= 0 && space < first) start = space + 1;
  }
  let end = Math.min(flat.length, start + length);
  if (splitsPair(flat, start)) start++;
  if (end < flat.length && splitsPair(flat, end)) end--;
  return `${start > 0 ? "…" : ""}${flat.slice(start, end)}${end < flat.length ? "…" : ""}`;
}

/** The text as text nodes, with each occurrence of a query word in a `<mark>` (never parsed as markup). */
export function highlightWords(text: string, words: string[]): Node[] {
  const pattern = wordPattern(words);
  if (pattern === null) return [document.createTextNode(text)];
  const nodes: Node[] = [];
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    const at = match.index ?? 0;
    if (at > last) nodes.push(document.createTextNode(text.slice(last, at)));
    nodes.push(el("mark", {}, match[0]));
    last = at + match[0].length;
  }
  if (last < text.length) nodes.push(document.createTextNode(text.slice(last)));
  return nodes;
}
