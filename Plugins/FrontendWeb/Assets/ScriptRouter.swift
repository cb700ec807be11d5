/// The `#/…` routes and start-up: check the session, then render the requested view.
enum ScriptRouter {
    static let source = #"""
const routes = [
  [/^#\/devices$/, "devices", "Devices", (main) => renderDevices(main)],
  [/^#\/devices\/([^/]+)$/, "devices", "Device", (main, match) => renderDevice(main, decodeURIComponent(match[1]))],
  [/^#\/ciraconfigs$/, "ciraconfigs", "CIRA Configs", (main) => renderCIRAList(main)],
  [/^#\/ciraconfigs\/new$/, "ciraconfigs", "New CIRA Config", (main) => renderCIRAForm(main, null)],
  [/^#\/ciraconfigs\/([^/]+)\/edit$/, "ciraconfigs", "Edit CIRA Config", (main, match) => renderCIRAForm(main, decodeURIComponent(match[1]))],
  [/^#\/profiles$/, "profiles", "Profiles", (main) => renderProfileList(main)],
  [/^#\/profiles\/new$/, "profiles", "New Profile", (main) => renderProfileForm(main, null)],
  [/^#\/profiles\/([^/]+)\/edit$/, "profiles", "Edit Profile", (main, match) => renderProfileForm(main, decodeURIComponent(match[1]))],
  [/^#\/domains$/, "domains", "Domains", (main) => renderDomainList(main)],
  [/^#\/domains\/new$/, "domains", "New Domain", (main) => renderDomainForm(main)],
];

let routeGeneration = 0;

async function route() {
  clearPageTimers();
  const generation = ++routeGeneration;
  const hash = location.hash || "#/devices";
  if (hash === "#/login") { renderLogin(); return; }
  if (!state.user) {
    try {
      const session = await call("GET", "session");
      state.user = session.username;
      startHeartbeat();
    } catch (error) {
      if (error.status !== 401) {
        document.getElementById("app").replaceChildren(h("main", { class: "login panel", id: "main" },
          h("h1", {}, "Tether console"), h("p", { class: "notice bad" }, "The console cannot reach the host: " + error.message)));
        setTimeout(route, 3000);
      }
      return;
    }
  }
  if (generation !== routeGeneration) return;
  for (const [pattern, section, title, render] of routes) {
    const match = hash.match(pattern);
    if (!match) continue;
    const main = layout(section, title);
    try {
      await render(main, match);
    } catch (error) {
      if (error.status === 401) return;
      main.append(h("p", { class: "notice bad", role: "alert", id: "page-error" },
        error.status === 404 ? "Not found: " + error.message : "This page could not be loaded: " + error.message));
    }
    return;
  }
  const main = layout("", "Not found");
  main.append(pageHead("Page not found"), h("p", { id: "page-error" }, "There is no console page at this address. ", h("a", { href: "#/devices" }, "Go to Devices")));
}

window.addEventListener("hashchange", route);
route();
"""#
}
