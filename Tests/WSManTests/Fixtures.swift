import Foundation
import Testing

/// Real AMT replies shared by the project (not copied into the repo): `../shared/fixtures/amt-responses`
/// beside the checkout, found from this file's own path so that any clone laid out like CI's
/// (the repository with `shared/` next to it) runs them. Tests that need them are skipped, with
/// the folder named in the reason, only when it is absent.
enum Fixtures {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // WSManTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // the repository
        .deletingLastPathComponent()  // its parent, which holds shared/
        .appendingPathComponent("shared/fixtures/amt-responses").standardizedFileURL.path

    /// Why the fixture tests are skipped, when they are.
    static let absence = Comment(rawValue: "the fixtures folder \(root) is absent")

    static var available: Bool {
        var isDir: ObjCBool = false
        return FileManager.default.fileExists(atPath: root, isDirectory: &isDir) && isDir.boolValue
    }

    static func bytes(_ relativePath: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: root + "/" + relativePath)))
    }

    static func allXMLFiles() -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: root) else { return [] }
        return walker.compactMap { $0 as? String }.filter { $0.hasSuffix(".xml") }.sorted()
    }
}
