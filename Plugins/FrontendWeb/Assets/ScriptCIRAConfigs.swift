/// CIRA Configs: the paged list, and the seed's form (create and edit) with the MPS root
/// certificate loaded from this host.
enum ScriptCIRAConfigs {
    static let source = #"""
const addressFormats = [[3, "IPV4"], [4, "IPV6"], [201, "FQDN"]];

function renderCIRAList(main) {
  return listPage(main, {
    title: "CIRA Configs", prefix: "cira", newHref: "#/ciraconfigs/new", command: "ciraconfigs.list",
    columns: ["Config Name", "MPS Server Address", "Port", "User Name", "Cert. Hostname (CN)", "Actions"],
    empty: "No CIRA configs yet: click New.",
    cells: (config, list) => [config.configName, config.mpsServerAddress, String(config.mpsPort), config.username, config.commonName || "—",
      h("div", { class: "actions" }, editLink("#/ciraconfigs/" + encodeURIComponent(config.configName) + "/edit", config.configName),
        deleteButton(list, "CIRA config", config.configName, "ciraconfigs.delete", { configName: config.configName },
          (error) => explainCIRAInUse(config.configName, error)))],
  });
}

/** A refused delete: names the profiles that still use the config. */
async function explainCIRAInUse(name, error) {
  let users = [];
  try { users = (await run("profiles.list", { $top: 100 })).filter((profile) => profile.ciraConfigName === name).map((profile) => profile.profileName); }
  catch (lookup) { users = []; }
  if (!users.length) return null;
  return `“${name}” is in use by the profile(s) ${users.join(", ")}: a CIRA config cannot be deleted while a profile uses it. Give those profiles another CIRA config (or delete them) first. (${error.message})`;
}

function fingerprintText(hex) {
  return (hex || "").toUpperCase().replace(/(..)(?!$)/g, "$1:");
}

async function renderCIRAForm(main, name) {
  const current = name === null ? null : await run("ciraconfigs.get", { configName: name });
  main.append(pageHead(current ? "Edit CIRA Config" : "New CIRA Config"));
  const form = h("form", { class: "stack panel", id: "cira-form", novalidate: true });
  const configName = textInput("cira-configName", current && current.configName, { disabled: !!current, autocomplete: "off" });
  const format = radioGroup("serverAddressFormat", "MPS server address format", addressFormats, current ? current.serverAddressFormat : 3, "cira-format");
  const address = textInput("cira-mpsServerAddress", current && current.mpsServerAddress, { autocomplete: "off" });
  const port = h("input", { id: "cira-mpsPort", type: "number", min: "1024", max: "49151", value: String(current ? current.mpsPort : 4433) });
  const username = textInput("cira-username", current && current.username, { autocomplete: "off" });
  const password = passwordInput("cira-password", 16, current ? "unchanged" : null);
  const commonName = textInput("cira-commonName", current && current.commonName, { autocomplete: "off" });
  const rootFormat = h("select", { id: "cira-rootFormat" },
    h("option", { value: "auto", selected: true }, "Auto Load"), h("option", { value: "paste" }, "Paste (base64 DER)"));
  const loadButton = h("button", { type: "button", id: "cira-load-root" }, "Load");
  const rootInfo = h("div", { class: "certinfo", id: "cira-root-info", "aria-live": "polite" });
  const rootText = h("textarea", { id: "cira-mpsRootCertificate", rows: "4", class: "mono" });
  const rootPaste = field("mpsRootCertificate", "MPS root certificate (base64 DER)", rootText);
  rootPaste.hidden = true;
  let loadedRoot = null;
  rootFormat.addEventListener("change", () => {
    const auto = rootFormat.value === "auto";
    rootPaste.hidden = auto;
    loadButton.disabled = !auto;
  });
  loadButton.addEventListener("click", async () => {
    rootInfo.replaceChildren("Loading…");
    try {
      const cert = await run("cert.show");
      loadedRoot = cert.mpsRootCertificate;
      rootInfo.replaceChildren(h("dl", { class: "facts" },
        h("dt", {}, "Subject"), h("dd", { id: "cira-root-subject" }, cert.rootSubject || "—"),
        h("dt", {}, "Valid from"), h("dd", { id: "cira-root-notbefore" }, formatDate(cert.rootNotBefore)),
        h("dt", {}, "Valid until"), h("dd", { id: "cira-root-notafter" }, formatDate(cert.rootNotAfter)),
        h("dt", {}, "SHA-256 fingerprint"), h("dd", { id: "cira-root-fingerprint", class: "mono" }, fingerprintText(cert.rootFingerprintSHA256))));
    } catch (error) {
      rootInfo.replaceChildren(h("p", { class: "error" }, "Could not load the root certificate: " + error.message));
    }
  });
  const submit = h("button", { type: "submit", class: "primary", id: "cira-submit" }, current ? "Save" : "Create");
  form.append(
    field("configName", "Config Name", configName, "Letters, digits and @!%*#&-_~^, no spaces; at most 64 characters."),
    format,
    field("mpsServerAddress", "MPS Server Address", address, "The address devices dial: this host's IP address or name."),
    field("mpsPort", "Port", port, "1024–49151; 4433 is the default CIRA port."),
    field("username", "User Name", username, "5–16 letters and digits."),
    passwordField("password", "Password", password, current ? "Leave empty to keep the current password. At most 16 characters." : "At most 16 characters."),
    field("commonName", "Cert. Hostname (CN)", commonName, "For an IP address, the address in this host's certificate."),
    h("fieldset", { id: "cira-root" }, h("legend", {}, "MPS Root Certificate"),
      h("div", { class: "field" }, h("label", { for: "cira-rootFormat" }, "Certificate format"), h("div", { class: "inline" }, rootFormat, loadButton)),
      rootInfo, rootPaste),
    formError(),
    h("div", { class: "actions" }, submit, h("a", { class: "button", href: "#/ciraconfigs" }, "Cancel")));
  main.append(form);

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const values = {
      configName: configName.value.trim(), serverAddressFormat: Number(checkedValue(form, "cira-format")),
      mpsServerAddress: address.value.trim(), mpsPort: port.value.trim(), username: username.value.trim(),
      password: password.value, commonName: commonName.value.trim(),
    };
    const errors = validateCIRA(values, !!current);
    if (rootFormat.value === "paste" && !rootText.value.trim()) errors.push({ field: "mpsRootCertificate", message: "MPS public root certificate is required" });
    if (errors.length) { showErrors(form, errors); return; }
    const args = {
      configName: values.configName, serverAddressFormat: values.serverAddressFormat, mpsServerAddress: values.mpsServerAddress,
      mpsPort: Number(values.mpsPort), username: values.username, commonName: values.commonName || null, authMethod: 2, proxyDetails: "",
    };
    if (values.password) args.password = values.password;
    const root = rootFormat.value === "paste" ? rootText.value.replace(/\s+/g, "") : loadedRoot;
    if (root) args.mpsRootCertificate = root;
    if (current) args.version = current.version;
    await submitForm(form, submit, () => run(current ? "ciraconfigs.update" : "ciraconfigs.create", args),
      `CIRA config “${values.configName}” ${current ? "saved" : "created"}.`, "#/ciraconfigs");
  });
  configName.focus();
}

