/// Form building blocks: labelled fields with their error slots, the rules the host applies
/// (mirrored so most mistakes are caught before a round trip), server field errors, passwords.
enum ScriptForms {
    static let source = #"""
/** A labelled control with a hint and an error slot for `name` (the API field). */
function field(name, label, control, hint) {
  const id = control.id;
  const errorId = id + "-error";
  const described = [errorId];
  control.setAttribute("data-field", name);
  const parts = [h("label", { for: id }, label)];
  if (hint) { parts.push(h("p", { class: "hint", id: id + "-hint" }, hint)); described.push(id + "-hint"); }
  control.setAttribute("aria-describedby", described.join(" "));
  return h("div", { class: "field" }, parts, control, h("p", { class: "error", id: errorId, "data-error-for": name, "aria-live": "polite" }));
}

function textInput(id, value, extra) {
  return h("input", Object.assign({ id, type: "text", value: value === null || value === undefined ? "" : String(value) }, extra || {}));
}

/** Shows `errors` ([{field, message}]) at their fields; the rest in the form's error box. */
function showErrors(form, errors, generalText) {
  const slots = Array.from(form.querySelectorAll("[data-error-for]"));
  slots.forEach((slot) => { slot.textContent = ""; });
  form.querySelectorAll("[aria-invalid]").forEach((el) => el.removeAttribute("aria-invalid"));
  const general = form.querySelector(".formerror");
  const unplaced = [];
  let first = null;
  for (const error of errors) {
    const slot = slots.find((candidate) => candidate.getAttribute("data-error-for") === error.field);
    if (!slot) { unplaced.push(error.field ? `${error.field}: ${error.message}` : error.message); continue; }
    slot.textContent = slot.textContent ? slot.textContent + " " + error.message : error.message;
    const control = Array.from(form.querySelectorAll("[data-field]")).find((el) => el.getAttribute("data-field") === error.field);
    if (control) { control.setAttribute("aria-invalid", "true"); first = first || control; }
  }
  if (generalText) unplaced.unshift(generalText);
  general.textContent = unplaced.join(" ");
  if (first) first.focus(); else if (unplaced.length) general.focus();
}

/** A host error as field errors when it has them (`detail: [{field, message}]`). */
function showServerError(form, error) {
  const detail = Array.isArray(error.detail) ? error.detail.filter((item) => item && item.message) : [];
  if (detail.length) showErrors(form, detail.map((item) => ({ field: item.field, message: item.message })), "");
  else showErrors(form, [], error.message);
}

/** Sends a form with its button disabled meanwhile: on success shows `done` on the page at
 *  `target`; on failure the host's errors at their fields. */
async function submitForm(form, submit, send, done, target) {
  submit.disabled = true;
  try {
    await send();
    state.flash = done;
    location.hash = target;
  } catch (error) {
    if (error.status !== 401) showServerError(form, error);
  } finally {
    submit.disabled = false;
  }
}

function formError() {
  return h("p", { class: "formerror", role: "alert", tabindex: "-1" });
}

const rules = {
  isIPv4(text) {
    const parts = text.split(".");
    return parts.length === 4 && parts.every((part) => /^[0-9]{1,3}$/.test(part) && Number(part) <= 255);
  },
  /** A shape check only: the host parses IPv6 addresses for real (inet_pton). */
  looksIPv6(text) { return text.length <= 45 && text.includes(":") && /^[0-9A-Fa-f:.]+$/.test(text); },
  isFQDN(text) {
    if (!text || text.length > 253 || !/^[\x00-\x7f]+$/.test(text)) return false;
    const labels = text.toLowerCase().split(".");
    if (labels.length < 2) return false;
    if (!labels.every((label) => /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(label))) return false;
    const tld = labels[labels.length - 1];
    return tld.startsWith("xn--") || /^[a-z]{2,63}$/.test(tld);
  },
  ciraName: /^[A-Za-z0-9@!%*#&\-_~^]+$/,
  profileName: /^[A-Za-z0-9$@!%*#?&\-_~^]+$/,
  maxNameLength: 64,
  strongPassword(text) {
    return text.length >= 8 && text.length <= 32 && /^[A-Za-z0-9$@!%*#?&\-_~^]+$/.test(text) && /[0-9]/.test(text)
      && /[a-z]/.test(text) && /[A-Z]/.test(text) && /[!@#$%^&*]/.test(text);
  },
  weakAMT: "AMT password is required field should contains at least one lowercase letter, one uppercase letter, one numeric digit,and one special character and password length should be in between 8 to 32.",
  weakMEBx: "MEBx password is required field should contains at least one lowercase letter, one uppercase letter, one numeric digit,and one special character and password length should be in between 8 to 32.",
};

/** A random password that passes `rules.strongPassword` (as the host's generator: no `&`). */
function generatePassword(length) {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!@#$%^*";
  const limit = 256 - (256 % alphabet.length);
  for (;;) {
    let result = "";
    while (result.length < length) {
      const bytes = crypto.getRandomValues(new Uint8Array(64));
      for (const byte of bytes) if (byte < limit && result.length < length) result += alphabet[byte % alphabet.length];
    }
    if (rules.strongPassword(result)) return result;
  }
}

/** A password input with Generate and Show buttons. */
function passwordInput(id, length, placeholder) {
  const input = h("input", { id, type: "password", autocomplete: "new-password", placeholder: placeholder || null });
  const show = h("button", { type: "button", id: id + "-show", "aria-pressed": "false", "aria-controls": id }, "Show");
  show.addEventListener("click", () => {
    const visible = input.type === "password";
    input.type = visible ? "text" : "password";
    show.textContent = visible ? "Hide" : "Show";
    show.setAttribute("aria-pressed", String(visible));
  });
  const generate = h("button", { type: "button", id: id + "-generate", "aria-controls": id }, "Generate");
  generate.addEventListener("click", () => {
    input.value = generatePassword(length);
    input.type = "text";
    show.textContent = "Hide";
    show.setAttribute("aria-pressed", "true");
  });
  input.controls = [generate, show];
  return input;
}

/** A password field: the input plus its buttons, in one row. */
function passwordField(name, label, input, hint) {
  const wrapper = field(name, label, input, hint);
  const row = h("div", { class: "inline" });
  input.replaceWith(row);
  row.append(input, ...input.controls);
  return wrapper;
}

function setPasswordEnabled(input, enabled) {
  input.disabled = !enabled;
  input.controls.forEach((button) => { button.disabled = !enabled; });
  if (!enabled) input.value = "";
}

function radioGroup(name, legend, options, selected, idPrefix) {
  return h("fieldset", { "data-field": name, id: idPrefix + "-group" }, h("legend", {}, legend),
    options.map(([value, label]) => h("label", {},
      h("input", { type: "radio", name: idPrefix, id: idPrefix + "-" + String(value).toLowerCase(), value: String(value), checked: String(value) === String(selected) }),
      " ", label)),
    h("p", { class: "error", "data-error-for": name, "aria-live": "polite" }));
}

function checkedValue(form, name) {
  const checked = Array.from(form.querySelectorAll('input[type="radio"]')).find((el) => el.name === name && el.checked);
  return checked ? checked.value : null;
}

function checkbox(id, label, checked) {
  return h("label", { for: id }, h("input", { type: "checkbox", id, checked: !!checked }), " ", label);
}

"""#
}
