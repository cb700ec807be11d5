/// Domains: the list with each provisioning certificate's expiry, and the upload form.
enum ScriptDomains {
    static let source = #"""
async function renderDomainList(main) {
  main.append(pageHead("Domains", h("a", { class: "button primary", href: "#/domains/new", id: "domain-new" }, "New")));
  const notice = h("p", { class: "notice", role: "status", id: "domain-notice" });
  const holder = h("div");
  main.append(notice, holder);
  const top = 10;
  const load = async (skip) => {
    const page = await run("domains.list", { $top: top, $skip: skip, $count: true });
    const rows = page.data.map((domain) => h("tr", {},
      h("td", {}, domain.profileName), h("td", {}, domain.domainSuffix), h("td", {}, formatDate(domain.expirationDate)),
      h("td", {}, h("button", { type: "button", class: "danger", "aria-label": "Delete " + domain.profileName, onclick: async () => {
        if (!await confirmDialog("Delete domain", `Delete the domain “${domain.profileName}” and its provisioning certificate?`, "Delete")) return;
        try {
          await run("domains.delete", { profileName: domain.profileName });
          notice.className = "notice good";
          notice.textContent = `Domain “${domain.profileName}” deleted.`;
          await load(skip);
        } catch (error) {
          notice.className = "notice bad";
          notice.textContent = "Could not delete: " + error.message;
        }
      } }, "Delete"))));
    holder.replaceChildren(
      h("div", { class: "tablewrap" }, h("table", { id: "domain-table" },
        h("thead", {}, h("tr", {}, ["Name", "DNS suffix", "Certificate expires", "Actions"].map((title) => h("th", { scope: "col" }, title)))),
        h("tbody", {}, rows.length ? rows : h("tr", {}, h("td", { colspan: "4" }, "No domains yet: click New."))))),
      pager("domain-pager", skip, top, page.totalCount, load));
  };
  await load(0);
}

function readFileBase64(file) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      const bytes = new Uint8Array(reader.result);
      let binary = "";
      for (let index = 0; index < bytes.length; index += 0x8000) binary += String.fromCharCode(...bytes.subarray(index, index + 0x8000));
      resolve(btoa(binary));
    };
    reader.onerror = () => reject(reader.error);
    reader.readAsArrayBuffer(file);
  });
}

function renderDomainForm(main) {
  main.append(pageHead("New Domain"));
  const form = h("form", { class: "stack panel", id: "domain-form", novalidate: true });
  const name = textInput("domain-profileName", "", { autocomplete: "off" });
  const suffix = textInput("domain-domainSuffix", "", { autocomplete: "off" });
  const file = h("input", { id: "domain-provisioningCert", type: "file", accept: ".pfx,.p12,application/x-pkcs12" });
  const password = h("input", { id: "domain-provisioningCertPassword", type: "password", autocomplete: "off" });
  const submit = h("button", { type: "submit", class: "primary", id: "domain-submit" }, "Create");
  form.append(
    field("profileName", "Name", name, "Letters, digits and $@!%*#?&-_~^, no spaces."),
    field("domainSuffix", "DNS suffix", suffix, "The domain the provisioning certificate is for, e.g. vprodemo.com."),
    field("provisioningCert", "Provisioning certificate (PFX)", file, "The .pfx with the certificate chain and its private key."),
    field("provisioningCertPassword", "PFX password", password),
    formError(),
    h("div", { class: "actions" }, submit, h("a", { class: "button", href: "#/domains" }, "Cancel")));
  main.append(form);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const errors = [];
    if (!name.value.trim()) errors.push({ field: "profileName", message: "Domain profile name is required" });
    else if (!rules.profileName.test(name.value.trim())) errors.push({ field: "profileName", message: "Domain profile name accepts letters, numbers, special characters and no spaces" });
    if (!rules.isFQDN(suffix.value.trim())) errors.push({ field: "domainSuffix", message: "Domain suffix should be a domain name such as vprodemo.com" });
    if (!file.files.length) errors.push({ field: "provisioningCert", message: "Choose the provisioning certificate (.pfx)" });
    if (!password.value) errors.push({ field: "provisioningCertPassword", message: "The PFX password is required" });
    if (errors.length) { showErrors(form, errors); return; }
    submit.disabled = true;
    try {
      const certificate = await readFileBase64(file.files[0]);
      await run("domains.create", {
        profileName: name.value.trim(), domainSuffix: suffix.value.trim(), provisioningCert: certificate,
        provisioningCertPassword: password.value, provisioningCertStorageFormat: "raw",
      });
      state.flash = `Domain “${name.value.trim()}” created.`;
      location.hash = "#/domains";
    } catch (error) {
      if (error.status !== 401) showServerError(form, error);
    } finally {
      submit.disabled = false;
    }
  });
  name.focus();
}

"""#
}
