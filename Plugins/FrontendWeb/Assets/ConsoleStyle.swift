/// The console's style sheet: system fonts, WCAG AA contrast, a visible focus ring, and a
/// layout that folds the menu above the content on narrow screens.
enum ConsoleStyle {
    static let source = #"""
:root { --ink: #1b1f24; --muted: #4a5360; --line: #c9d1db; --bg: #f4f6f9; --panel: #fff; --brand: #0b5cad;
  --brand-dark: #084785; --ok: #176b2c; --bad: #a3111f; --warn-bg: #fff4ce; --focus: #ffbf47; }
* { box-sizing: border-box; }
[hidden] { display: none !important; }
html, body { margin: 0; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif; color: var(--ink); background: var(--bg); }
a { color: var(--brand); }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; box-shadow: 0 0 0 5px var(--ink); }
h1 { font-size: 1.45rem; margin: 0; }
h2 { font-size: 1.1rem; margin: 1.2rem 0 .5rem; }
.banner { background: var(--bad); color: #fff; padding: .6rem 1rem; font-weight: 600; }
.banner.info { background: var(--warn-bg); color: var(--ink); }
.loading { padding: 2rem; }
.shell { display: grid; grid-template-columns: 13rem 1fr; grid-template-rows: auto 1fr; min-height: 100vh; }
.topbar { grid-column: 1 / 3; display: flex; align-items: center; gap: 1rem; padding: .55rem 1rem; background: var(--brand); color: #fff; }
.topbar .title { font-weight: 700; font-size: 1.1rem; margin-right: auto; }
.topbar button { background: transparent; color: #fff; border-color: #fff; }
nav.menu { background: var(--panel); border-right: 1px solid var(--line); padding: .8rem 0; }
nav.menu ul { list-style: none; margin: 0; padding: 0; }
nav.menu a, nav.menu span { display: block; padding: .55rem 1.1rem; text-decoration: none; color: var(--ink); }
nav.menu a[aria-current="page"] { background: #e3edf8; border-left: 4px solid var(--brand); font-weight: 600; padding-left: calc(1.1rem - 4px); }
nav.menu a:hover { background: #eef3f9; }
nav.menu span.soon { color: var(--muted); }
main.content { padding: 1.2rem 1.6rem; min-width: 0; }
.pagehead { display: flex; align-items: center; gap: 1rem; margin-bottom: 1rem; flex-wrap: wrap; }
.pagehead h1 { margin-right: auto; }
.panel > h2:first-child, .panel > h1:first-child { margin-top: 0; }
.panel { background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 1rem 1.2rem; margin-bottom: 1rem; }
table { width: 100%; border-collapse: collapse; background: var(--panel); }
th, td { text-align: left; padding: .5rem .6rem; border-bottom: 1px solid var(--line); vertical-align: top; overflow-wrap: anywhere; }
th { background: #e9eef4; font-weight: 600; overflow-wrap: normal; white-space: nowrap; }
.tablewrap { overflow-x: auto; border: 1px solid var(--line); border-radius: 8px; }
.tablewrap table { min-width: 42rem; }
button, .button { white-space: nowrap; font: inherit; padding: .45rem .9rem; border-radius: 6px; border: 1px solid var(--brand); background: var(--panel);
  color: var(--brand); cursor: pointer; text-decoration: none; display: inline-block; }
button.primary, .button.primary { background: var(--brand); color: #fff; }
button.primary:hover { background: var(--brand-dark); }
button.danger { border-color: var(--bad); color: var(--bad); }
button:disabled { opacity: .55; cursor: not-allowed; }
.actions { display: flex; gap: .5rem; flex-wrap: wrap; align-items: center; }
form.stack { display: grid; gap: .9rem; max-width: 40rem; }
.field { display: grid; gap: .25rem; }
.field > label, fieldset > legend { font-weight: 600; }
.hint { color: var(--muted); font-size: .9rem; margin: 0; }
input[type=text], input[type=password], input[type=number], input[type=search], input[type=file], select, textarea {
  font: inherit; padding: .45rem .55rem; border: 1px solid #7b8794; border-radius: 6px; background: #fff; color: var(--ink); width: 100%; }
input:disabled, select:disabled, textarea:disabled { background: #eceff3; color: var(--muted); }
.inline { display: flex; gap: .5rem; align-items: center; }
.inline > input { flex: 1; }
fieldset { border: 1px solid var(--line); border-radius: 6px; padding: .6rem .9rem; margin: 0; }
fieldset label { margin-right: 1.1rem; font-weight: normal; }
.error { color: var(--bad); font-weight: 600; margin: 0; }
.error:empty { display: none; }
[aria-invalid="true"] { border-color: var(--bad); border-width: 2px; }
.formerror { border-left: 4px solid var(--bad); background: #fdeced; padding: .5rem .8rem; }
.formerror:empty { display: none; }
.notice { border-left: 4px solid var(--brand); background: #e8f1fb; padding: .5rem .8rem; }
.notice.bad { border-color: var(--bad); background: #fdeced; }
.notice.good { border-color: var(--ok); background: #e7f5ea; }
.notice:empty { display: none; }
.status { font-weight: 600; white-space: nowrap; }
.status::before { content: ""; display: inline-block; width: .65rem; height: .65rem; border-radius: 50%; margin-right: .4rem; background: var(--muted); }
.status.connected { color: var(--ok); }
.status.connected::before { background: var(--ok); }
.status.disconnected { color: var(--bad); }
.status.disconnected::before { background: var(--bad); }
.tag { display: inline-block; background: #e3e8ee; border-radius: 4px; padding: 0 .4rem; margin: 0 .25rem .25rem 0; font-size: .88rem; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .3rem 1rem; margin: 0; }
dl.facts dt { font-weight: 600; color: var(--muted); }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
.certinfo { margin-top: .5rem; }
.pager { display: flex; gap: .6rem; align-items: center; margin-top: .7rem; }
.filters { display: flex; gap: .8rem; flex-wrap: wrap; align-items: end; margin-bottom: .8rem; }
.filters .field { min-width: 12rem; }
details.more > summary { cursor: pointer; padding: .45rem 0; font-weight: 600; }
dialog { border: 1px solid var(--line); border-radius: 8px; max-width: 30rem; padding: 1.2rem; }
dialog::backdrop { background: rgba(20, 25, 35, .45); }
.login { max-width: 24rem; margin: 10vh auto; }
.notfound { max-width: 36rem; margin: 10vh auto; }
.mono { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: .88rem; }
@media (max-width: 760px) {
  .shell { grid-template-columns: 1fr; }
  .topbar { grid-column: 1; flex-wrap: wrap; gap: .4rem 1rem; }
  nav.menu { border-right: 0; border-bottom: 1px solid var(--line); padding: 0; }
  nav.menu ul { display: flex; flex-wrap: wrap; }
  main.content { padding: 1rem; }
}
"""#
}
