import type { Role } from "./types";

// Session storage: the token lives as long as the tab, and a script's ?token= never stays in the address bar or history.
const storageKey = "orleanschat.token";

export interface Session {
  token: string;
  userId: number;
  username: string;
  role: Role;
  /** Expiry, seconds since the epoch. */
  exp: number;
}

/** Moves `?token=` from the address bar into session storage. */
export function adoptTokenFromUrl(): void {
  const url = new URL(window.location.href);
  const token = url.searchParams.get("token");
  if (token === null) return;
  url.searchParams.delete("token");
  window.history.replaceState(window.history.state, "", url.pathname + url.search + url.hash);
  if (parse(token) !== null) sessionStorage.setItem(storageKey, token);
}

export function currentSession(): Session | null {
  const token = sessionStorage.getItem(storageKey);
  const session = token === null ? null : parse(token);
  if (session === null || session.exp * 1000 <= Date.now()) {
    sessionStorage.removeItem(storageKey);
    return null;
  }
  return session;
}

export function storeToken(token: string): Session | null {
  const session = parse(token);
  if (session !== null) sessionStorage.setItem(storageKey, token);
  return session;
}

export function forgetToken(): void {
  sessionStorage.removeItem(storageKey);
}

/** Reads the claims for display and routing only; the server is the one that verifies the signature. */
function parse(token: string): Session | null {
  const parts = token.trim().split(".");
  if (parts.length !== 3) return null;
  try {
    const base64 = parts[1].replace(/-/g, "+").replace(/_/g, "/");
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    const claims = JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
    const userId = Number(claims.sub);
    if (!Number.isSafeInteger(userId) || userId <= 0 || typeof claims.username !== "string" || typeof claims.exp !== "number") {
      return null;
    }
    return { token: token.trim(), userId, username: claims.username, role: claims.role as Role, exp: claims.exp };
  } catch {
    return null;
  }
}
