import "./styles.css";
import "./attachments.css";
import { startApp } from "./app";
import { adoptTokenFromUrl, currentSession, type Session } from "./session";
import { renderSignIn } from "./signIn";

const root = document.getElementById("root")!;

function signIn(reason?: string): void {
  renderSignIn(root, (session: Session) => startApp(root, session, signIn), reason);
}

adoptTokenFromUrl();
const session = currentSession();
if (session === null) signIn();
else startApp(root, session, signIn);
