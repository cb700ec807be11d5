/// DOM helper, API client, host-down banner, session handling and the page frame.
enum ScriptCore {
    static let source = #"""
const base = document.querySelector('meta[name="tether-base"]').getAttribute("content") || "/";
const apiRoot = base + "_console/api/";
const state = { user: null, loginMessage: "", flash: null, pageTimers: [], heartbeat: null, hostDown: false };

/** Builds an element. Strings become text nodes; `on*` attributes become listeners. */
function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith("on") && typeof value === "function") el.addEventListener(key.slice(2), value);
    else if (key === "class") el.className = value;
    else if (typeof value === "boolean" && key in el) el[key] = value;
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

class ApiError extends Error {
  constructor(status, body) {
    super(body.error || body.message || ("HTTP " + status));
    this.status = status;
    this.code = body.code || "";
    this.detail = body.detail;
  }
}

/** One call to the console API; 401 sends the user back to the login page. */
async function call(method, path, body) {
  let response;
  try {
    response = await fetch(apiRoot + path, {
      method, credentials: "same-origin", cache: "no-store",
      headers: method === "GET" ? {} : { "Content-Type": "application/json", "X-Tether-Console": "1" },
      body: method === "GET" ? undefined : JSON.stringify(body || {}),
    });
  } catch (error) {
    hostUnreachable();
    throw new ApiError(0, { error: "The Tether host is not answering.", code: "unreachable" });
  }
  let payload = {};
  try { payload = await response.json(); } catch (error) { payload = {}; }
  hostReachable();
  if (response.status === 401 && path !== "login") {
    const signedIn = state.user !== null;
    sessionLost(payload.code === "no_session"
      ? (signedIn ? "Your session has ended. Please log in again." : "")
      : (payload.error || "Please log in again."));
    throw new ApiError(401, payload);
  }
  if (!response.ok) throw new ApiError(response.status, payload);
  return payload;
}

/** Runs a host command through the console and returns its result. */
async function run(command, args) {
  return (await call("POST", "run/" + command, args || {})).result;
}

function showBanner(text, kind) {
  const banner = document.getElementById("banner");
  banner.textContent = text;
  banner.className = "banner" + (kind ? " " + kind : "");
  banner.hidden = !text;
}

function hostUnreachable() {
  if (state.hostDown) return;
  state.hostDown = true;
  showBanner("Lost contact with the Tether host: it may have stopped or restarted. Retrying every few seconds…");
}

function hostReachable() {
  if (!state.hostDown) return;
  state.hostDown = false;
  showBanner("");
}

/** Checks the session every few seconds: notices expiry and a stopped host without a click. */
function startHeartbeat() {
  if (state.heartbeat) return;
  state.heartbeat = setInterval(() => { call("GET", "session").catch(() => {}); }, 3000);
}

function stopHeartbeat() {
  clearInterval(state.heartbeat);
  state.heartbeat = null;
}

function sessionLost(message) {
  state.user = null;
  stopHeartbeat();
  clearPageTimers();
  state.loginMessage = message;
  if (location.hash !== "#/login") {
    state.returnTo = location.hash;
    location.hash = "#/login";
  } else {
    renderLogin();
  }
}

/** Timers that belong to the current view; cleared on navigation. */
function every(milliseconds, task) {
  state.pageTimers.push(setInterval(task, milliseconds));
}

function clearPageTimers() {
  state.pageTimers.forEach(clearInterval);
  state.pageTimers = [];
}

async function logout() {
  try { await call("POST", "logout"); } catch (error) { /* the cookie is cleared by the answer, or the host is gone */ }
  sessionLost("You have logged out.");
}

function renderLogin() {
  stopHeartbeat();
  document.title = "Log in · Tether console";
  const message = h("p", { id: "login-message", class: "notice", role: "status" }, state.loginMessage || "");
  const failure = h("p", { id: "login-error", class: "formerror", role: "alert" });
  const username = h("input", { id: "login-username", type: "text", name: "username", autocomplete: "username", required: true });
  const password = h("input", { id: "login-password", type: "password", name: "password", autocomplete: "current-password", required: true });
  const submit = h("button", { id: "login-submit", type: "submit", class: "primary" }, "Log in");
  const form = h("form", { class: "stack", id: "login-form", novalidate: true },
    h("div", { class: "field" }, h("label", { for: "login-username" }, "User name"), username),
    h("div", { class: "field" }, h("label", { for: "login-password" }, "Password"), password),
    failure, h("div", { class: "actions" }, submit));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    failure.textContent = "";
    if (!username.value || !password.value) { failure.textContent = "Enter the user name and the password."; return; }
    submit.disabled = true;
    try {
      const session = await call("POST", "login", { username: username.value, password: password.value });
      state.user = session.username;
      state.loginMessage = "";
      startHeartbeat();
      const target = state.returnTo && state.returnTo !== "#/login" ? state.returnTo : "#/devices";
      state.returnTo = null;
      location.hash = target;
    } catch (error) {
      failure.textContent = error.status === 401 ? error.message : "Could not log in: " + error.message;
      password.value = "";
      password.focus();
    } finally {
      submit.disabled = false;
    }
  });
  document.getElementById("app").replaceChildren(
    h("main", { class: "login panel", id: "main" }, h("h1", {}, "Tether console"), message, form));
  username.focus();
}

