/// The console's HTML documents. Both load only same-origin assets (no inline script or style);
/// the mount is the only value placed in them, HTML-escaped.
enum ConsolePages {
    /// The single page: the script renders every view into `#app` from the URL's `#/…` route.
    static func index(base: String) -> String {
        let base = escape(base)
        return """
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="tether-base" content="\(base)">
            <title>Tether console</title>
            <link rel="icon" href="\(base)assets/icon.svg" type="image/svg+xml">
            <link rel="stylesheet" href="\(base)assets/console.css">
            <script src="\(base)assets/console.js" defer></script>
            </head>
            <body>
            <div id="banner" class="banner" role="alert" hidden></div>
            <div id="app"><p class="loading">Loading the Tether console…</p></div>
            <noscript><p class="panel">The Tether console needs JavaScript.</p></noscript>
            </body>
            </html>

            """
    }

    /// The answer for any unknown path under the mount.
    static func notFound(base: String, title: String) -> String {
        let base = escape(base)
        return """
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(escape(title)) · Tether console</title>
            <link rel="stylesheet" href="\(base)assets/console.css">
            </head>
            <body>
            <main class="notfound panel">
            <h1>\(escape(title))</h1>
            <p>There is nothing at this address. The console starts at <a href="\(base)">\(base)</a>.</p>
            </main>
            </body>
            </html>

            """
    }

    /// A small tether mark for the tab.
    static let icon = """
        <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#0b5cad"/>\
        <path d="M9 10h14M16 10v13" stroke="#fff" stroke-width="4" stroke-linecap="round"/></svg>
        """

    /// Escapes text for HTML element content and double-quoted attributes.
    static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.count)
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.append(character)
            }
        }
        return result
    }
}
