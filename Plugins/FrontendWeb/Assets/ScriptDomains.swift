/// Domains: the list with each provisioning certificate's expiry, and the upload form.
enum ScriptDomains {
    static let source = #"""
function renderDomainList(main) {
  return listPage(main, {
    title: "Domains", prefix: "domain", newHref: "#/domains/new", command: "domains.list",
    columns: ["Name", "DNS suffix", "Certificate expires", "Actions"],
    empty: "No domains yet: click New.",
    cells: (domain, list) => [domain.profileName, domain.domainSuffix, formatDate(domain.expirationDate),
      deleteButton(list, "domain", domain.profileName, "domains.delete", { profileName: domain.profileName })],
  });
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
    await submitForm(form, submit, async () => run("domains.create", {
      profileName: name.value.trim(), domainSuffix: suffix.value.trim(), provisioningCert: await readFileBase64(file.files[0]),
      provisioningCertPassword: password.value, provisioningCertStorageFormat: "raw",
    }), `Domain “${name.value.trim()}” created.`, "#/domains");
  });
  name.focus();
}

"""#
}