const menu = [["devices", "Devices"], ["ciraconfigs", "CIRA Configs"], ["profiles", "Profiles"], ["domains", "Domains"]];

/** The frame every signed-in page shares; returns its (empty) main region. */
function layout(section, title) {
  const main = h("main", { class: "content", id: "main", tabindex: "-1" });
  const items = menu.map(([id, label]) =>
    h("li", {}, h("a", { href: "#/" + id, id: "nav-" + id, "aria-current": id === section ? "page" : null }, label)));
  items.push(h("li", {}, h("span", { class: "soon", title: "Not yet available" }, "Activation (soon)")));
  items.push(h("li", {}, h("span", { class: "soon", title: "Not yet available" }, "Events (soon)")));
  document.getElementById("app").replaceChildren(h("div", { class: "shell" },
    h("header", { class: "topbar" }, h("span", { class: "title" }, "Tether console"),
      h("span", { id: "signed-in" }, "Signed in as ", state.user || ""),
      h("button", { type: "button", id: "logout", onclick: logout }, "Log out")),
    h("nav", { class: "menu", "aria-label": "Main menu" }, h("ul", {}, items)),
    main));
  document.title = title + " · Tether console";
  if (state.flash) {
    main.append(h("p", { class: "notice good", role: "status", id: "flash" }, state.flash));
    state.flash = null;
  }
  return main;
}

function pageHead(title, ...actions) {
  return h("div", { class: "pagehead" }, h("h1", {}, title), actions);
}

/** A confirmation dialog; resolves true when confirmed. */
function confirmDialog(title, text, confirmLabel) {
  return new Promise((resolve) => {
    const dialog = h("dialog", { id: "confirm-dialog", "aria-labelledby": "confirm-title" });
    const finish = (answer) => { dialog.close(); dialog.remove(); resolve(answer); };
    dialog.append(
      h("h2", { id: "confirm-title" }, title), h("p", { id: "confirm-text" }, text),
      h("div", { class: "actions" },
        h("button", { type: "button", class: "primary", id: "confirm-ok", onclick: () => finish(true) }, confirmLabel || "Confirm"),
        h("button", { type: "button", id: "confirm-cancel", onclick: () => finish(false) }, "Cancel")));
    dialog.addEventListener("cancel", (event) => { event.preventDefault(); finish(false); });
    document.body.append(dialog);
    dialog.showModal();
    dialog.querySelector("#confirm-ok").focus();
  });
}

/** A paged list's navigation: `load(skip)` renders a page. */
function pager(id, skip, top, total, load) {
  const last = Math.min(skip + top, total);
  return h("div", { class: "pager", id },
    h("button", { type: "button", id: id + "-prev", disabled: skip === 0, onclick: () => load(Math.max(0, skip - top)) }, "Previous"),
    h("span", { role: "status" }, total === 0 ? "No items" : `${skip + 1}–${last} of ${total}`),
    h("button", { type: "button", id: id + "-next", disabled: last >= total, onclick: () => load(skip + top) }, "Next"));
}

/** A paged list page: heading with New (top right), a notice line, the table and its pager.
 *  `cells(item, list)` gives a row's cells; `list` has the notice and `reload()`. */
async function listPage(main, options) {
  main.append(pageHead(options.title, h("a", { class: "button primary", href: options.newHref, id: options.prefix + "-new" }, "New")));
  const notice = h("p", { class: "notice", role: "status", id: options.prefix + "-notice" });
  const holder = h("div");
  main.append(notice, holder);
  const top = 10;
  const load = async (skip) => {
    const page = await run(options.command, { $top: top, $skip: skip, $count: true });
    const list = { notice, reload: () => load(skip) };
    const rows = page.data.map((item) => h("tr", {}, options.cells(item, list).map((cell) => h("td", {}, cell))));
    const empty = h("tr", {}, h("td", { colspan: String(options.columns.length) }, options.empty));
    holder.replaceChildren(
      h("div", { class: "tablewrap" }, h("table", { id: options.prefix + "-table" },
        h("thead", {}, h("tr", {}, options.columns.map((title) => h("th", { scope: "col" }, title)))),
        h("tbody", {}, rows.length ? rows : empty))),
      pager(options.prefix + "-pager", skip, top, page.totalCount, load));
  };
  await load(0);
}

function editLink(href, name) {
  return h("a", { class: "button", href, "aria-label": "Edit " + name }, "Edit");
}

/** A Delete button for one list row: confirms, runs `command`, reports in the list's notice;
 *  `explain(error)` may describe a refusal better than the host's message. */
function deleteButton(list, noun, name, command, args, explain) {
  return h("button", { type: "button", class: "danger", "aria-label": "Delete " + name, onclick: async () => {
    if (!await confirmDialog("Delete " + noun, `Delete the ${noun} “${name}”?`, "Delete")) return;
    try {
      await run(command, args);
      list.notice.className = "notice good";
      list.notice.textContent = `Deleted the ${noun} “${name}”.`;
      await list.reload();
    } catch (error) {
      if (error.status === 401) return;
      const explained = explain ? await explain(error) : null;
      list.notice.className = "notice bad";
      list.notice.textContent = explained || "Could not delete: " + error.message;
    }
  } }, "Delete");
}

function formatDate(value) {
  if (!value) return "—";
  const date = new Date(typeof value === "number" ? value * 1000 : value);
  return isNaN(date.getTime()) ? String(value) : date.toLocaleString();
}

"""#
}
