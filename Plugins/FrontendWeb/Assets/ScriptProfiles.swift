/// Profiles: the paged list and the ACM/CCM form. What the chosen mode forbids is disabled;
/// passwords are write-only (never shown, empty = keep) with a generator.
enum ScriptProfiles {
    static let source = #"""
const activationModes = [
  ["acmactivate", "Admin Control Mode (ACM)"],
  ["ccmactivate", "Client Control Mode (CCM)"],
];
const modeSentences = {
  acmactivate: "ACM: full control — KVM and redirection work without the user's consent; needs a provisioning certificate (Domains) and a MEBx password.",
  ccmactivate: "CCM: the user must consent to every redirection session (consent is always All); no MEBx password is set.",
};

function renderProfileList(main) {
  return listPage(main, {
    title: "Profiles", prefix: "profile", newHref: "#/profiles/new", command: "profiles.list",
    columns: ["Profile Name", "Mode", "CIRA Config", "Tags", "User consent", "Actions"],
    empty: "No profiles yet: click New.",
    cells: (profile, list) => [profile.profileName, profile.activation === "acmactivate" ? "ACM" : "CCM", profile.ciraConfigName || "—",
      (profile.tags || []).map((tag) => h("span", { class: "tag" }, tag)), profile.userConsent || "—",
      h("div", { class: "actions" }, editLink("#/profiles/" + encodeURIComponent(profile.profileName) + "/edit", profile.profileName),
        deleteButton(list, "profile", profile.profileName, "profiles.delete", { profileName: profile.profileName }))],
  });
}

async function renderProfileForm(main, name) {
  const current = name === null ? null : await run("profiles.get", { profileName: name });
  const ciraConfigs = await run("ciraconfigs.list", { $top: 100 });
  main.append(pageHead(current ? "Edit Profile" : "New Profile"));
  const form = h("form", { class: "stack panel", id: "profile-form", novalidate: true });
  const profileName = textInput("profile-profileName", current && current.profileName, { disabled: !!current, autocomplete: "off" });
  const mode = radioGroup("activation", "Activation mode", activationModes, current ? current.activation : "ccmactivate", "profile-activation");
  const sentence = h("p", { class: "hint", id: "profile-mode-sentence", "aria-live": "polite" });
  mode.append(sentence);
  const amtRandom = checkbox("profile-generateRandomPassword", "Generate a random AMT password for each device", current ? current.generateRandomPassword : false);
  const amtPassword = passwordInput("profile-amtPassword", 16, current ? "unchanged" : null);
  const mebxRandom = checkbox("profile-generateRandomMEBxPassword", "Generate a random MEBx password for each device", current ? current.generateRandomMEBxPassword : false);
  const mebxPassword = passwordInput("profile-mebxPassword", 16, current ? "unchanged" : null);
  const consent = h("select", { id: "profile-userConsent" }, ["None", "KVM", "All"].map((value) =>
    h("option", { value, selected: (current ? current.userConsent : "All") === value }, value)));
  const kvm = checkbox("profile-kvmEnabled", "KVM", current ? current.kvmEnabled !== false : true);
  const sol = checkbox("profile-solEnabled", "Serial over LAN", current ? !!current.solEnabled : false);
  const ider = checkbox("profile-iderEnabled", "IDE redirection", current ? !!current.iderEnabled : false);
  const dhcp = checkbox("profile-dhcpEnabled", "DHCP (off: static IP)", current ? current.dhcpEnabled : true);
  const tags = textInput("profile-tags", current ? (current.tags || []).join(", ") : "", { autocomplete: "off" });
  const cira = h("select", { id: "profile-ciraConfigName" }, h("option", { value: "" }, "None"),
    ciraConfigs.map((config) => h("option", { value: config.configName, selected: current && current.ciraConfigName === config.configName }, config.configName)));
  const submit = h("button", { type: "submit", class: "primary", id: "profile-submit" }, current ? "Save" : "Create");
  const byId = (element, id) => element.querySelector("#" + id);
  form.append(
    field("profileName", "Profile Name", profileName, "Letters, digits and $@!%*#?&-_~^, no spaces; at most 64 characters."),
    mode,
    h("fieldset", { "data-field": "generateRandomPassword" }, h("legend", {}, "AMT password"), amtRandom,
      passwordField("amtPassword", "AMT password", amtPassword, "8–32 characters with a lower-case and an upper-case letter, a digit and one of !@#$%^&*." + (current ? " Empty keeps the stored one." : "")),
      h("p", { class: "error", "data-error-for": "generateRandomPassword" })),
    h("fieldset", { id: "profile-mebx" }, h("legend", {}, "MEBx password"), mebxRandom,
      passwordField("mebxPassword", "MEBx password", mebxPassword, "Same rules as the AMT password." + (current ? " Empty keeps the stored one." : "")),
      h("p", { class: "error", "data-error-for": "generateRandomMEBxPassword" })),
    field("userConsent", "User consent", consent, "Which redirection sessions need the user's consent code."),
    h("fieldset", { "data-field": "kvmEnabled" }, h("legend", {}, "Redirection features"), kvm, sol, ider,
      h("p", { class: "error", "data-error-for": "kvmEnabled" })),
    h("fieldset", { "data-field": "dhcpEnabled" }, h("legend", {}, "Network"), dhcp, h("p", { class: "error", "data-error-for": "dhcpEnabled" })),
    field("tags", "Tags", tags, "Comma-separated; devices activated with this profile get them."),
    field("ciraConfigName", "CIRA config", cira, "How devices with this profile reach this host."),
    formError(),
    h("div", { class: "actions" }, submit, h("a", { class: "button", href: "#/profiles" }, "Cancel")));
  main.append(form);

  const amtRandomBox = byId(form, "profile-generateRandomPassword");
  const mebxRandomBox = byId(form, "profile-generateRandomMEBxPassword");
  const update = () => {
    const selected = checkedValue(form, "profile-activation");
    sentence.textContent = modeSentences[selected] || "";
    const acm = selected === "acmactivate";
    setPasswordEnabled(amtPassword, !amtRandomBox.checked);
    mebxRandomBox.disabled = !acm;
    if (!acm) mebxRandomBox.checked = false;
    setPasswordEnabled(mebxPassword, acm && !mebxRandomBox.checked);
    consent.disabled = !acm;
    if (!acm) consent.value = "All";
  };
  form.addEventListener("change", update);
  update();

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const activation = checkedValue(form, "profile-activation");
    const acm = activation === "acmactivate";
    const errors = [];
    const add = (field, message) => errors.push({ field, message });
    const nameValue = profileName.value.trim();
    if (!current) {
      if (!nameValue) add("profileName", "AMT profile name is required");
      else if (!rules.profileName.test(nameValue)) add("profileName", "AMT profile name accepts letters, numbers, special characters and no spaces");
      else if (nameValue.length > rules.maxNameLength) add("profileName", "AMT profile name should not exceed 64 characters");
    }
    if (!amtRandomBox.checked && (amtPassword.value || !current) && !rules.strongPassword(amtPassword.value)) add("amtPassword", rules.weakAMT);
    if (acm && !mebxRandomBox.checked && (mebxPassword.value || !current) && !rules.strongPassword(mebxPassword.value)) add("mebxPassword", rules.weakMEBx);
    const tagList = tags.value.split(",").map((tag) => tag.trim()).filter((tag) => tag);
    if (errors.length) { showErrors(form, errors); return; }
    const args = {
      profileName: nameValue, activation, generateRandomPassword: amtRandomBox.checked,
      generateRandomMEBxPassword: acm && mebxRandomBox.checked, tags: tagList, dhcpEnabled: byId(form, "profile-dhcpEnabled").checked,
      kvmEnabled: byId(form, "profile-kvmEnabled").checked, solEnabled: byId(form, "profile-solEnabled").checked,
      iderEnabled: byId(form, "profile-iderEnabled").checked, userConsent: acm ? consent.value : "All",
      ciraConfigName: cira.value || null,
    };
    if (amtPassword.value && !amtRandomBox.checked) args.amtPassword = amtPassword.value;
    if (acm && mebxPassword.value && !mebxRandomBox.checked) args.mebxPassword = mebxPassword.value;
    if (current) args.version = current.version;
    await submitForm(form, submit, () => run(current ? "profiles.update" : "profiles.create", args),
      `Profile “${nameValue}” ${current ? "saved" : "created"}.`, "#/profiles");
  });
  profileName.focus();
}

"""#
}