/** The host's CIRA config rules (Store/Validation/CIRAConfigValidator), with its messages. */
function validateCIRA(values, editing) {
  const errors = [];
  const add = (field, message) => errors.push({ field, message });
  if (!editing) {
    if (!values.configName) add("configName", "CIRA profile name is required");
    else if (!rules.ciraName.test(values.configName)) add("configName", "CIRA profile name accepts letters, numbers, special characters and no spaces");
    else if (values.configName.length > rules.maxNameLength) add("configName", "CIRA profile name should not exceed 64 characters");
  }
  const formatValue = values.serverAddressFormat;
  if (!values.mpsServerAddress) add("mpsServerAddress", "MPS server address is required");
  else if (formatValue === 3 && !rules.isIPv4(values.mpsServerAddress)) add("mpsServerAddress", "serverAddressFormat 3 requires IPV4 server address");
  else if (formatValue === 4 && !rules.looksIPv6(values.mpsServerAddress)) add("mpsServerAddress", "serverAddressFormat 4 requires IPV6 server address");
  else if (formatValue === 201 && !rules.isFQDN(values.mpsServerAddress) && !rules.isIPv4(values.mpsServerAddress)) add("mpsServerAddress", "serverAddressFormat 201 requires FQDN server address");
  else if (formatValue === 3 && !values.commonName) add("mpsServerAddress", "commonName is required when serverAddressFormat is 3");
  if (!/^[0-9]+$/.test(values.mpsPort) || Number(values.mpsPort) < 1024 || Number(values.mpsPort) > 49151) add("mpsPort", "MPS Port value should range between 1024 and 49151");
  if (!values.username) add("username", "MPS user name is required");
  else {
    if (!/^[A-Za-z0-9]+$/.test(values.username)) add("username", "MPS user name should be alphanumeric");
    if (values.username.length < 5 || values.username.length > 16) add("username", "MPS user name length should be in between 5 to 16");
  }
  if (values.password && values.password.length > 16) add("password", "MPS password length should be in between 1 to 16");
  if (values.commonName && formatValue !== 201) {
    const ok = formatValue === 4 ? rules.isIPv4(values.commonName) || rules.looksIPv6(values.commonName) : rules.isIPv4(values.commonName);
    if (!ok) add("commonName", "Cert. Hostname(CN) should be an IP address.");
  }
  return errors;
}

"""#
}
