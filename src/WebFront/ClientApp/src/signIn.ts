import { ApiError, mintDevToken } from "./api";
import { el } from "./dom";
import { storeToken, type Session } from "./session";

/**
 * Sign-in: in Development a form mints a token from /api/dev/token; anywhere a marketplace token can be pasted
 * (scripts open /app/?token=<jwt> instead).
 */
export function renderSignIn(root: HTMLElement, signedIn: (session: Session) => void, reason?: string): void {
  const error = el("p", { class: "form-error", role: "alert" }, reason ?? "");
  const field = (id: string, label: string, input: HTMLInputElement | HTMLSelectElement) => {
    input.id = id;
    return el("div", { class: "field" }, el("label", { for: id }, label), input);
  };
  const userId = el("input", { name: "user_id", type: "number", min: 1, required: true, inputmode: "numeric" });
  const username = el("input", { name: "username", type: "text", required: true, maxlength: 150, autocomplete: "username" });
  const role = el("select", { name: "role" }, ...["client", "freelancer", "admin", "service"].map((r) => el("option", { value: r }, r)));
  const company = el("input", { name: "company_name", type: "text", maxlength: 200 });
  const title = el("input", { name: "title", type: "text", maxlength: 200 });
  const rate = el("input", { name: "rate", type: "text", inputmode: "decimal", pattern: "\\d{1,12}(\\.\\d{1,2})?", placeholder: "50.00" });
  const companyField = field("dev-company", "Company name", company);
  const titleField = field("dev-title", "Title", title);
  const rateField = field("dev-rate", "Hourly rate", rate);
  const showProfileFields = () => {
    companyField.hidden = role.value !== "client";
    titleField.hidden = rateField.hidden = role.value !== "freelancer";
  };
  role.addEventListener("change", showProfileFields);
  showProfileFields();

  const dev = el(
    "form",
    { class: "card-form", "aria-labelledby": "dev-heading" },
    el("h2", { id: "dev-heading" }, "Development sign-in"),
    el("p", { class: "muted" }, "Mints a token signed with the server's development key."),
    field("dev-user-id", "User id", userId),
    field("dev-username", "Username", username),
    field("dev-role", "Role", role),
    companyField,
    titleField,
    rateField,
    el("button", { type: "submit" }, "Sign in"),
  );
  dev.addEventListener("submit", async (e) => {
    e.preventDefault();
    error.textContent = "";
    const optional = (input: HTMLInputElement, visible: boolean) => (visible && input.value.trim() ? input.value.trim() : null);
    try {
      const token = await mintDevToken({
        user_id: Number(userId.value),
        username: username.value.trim(),
        role: role.value,
        company_name: optional(company, role.value === "client"),
        title: optional(title, role.value === "freelancer"),
        rate: optional(rate, role.value === "freelancer"),
      });
      finish(token);
    } catch (failure) {
      error.textContent = failure instanceof ApiError ? failure.message : "Sign-in failed.";
    }
  });

  const tokenInput = el("textarea", { id: "paste-token", rows: 3, required: true, spellcheck: false });
  const paste = el(
    "form",
    { class: "card-form", "aria-labelledby": "token-heading" },
    el("h2", { id: "token-heading" }, "Use a marketplace token"),
    el("div", { class: "field" }, el("label", { for: tokenInput.id }, "Token (JWT)"), tokenInput),
    el("button", { type: "submit" }, "Use token"),
  );
  paste.addEventListener("submit", (e) => {
    e.preventDefault();
    finish(tokenInput.value);
  });

  function finish(token: string) {
    const session = storeToken(token);
    if (session === null) {
      error.textContent = "That is not a usable token.";
      return;
    }
    signedIn(session);
  }

  root.replaceChildren(
    el("main", { class: "sign-in" }, el("h1", {}, "OrleansChat"), error, dev, paste),
  );
  userId.focus();
}
