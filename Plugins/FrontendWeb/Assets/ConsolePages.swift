import Foundation

/// The console's HTML documents. Both load only same-origin assets (no inline script or style);
/// the mount is the only variable placed in them, percent-encoded.
enum ConsolePages {
    /// The single page: the script renders every view into `#app` from the URL's `#/…` route.
    static func index(base: String) -> String {
        let base = encoded(base)
        return document(
            title: "Tether console", base: base,
            head: """
                <meta name="tether-base" content="\(base)">
                <link rel="icon" href="\(base)assets/icon.svg" type="image/svg+xml">
                <script src="\(base)assets/console.js" defer></script>
                """,
            body: """
                <div id="banner" class="banner" role="alert" hidden></div>
                <div id="app"><p class="loading">Loading the Tether console…</p></div>
                <noscript><p class="panel">The Tether console needs JavaScript.</p></noscript>
                """)
    }

    /// The answer for an unknown path (or a method other than GET) under the mount. `title`
    /// is one of the console's own constant texts, never request data.
    static func notFound(base: String, title: String) -> String {
        let base = encoded(base)
        return document(
            title: "\(title) · Tether console", base: base, head: "",
            body: """
                <main class="notfound panel">
                <h1>\(title)</h1>
                <p>There is nothing at this address. The console starts at <a href="\(base)">\(base)</a>.</p>
                </main>
                """)
    }

    private static func document(title: String, base: String, head: String, body: String) -> String {
        """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(title)</title>
        <link rel="stylesheet" href="\(base)assets/console.css">
        \(head)
        </head>
        <body>
        \(body)
        </body>
        </html>

        """
    }

    /// A small tether mark for the tab.
    static let icon = """
        <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#0b5cad"/>\
        <path d="M9 10h14M16 10v13" stroke="#fff" stroke-width="4" stroke-linecap="round"/></svg>
        """

    /// Characters left as they are in the mount; everything else (quotes, `<`, `&`, …) is
    /// percent-encoded, so the mount is safe in an attribute and in text.
    private static let plainPathCharacters = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/-._~")

    static func encoded(_ path: String) -> String {
        path.addingPercentEncoding(withAllowedCharacters: plainPathCharacters) ?? "/"
    }
}
