import Foundation

/// Provisioning-certificate PFX files made with the `openssl` CLI at test time.
enum PKCS12Fixture {
    /// A base64 PFX for CN `commonName`, protected by `password`; `expired` back-dates it.
    static func make(commonName: String, password: String, expired: Bool = false) async throws -> String {
        let directory = try temporaryDirectory()
        let key = directory + "/key.pem", cert = directory + "/cert.pem", pfx = directory + "/cert.pfx"
        try await runTool("/usr/bin/openssl", ["genrsa", "-out", key, "2048"])
        if expired {
            // A throw-away CA (`openssl ca` accepts explicit dates) signs a leaf valid 2000-2001.
            let caKey = directory + "/ca.key", caCert = directory + "/ca.pem", csr = directory + "/leaf.csr"
            try await runTool("/usr/bin/openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", caKey, "-out", caCert, "-days", "3650", "-subj", "/CN=Test Root"])
            try await runTool("/usr/bin/openssl", ["req", "-new", "-key", key, "-out", csr, "-subj", "/CN=\(commonName)"])
            FileManager.default.createFile(atPath: directory + "/index.txt", contents: Data())
            FileManager.default.createFile(atPath: directory + "/serial", contents: Data("01\n".utf8))
            let conf = "[ca]\ndefault_ca=t\n[t]\ndatabase=index.txt\nserial=serial\nnew_certs_dir=.\ndefault_md=sha256\npolicy=p\n[p]\ncommonName=supplied\n"
            FileManager.default.createFile(atPath: directory + "/ca.cnf", contents: Data(conf.utf8))
            try await runTool(
                "/usr/bin/openssl",
                ["ca", "-batch", "-config", "ca.cnf", "-cert", caCert, "-keyfile", caKey, "-in", csr, "-out", cert,
                 "-startdate", "20000101000000Z", "-enddate", "20010101000000Z", "-notext"], directory: directory)
        } else {
            try await runTool("/usr/bin/openssl", ["req", "-x509", "-new", "-key", key, "-out", cert, "-days", "365", "-subj", "/CN=\(commonName)"])
        }
        try await runTool("/usr/bin/openssl", ["pkcs12", "-export", "-inkey", key, "-in", cert, "-out", pfx, "-passout", "pass:\(password)"])
        let data = try Data(contentsOf: URL(fileURLWithPath: pfx))
        try? FileManager.default.removeItem(atPath: directory)
        return data.base64EncodedString()
    }
}
