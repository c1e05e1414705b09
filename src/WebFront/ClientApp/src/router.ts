// Two routes: /app/ (thread list) and /app/threads/{id} (a conversation), with history support.

export function threadIdFromPath(path: string = window.location.pathname): number | null {
  const match = /^\/app\/threads\/(\d+)\/?$/.exec(path);
  return match ? Number(match[1]) : null;
}

export function navigate(threadId: number | null): void {
  const path = threadId === null ? "/app/" : `/app/threads/${threadId}`;
  if (window.location.pathname !== path) window.history.pushState(null, "", path);
}
