/// Devices: the list (live connection status, tag filter, search, power action on a
/// selection) and the device page (power state, AMT version, hardware, catalogue actions).
enum ScriptDevices {
    static let source = #"""
const primaryActions = [2, 8, 10, 5, 100, 101];
const powerStates = {
  2: "On (S0)", 3: "Sleep (S3)", 4: "Deep sleep (S4)", 6: "Off (hard)", 7: "Hibernate (S4)", 8: "Off (S5)",
  9: "Power cycle", 13: "Off (hard, graceful)",
};

function deviceName(device) {
  return device.friendlyName || device.hostname || device.guid;
}

function statusBadge(connected, id) {
  return h("span", { class: "status " + (connected ? "connected" : "disconnected"), id: id || null }, connected ? "Connected" : "Disconnected");
}

function setStatus(badge, connected) {
  badge.className = "status " + (connected ? "connected" : "disconnected");
  badge.textContent = connected ? "Connected" : "Disconnected";
}

/** Describes a power.action outcome or failure in one sentence. */
function actionOutcome(label, result, error) {
  if (error) {
    const step = error.detail && error.detail.step ? ` (failed step: ${error.detail.step})` : "";
    return { good: false, text: `${label} failed${step}: ${error.message}` };
  }
  // The standard actions answer the device's method result; a vendor's action may answer anything.
  if (!result || typeof result.returnValue !== "number") return { good: true, text: `${label}: done` };
  if (result.returnValue === 0) return { good: true, text: `${label}: ${result.returnValueName || "SUCCESS"}` };
  return { good: false, text: `${label}: the device answered ${result.returnValueName || "an error"} (ReturnValue ${result.returnValue})` };
}

async function renderDevices(main) {
  main.append(pageHead("Devices"));
  const search = h("input", { id: "devices-search", type: "search", autocomplete: "off" });
  const tagFilter = h("select", { id: "devices-tag" }, h("option", { value: "" }, "All tags"));
  const catalogue = (await run("power.actions")).actions || [];
  const bulkAction = h("select", { id: "devices-bulk-action" },
    catalogue.map((action) => h("option", { value: String(action.code) }, `${action.name} (${action.code})`)));
  const bulkRun = h("button", { type: "button", class: "primary", id: "devices-bulk-run" }, "Run on selected");
  const bulkNotice = h("p", { class: "notice", role: "status", id: "devices-bulk-notice" });
  const summary = h("p", { class: "hint", id: "devices-summary", "aria-live": "polite" });
  const selectAll = h("input", { type: "checkbox", id: "devices-select-all", "aria-label": "Select all devices" });
  const tbody = h("tbody", { id: "devices-rows" });
  main.append(
    h("div", { class: "filters panel" },
      h("div", { class: "field" }, h("label", { for: "devices-search" }, "Search host name or friendly name"), search),
      h("div", { class: "field" }, h("label", { for: "devices-tag" }, "Tag"), tagFilter),
      h("div", { class: "field" }, h("label", { for: "devices-bulk-action" }, "Power action"), bulkAction),
      h("div", { class: "field" }, bulkRun)),
    bulkNotice, summary,
    h("div", { class: "tablewrap" }, h("table", { id: "devices-table" },
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, selectAll),
        ["Status", "Friendly name", "Host name", "Tags", "GUID", "Last result"].map((title) => h("th", { scope: "col" }, title)))),
      tbody)));
  const rows = new Map();
  let devices = [];

  const makeRow = (device) => {
    const box = h("input", { type: "checkbox", class: "device-select", "aria-label": "Select " + deviceName(device) });
    box.dataset.guid = device.guid;
    const row = h("tr", { class: "device-row" },
      h("td", {}, box), h("td", {}, statusBadge(device.connectionStatus)),
      h("td", { class: "device-friendly" }, h("a", { href: "#/devices/" + encodeURIComponent(device.guid), class: "device-link" }, deviceName(device))),
      h("td", { class: "device-hostname" }, device.hostname || "—"),
      h("td", { class: "device-tags" }, (device.tags || []).map((tag) => h("span", { class: "tag" }, tag))),
      h("td", { class: "mono" }, device.guid), h("td", { class: "device-result", "aria-live": "polite" }));
    row.dataset.guid = device.guid;
    return row;
  };

  const render = () => {
    const needle = search.value.trim().toLowerCase();
    const visible = devices.filter((device) => !needle
      || (device.hostname || "").toLowerCase().includes(needle) || (device.friendlyName || "").toLowerCase().includes(needle));
    for (const device of visible) {
      let row = rows.get(device.guid);
      if (!row) { row = makeRow(device); rows.set(device.guid, row); }
      setStatus(row.querySelector(".status"), device.connectionStatus);
      row.querySelector(".device-link").textContent = deviceName(device);
      row.querySelector(".device-hostname").textContent = device.hostname || "—";
      row.querySelector(".device-tags").replaceChildren(...(device.tags || []).map((tag) => h("span", { class: "tag" }, tag)));
    }
    const wanted = visible.map((device) => rows.get(device.guid));
    const shown = Array.from(tbody.children);
    if (wanted.length !== shown.length || wanted.some((row, index) => row !== shown[index])) tbody.replaceChildren(...wanted);
    if (!wanted.length) tbody.replaceChildren(h("tr", {}, h("td", { colspan: "7" }, devices.length ? "No device matches the search." : "No devices registered.")));
    const connected = devices.filter((device) => device.connectionStatus).length;
    summary.textContent = `${devices.length} devices, ${connected} connected.`;
  };

  const refresh = async () => {
    const args = { $top: 100, $skip: 0 };
    if (tagFilter.value) args.tags = tagFilter.value;
    devices = await run("devices.list", args);
    render();
  };

  const loadTags = async () => {
    const tags = await run("devices.tags");
    const chosen = tagFilter.value;
    tagFilter.replaceChildren(h("option", { value: "" }, "All tags"), ...tags.map((tag) => h("option", { value: tag, selected: tag === chosen }, tag)));
  };

  search.addEventListener("input", render);
  tagFilter.addEventListener("change", () => refresh().catch(() => {}));
  selectAll.addEventListener("change", () => {
    tbody.querySelectorAll(".device-select").forEach((box) => { box.checked = selectAll.checked; });
  });
  bulkRun.addEventListener("click", async () => {
    const selected = Array.from(tbody.querySelectorAll(".device-select")).filter((box) => box.checked).map((box) => box.dataset.guid);
    if (!selected.length) { bulkNotice.className = "notice bad"; bulkNotice.textContent = "Select at least one device first."; return; }
    const action = catalogue.find((item) => String(item.code) === bulkAction.value);
    if (!await confirmDialog("Run power action", `Run “${action.name}” on ${selected.length} device(s)?`, "Run")) return;
    bulkNotice.className = "notice";
    bulkNotice.textContent = `Running ${action.name} on ${selected.length} device(s)…`;
    const outcomes = await Promise.all(selected.map(async (guid) => {
      const cell = rows.get(guid).querySelector(".device-result");
      cell.textContent = "Running…";
      let outcome;
      try { outcome = actionOutcome(action.name, await run("power.action", { guid, action: action.code })); }
      catch (error) { if (error.status === 401) throw error; outcome = actionOutcome(action.name, null, error); }
      cell.textContent = outcome.text;
      cell.className = "device-result " + (outcome.good ? "good" : "bad");
      return outcome.good;
    }));
    const good = outcomes.filter((item) => item).length;
    bulkNotice.className = "notice " + (good === outcomes.length ? "good" : "bad");
    bulkNotice.textContent = `${action.name}: ${good} of ${outcomes.length} succeeded.`;
  });

  await loadTags();
  await refresh();
  every(3000, () => refresh().catch(() => {}));
  every(15000, () => loadTags().catch(() => {}));
}

