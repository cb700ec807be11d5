import Foundation

/// Real AMT replies shared by the project (not copied into the repo). Tests that need them
/// are skipped when the folder is absent.
enum Fixtures {
    static let root = "/work/shared/fixtures/amt-responses"

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
