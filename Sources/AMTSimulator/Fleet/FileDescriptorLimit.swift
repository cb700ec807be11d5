// `FileDescriptorLimit` lives in TetherTLS so that the host raises its limit with the same code
// (issue 16); re-exported here so that `import AMTSimulator` keeps finding it.
@_exported import enum TetherTLS.FileDescriptorLimit
