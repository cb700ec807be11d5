import TestSupport
import Foundation
@testable import Store

/// A temporary directory removed when the value is released by `withTemporaryDirectory`.
func withTemporaryDirectory<T>(_ body: (URL) async throws -> T) async throws -> T {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("store-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: url) }
    return try await body(url)
}

/// Opens a fresh store in a temporary directory.
func withStore<T>(_ body: (TetherStore, URL) async throws -> T) async throws -> T {
    try await withTemporaryDirectory { dir in
        let store = try TetherStore.open(dataDirectory: dir)
        defer { try? store.database.close() }
        return try await body(store, dir)
    }
}

struct CommandFailed: Error, CustomStringConvertible {
    var description: String
}

/// Runs the `openssl` CLI in `directory`; throws with its stderr on failure.
@discardableResult
func openssl(_ arguments: [String], in directory: URL) throws -> String {
    let process = try SpawnedProcess("/usr/bin/openssl", arguments, directory: directory.path)
    // stderr is drained on its own thread so that neither pipe can fill up and stall.
    let errorsRead = DispatchSemaphore(value: 0)
    nonisolated(unsafe) var errors = Data()
    Thread {
        errors = process.standardError?.readDataToEndOfFile() ?? Data()
        errorsRead.signal()
    }.start()
    let output = process.standardOutput?.readDataToEndOfFile() ?? Data()
    errorsRead.wait()
    guard process.waitUntilExit() == .exited(0) else {
        throw CommandFailed(description: "openssl \(arguments.joined(separator: " ")): \(String(decoding: errors, as: UTF8.self))")
    }
    return String(decoding: output, as: UTF8.self)
}

/// Makes a self-signed certificate + key (EC P-256) with the given CN and validity and returns the
/// PFX as base64. `days: -1` yields a certificate that expired yesterday.
func makePFX(
    commonName: String, days: Int, password: String, includeKey: Bool = true, legacyEncryption: Bool = false, in directory: URL
) throws -> String {
    let tag = UUID().uuidString
    try openssl([
        "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
        "-keyout", "\(tag).key", "-out", "\(tag).csr", "-subj", "/CN=\(commonName)",
    ], in: directory)
    try openssl([
        "x509", "-req", "-in", "\(tag).csr", "-signkey", "\(tag).key", "-days", String(days), "-out", "\(tag).pem",
    ], in: directory)
    var export = ["pkcs12", "-export", "-in", "\(tag).pem", "-passout", "pass:\(password)", "-out", "\(tag).pfx"]
    if includeKey { export += ["-inkey", "\(tag).key"] } else { export += ["-nokeys"] }
    if legacyEncryption { export += ["-legacy"] }  // RC2-40 + 3DES, as Windows exports them
    try openssl(export, in: directory)
    return try Data(contentsOf: directory.appendingPathComponent("\(tag).pfx")).base64EncodedString()
}

/// A self-signed certificate as base64 DER (for `mpsRootCertificate`).
func makeRootCertificateBase64(in directory: URL) throws -> String {
    let tag = UUID().uuidString
    try openssl([
        "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
        "-keyout", "\(tag).key", "-out", "\(tag).der", "-outform", "DER", "-days", "30", "-subj", "/CN=MPSRoot-test",
    ], in: directory)
    return try Data(contentsOf: directory.appendingPathComponent("\(tag).der")).base64EncodedString()
}

func sampleCIRAConfig(_ name: String = "ciraconfig1", tenant: String = "") -> CIRAConfig {
    CIRAConfig(
        configName: name, mpsServerAddress: "192.168.8.50", serverAddressFormat: .ipv4, mpsPort: 4433,
        username: "admin", commonName: "192.168.8.50", authMethod: .usernamePassword,
        mpsRootCertificate: "rootcert", tenantId: tenant)
}

func sampleGUID(_ n: Int) -> String {
    String(format: "4c4c4544-0000-0000-0000-%012d", n)
}

/// True if `needle` occurs in `haystack` as bytes.
func contains(_ haystack: Data, _ needle: String) -> Bool {
    haystack.range(of: Data(needle.utf8)) != nil
}
