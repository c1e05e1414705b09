import { Api } from "./api";
import { ConversationView } from "./conversation";
import { el } from "./dom";
import { ChatConnection, type ConnectionState } from "./realtime";
import { navigate, threadIdFromPath } from "./router";
import { currentSession, forgetToken, type Session } from "./session";
import { ThreadListView } from "./threadList";

const stateText: Record<ConnectionState, string> = {
  connecting: "Connecting…",
  connected: "Connected",
  reconnecting: "Reconnecting…",
  offline: "Offline",
  expired: "Session expired",
};

/** The signed-in client: header with connection state, thread list and the open conversation. */
export function startApp(root: HTMLElement, session: Session, signIn: (reason?: string) => void): void {
  let stopped = false;
  const signOut = (reason?: string) => {
    if (stopped) return;
    stopped = true;
    forgetToken();
    void hub.stop();
    window.removeEventListener("popstate", onPopState);
    navigate(null);
    signIn(reason);
  };
  const api = new Api(() => session.token, () => signOut("Your session has expired or was refused. Sign in again."));
  const hub = new ChatConnection(() => session.token, () => currentSession() !== null);
  const threads = new ThreadListView(api, session, (id, seq) => show(id, seq));
  const pane = el("div", { class: "conversation-pane" }, el("p", { class: "placeholder muted" }, "Choose a thread, or start one."));
  const connection = el("p", { class: "connection", role: "status", "data-state": "connecting" }, stateText.connecting);
  const layout = el("div", { class: "layout" }, threads.element, pane);

  root.replaceChildren(
    el(
      "header",
      { class: "topbar" },
      el("h1", {}, "OrleansChat"),
      connection,
      el("span", { class: "me" }, `${session.username} (${session.role})`),
      el("button", { type: "button", class: "secondary", title: `Signed in as ${session.username}`, onclick: () => signOut() }, "Sign out"),
    ),
    layout,
  );

  hub.onState((state, retryInMs) => {
    connection.dataset.state = state;
    connection.textContent = state === "offline" && retryInMs ? `Offline — retrying in ${Math.ceil(retryInMs / 1000)} s` : stateText[state];
    if (state === "expired") signOut("Your session has expired. Sign in again.");
  });

  let conversation: ConversationView | null = null;
  const current = (threadId: number) => (conversation?.threadId === threadId ? conversation : null);
  hub.on("chat_message", (m) => current(m.thread)?.onMessage(m));
  hub.on("message_edited", (m) => current(m.thread)?.onEdited(m));
  hub.on("message_deleted", (d) => current(d.thread)?.onDeleted(d));
  hub.on("messages_read", (r) => current(r.thread)?.onRead(r));
  hub.on("messages_delivered", (d) => current(d.thread)?.onDelivered(d));
  hub.on("reaction_updated", (r) => current(r.thread)?.onReaction(r));
  hub.on("typing_indicator", (t) => current(t.thread)?.onTyping(t));
  hub.on("unread_count", (u) => threads.setUnread(u));
  hub.on("thread_updated", (t) => threads.upsert(t));
  hub.on("presence", (p) => {
    threads.setPresence(p);
    conversation?.onPresence(p);
  });
  // A new connection may have missed list changes too.
  hub.onResync(() => void threads.load());

  /** Opens a thread (at one message: a search hit). */
  function show(threadId: number | null, seq?: number): void {
    navigate(threadId);
    route(seq);
  }

  function route(seq?: number): void {
    const threadId = threadIdFromPath();
    layout.classList.toggle("has-thread", threadId !== null);
    threads.setActive(threadId);
    if (conversation !== null && conversation.threadId === threadId) {
      if (seq !== undefined) void conversation.showMessage(seq);
      return;
    }
    conversation?.dispose();
    conversation = null;
    if (threadId === null) {
      pane.replaceChildren(el("p", { class: "placeholder muted" }, "Choose a thread, or start one."));
      return;
    }
    const view = new ConversationView(threadId, api, hub, session, () => show(null));
    conversation = view;
    pane.replaceChildren(view.element);
    void view.open().then(() => (seq === undefined ? view.focusComposer() : view.showMessage(seq)));
  }

  const onPopState = () => route();
  window.addEventListener("popstate", onPopState);
  // Any authenticated request records the profile, so others can start threads with this user.
  void api.me().then(() => threads.load());
  void hub.start();
  route();
}