/** A key/value list of the scalar members of `object` (at most `limit`). */
function facts(object, limit, id) {
  const list = h("dl", { class: "facts", id: id || null });
  let count = 0;
  for (const [key, value] of Object.entries(object || {})) {
    if (count >= limit) break;
    if (value === null || typeof value === "object") continue;
    list.append(h("dt", {}, key), h("dd", {}, String(value)));
    count += 1;
  }
  return list;
}

async function renderDevice(main, guid) {
  const device = await run("devices.get", { guid });
  const catalogue = (await run("power.actions")).actions || [];
  const badge = statusBadge(device.connectionStatus, "device-status");
  const title = h("h1", { id: "device-title" }, deviceName(device));
  main.append(h("div", { class: "pagehead" }, title, badge));
  const notice = h("p", { class: "notice bad", role: "alert", id: "device-notice" });
  const outcome = h("p", { class: "notice", role: "status", id: "device-outcome" });
  const power = h("dd", { id: "device-powerstate" }, "—");
  const version = h("dd", { id: "device-amtversion" }, "—");
  const hardware = h("div", { id: "device-hardware" }, "—");
  const buttons = [];
  const actionButton = (action) => {
    const button = h("button", { type: "button", id: "action-" + action.name, class: "power-action" }, actionLabel(action));
    button.addEventListener("click", () => runAction(action));
    buttons.push(button);
    return button;
  };
  const primary = primaryActions.map((code) => catalogue.find((action) => action.code === code)).filter((action) => action);
  const others = catalogue.filter((action) => !primaryActions.includes(action.code));
  main.append(notice,
    h("section", { class: "panel", "aria-labelledby": "device-facts-title" }, h("h2", { id: "device-facts-title" }, "Device"),
      h("dl", { class: "facts" },
        h("dt", {}, "Friendly name"), h("dd", { id: "device-friendlyname" }, device.friendlyName || "—"),
        h("dt", {}, "Host name"), h("dd", { id: "device-hostname" }, device.hostname || "—"),
        h("dt", {}, "GUID"), h("dd", { class: "mono" }, device.guid),
        h("dt", {}, "Tags"), h("dd", { id: "device-tags" }, (device.tags || []).map((tag) => h("span", { class: "tag" }, tag))),
        h("dt", {}, "Power state"), power,
        h("dt", {}, "AMT version"), version)),
    h("section", { class: "panel", "aria-labelledby": "device-actions-title" }, h("h2", { id: "device-actions-title" }, "Power actions"),
      h("div", { class: "actions" }, primary.map(actionButton)),
      others.length ? h("details", { class: "more", id: "device-more" }, h("summary", {}, "More"),
        h("div", { class: "actions" }, others.map(actionButton))) : null,
      outcome),
    h("section", { class: "panel", "aria-labelledby": "device-hardware-title" }, h("h2", { id: "device-hardware-title" }, "Hardware"), hardware));

  let connected = device.connectionStatus;
  const loadPower = async () => {
    try {
      const state = await run("amt.power.state", { guid });
      power.textContent = powerStates[state.powerState] ? `${powerStates[state.powerState]} — ${state.powerState}` : String(state.powerState);
    } catch (error) { power.textContent = "Unknown: " + error.message; }
  };
  const loadInventory = async () => {
    try {
      const info = await run("amt.version", { guid });
      const identities = info.softwareIdentity || [];
      const amt = identities.find((item) => item.InstanceID === "AMT");
      version.textContent = amt ? amt.VersionString : "—";
    } catch (error) { version.textContent = "Unknown: " + error.message; }
    try {
      const inventory = await run("amt.hardwareInfo", { guid });
      hardware.replaceChildren(...Object.entries(inventory.classes || {}).map(([name, entry]) => {
        const items = (entry && entry.instances) || [];
        return h("details", { class: "more" }, h("summary", {}, `${name} (${items.length})`), items.slice(0, 8).map((item) => facts(item, 12)));
      }));
    } catch (error) { hardware.textContent = "Unknown: " + error.message; }
  };
  const showConnection = (isConnected) => {
    setStatus(badge, isConnected);
    buttons.forEach((button) => { button.disabled = !isConnected; });
    notice.textContent = isConnected ? "" : "This device is not connected to the host: its power actions are unavailable until it reconnects.";
  };
  async function runAction(action) {
    const name = deviceName(device);
    if (!await confirmDialog(actionLabel(action), `Run “${actionLabel(action)}” on ${name}? ${action.description || ""}`, actionLabel(action))) return;
    outcome.className = "notice";
    outcome.textContent = `${actionLabel(action)}: running…`;
    buttons.forEach((button) => { button.disabled = true; });
    let result = null;
    let failure = null;
    try { result = await run("power.action", { guid, action: action.code }); } catch (error) { failure = error; }
    if (failure && failure.status === 401) return;
    const described = actionOutcome(actionLabel(action), result, failure);
    outcome.className = "notice " + (described.good ? "good" : "bad");
    outcome.textContent = described.text;
    showConnection(connected);
    if (connected) loadPower();
  }
  showConnection(connected);
  if (connected) { loadPower(); loadInventory(); }
  every(3000, async () => {
    let now;
    try { now = await run("devices.get", { guid }); } catch (error) { return; }
    if (now.connectionStatus !== connected) {
      connected = now.connectionStatus;
      showConnection(connected);
      if (connected) { loadPower(); loadInventory(); }
    }
  });
}

function actionLabel(action) {
  const labels = { 2: "Power on", 8: "Power off", 10: "Reset", 5: "Power cycle", 100: "Boot to BIOS", 101: "Reset to BIOS" };
  return labels[action.code] || action.name.replace(/-/g, " ").replace(/^./, (first) => first.toUpperCase());
}

"""#
}
