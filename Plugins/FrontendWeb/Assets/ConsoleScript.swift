/// The console's script: plain JavaScript, no libraries, no build step. It renders every view
/// with DOM APIs and `textContent` (never `innerHTML`), so names, tags and host names that
/// contain markup show as text. Split by page; served as one file.
enum ConsoleScript {
    static let source =
        "(() => {\n\"use strict\";\n" + ScriptCore.source + ScriptForms.source + ScriptCIRAConfigs.source
        + ScriptProfiles.source + ScriptDomains.source + ScriptDevices.source + ScriptRouter.source + "\n})();\n"
}
